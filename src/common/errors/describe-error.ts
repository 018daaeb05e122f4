import { HttpException } from '@nestjs/common';
import { DomainError, type FieldError, isUniqueViolation } from './domain-error';
import { HTTP_STATUS } from './http-status';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  errors?: FieldError[];
  requestId?: string;
}

const HTTP_CODES: Record<number, string> = {
  400: 'REQUEST.INVALID',
  401: 'AUTH.REQUIRED',
  403: 'AUTH.FORBIDDEN',
  404: 'ROUTE.NOT_FOUND',
  405: 'ROUTE.METHOD_NOT_ALLOWED',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE.LIMITED',
};

/**
 * Turns anything thrown into the body an HTTP door answers with. Internal errors give a
 * generic message and a request id to find them in the logs: their details stay inside.
 */
export function describeError(
  err: unknown,
  requestId?: string,
): { body: ErrorBody; internal: boolean } {
  if (err instanceof DomainError) {
    const body: ErrorBody = {
      statusCode: HTTP_STATUS[err.kind],
      code: err.code,
      message: err.message,
    };
    if (err.fields) body.errors = err.fields;
    return { body, internal: false };
  }
  // A body over the limit (Nest maps invalid JSON to a 400 itself).
  const parserType =
    (err as { type?: string })?.type ?? (err as { cause?: { type?: string } })?.cause?.type;
  if (parserType === 'entity.too.large') {
    return {
      body: { statusCode: 413, code: 'REQUEST.TOO_LARGE', message: 'Request body too large.' },
      internal: false,
    };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const response = err.getResponse();
    const message =
      typeof response === 'string'
        ? response
        : String((response as { message?: unknown }).message ?? err.message);
    return {
      body: { statusCode: status, code: HTTP_CODES[status] ?? `HTTP.${status}`, message },
      internal: status >= 500,
    };
  }
  if (isUniqueViolation(err)) {
    return {
      body: {
        statusCode: 409,
        code: 'CONFLICT',
        message: 'This conflicts with an existing record.',
      },
      internal: false,
    };
  }
  return {
    body: { statusCode: 500, code: 'INTERNAL', message: 'Internal server error', requestId },
    internal: true,
  };
}
