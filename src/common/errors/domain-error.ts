/** What went wrong, independent of the door (HTTP API, page, AMQP, CLI) it reaches. */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'too_many'
  | 'unavailable';

export interface FieldError {
  field: string;
  errors: string[];
}

/**
 * An error of the domain with a stable code (`BADGE.NOT_FOUND`). Services throw these; each
 * door translates them once (see common/filters).
 */
export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (code: string, message: string) =>
  new DomainError('not_found', code, message);
export const conflict = (code: string, message: string) =>
  new DomainError('conflict', code, message);
export const invalid = (code: string, message: string, fields?: FieldError[]) =>
  new DomainError('invalid', code, message, fields);
export const forbidden = (code: string, message: string) =>
  new DomainError('forbidden', code, message);
export const unauthorized = (code: string, message: string) =>
  new DomainError('unauthorized', code, message);

/** PostgreSQL's unique_violation, raised by a duplicate key. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const code = e?.code ?? e?.driverError?.code;
  const name = e?.constraint ?? e?.driverError?.constraint;
  return code === '23505' && (constraint === undefined || name === constraint);
}
