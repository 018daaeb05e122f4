import { DomainError, invalid } from '../../common/errors/domain-error';

export const messageInvalid = (reason: string) =>
  invalid('MESSAGE.INVALID', `Not a bus message: ${reason}`);

export const ruleInvalid = (reason: string) => invalid('RULE.INVALID', reason);

/** The rules could not be read (directory missing, git clone or pull failed). */
export const rulesUnavailable = (reason: string) =>
  new DomainError('unavailable', 'RULES.UNAVAILABLE', reason);
