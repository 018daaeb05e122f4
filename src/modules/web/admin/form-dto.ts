import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { DomainError, invalid } from '../../../common/errors/domain-error';
import { HTTP_STATUS } from '../../../common/errors/http-status';
import { errorsByField } from '../account/form-values';

/**
 * A posted form checked with the API's own DTO class (the same rules on both doors). Returns
 * the DTO, or throws the DomainError 'invalid' whose fields the form shows next to its inputs.
 */
export async function formDto<T extends object>(cls: new () => T, plain: object): Promise<T> {
  const dto = plainToInstance(cls, plain);
  const errors = await validate(dto, { whitelist: true });
  if (errors.length) {
    throw invalid(
      'FORM.INVALID',
      'Some fields need another look.',
      errors.map((e: ValidationError) => ({
        field: e.property,
        errors: Object.values(e.constraints ?? {}).map(humanize),
      })),
    );
  }
  return dto;
}

/** class-validator says "name must be longer than or equal to 1 characters". */
function humanize(message: string): string {
  if (/must be longer than or equal to 1 characters/.test(message)) return 'Fill this in.';
  return message.charAt(0).toUpperCase() + message.slice(1) + '.';
}

/** Empty optional text fields are left out (the DTOs treat absent as "not given"). */
export function withoutEmpty(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== ''));
}

/**
 * What a failed form submission shows: field errors (`errors.name`) and the status to answer,
 * for errors people can fix in the form (invalid fields, a duplicate, an unknown name);
 * anything else returns null and goes to the error page. `fieldOf` puts an error without
 * fields (`BADGE.ALREADY_EXISTS`) next to the input it is about.
 */
export function formFailure(
  err: unknown,
  fieldOf: Record<string, string> = {},
): { status: number; errors: Record<string, string> } | null {
  if (!(err instanceof DomainError)) return null;
  if (err.fields?.length)
    return { status: HTTP_STATUS[err.kind], errors: errorsByField(err.fields) };
  const field = fieldOf[err.code];
  return field ? { status: HTTP_STATUS[err.kind], errors: { [field]: err.message } } : null;
}
