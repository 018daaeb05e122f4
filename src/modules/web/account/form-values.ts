import type { FieldError } from '../../../common/errors/domain-error';

/** A form field posted once or several times (checkboxes), as a list of strings. */
export function listField(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export function textField(v: unknown, max = 10_000): string {
  return typeof v === 'string' ? v.slice(0, max) : '';
}

/** Field errors by field name, for the templates (`errors.website`). */
export function errorsByField(fields: FieldError[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields ?? []) {
    const key = f.field.split('.')[0];
    out[key] = [out[key], ...f.errors].filter(Boolean).join(' ');
  }
  return out;
}
