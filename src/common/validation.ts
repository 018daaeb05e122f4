import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldError, invalid } from './errors/domain-error';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, errors: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** One validation pipe for every door: DTOs are transformed, unknown fields refused. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return invalid(
        'REQUEST.INVALID',
        `Invalid request: ${fields.map((f) => `${f.field} (${f.errors.join('; ')})`).join(', ')}`,
        fields,
      );
    },
  });
}
