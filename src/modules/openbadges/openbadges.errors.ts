import { conflict, DomainError, invalid, notFound } from '../../common/errors/domain-error';

export const assertionUnknown = (id: string) =>
  notFound('ASSERTION.NOT_FOUND', `No assertion with the id "${id}".`);
export const assertionRevoked = (id: string, reason: string) =>
  new DomainError(
    'gone',
    'ASSERTION.REVOKED',
    `The assertion "${id}" was revoked${reason ? `: ${reason}` : '.'}`,
  );
export const artNotFound = (badgeId: string, image: string) =>
  notFound(
    'BAKING.ART_NOT_FOUND',
    `The art of the badge "${badgeId}" ("${image}") is not in any art directory; nothing to bake.`,
  );
export const artRemote = (badgeId: string) =>
  conflict(
    'BAKING.REMOTE_ART',
    `The art of the badge "${badgeId}" is hosted elsewhere; only local art can be baked.`,
  );
export const artInvalid = (badgeId: string, why: string) =>
  conflict('BAKING.INVALID_ART', `The art of the badge "${badgeId}" cannot be baked: ${why}.`);
export const statusListNotFound = (id: string) =>
  notFound('STATUS_LIST.NOT_FOUND', `No status list with the id "${id}".`);
export const keyNotFound = (kid: string) =>
  notFound('KEY.NOT_FOUND', `No published key with the id "${kid}".`);
export const credentialMissing = () =>
  invalid('CREDENTIAL.MISSING', 'Send {"credential": "<compact JWS>"} or a JWT body.');
