import { DomainError, type FieldError, invalid } from '../../common/errors/domain-error';
import type { RuleFileError } from './engine';

export const messageInvalid = (reason: string) =>
  invalid('MESSAGE.INVALID', `Not a bus message: ${reason}`);

export const ruleInvalid = (reason: string, fields?: FieldError[]) =>
  invalid('RULE.INVALID', reason, fields);

/**
 * A rule file's problems as the API's per-field errors: the field is the dotted path in the
 * rule (`criteria.datanommer.filter`), or `rule` for the text as a whole (YAML syntax).
 */
export function ruleFieldErrors(errors: readonly RuleFileError[]): FieldError[] {
  const byField = new Map<string, string[]>();
  for (const e of errors) {
    const field = e.field ?? 'rule';
    const reason = e.kind === 'unsupported' ? `unsupported: ${e.reason}` : e.reason;
    byField.set(field, [...(byField.get(field) ?? []), reason]);
  }
  return [...byField].map(([field, list]) => ({ field, errors: list }));
}

/** The rules could not be read (directory missing, git clone or pull failed). */
export const rulesUnavailable = (reason: string) =>
  new DomainError('unavailable', 'RULES.UNAVAILABLE', reason);
