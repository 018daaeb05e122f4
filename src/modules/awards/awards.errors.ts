import { conflict, DomainError, forbidden, notFound } from '../../common/errors/domain-error';

export const alreadyAwarded = (badgeId: string, nickname: string) =>
  conflict('ASSERTION.ALREADY_EXISTS', `"${nickname}" already holds the badge "${badgeId}".`);
export const assertionNotFound = (badgeId: string, nickname: string) =>
  notFound('ASSERTION.NOT_FOUND', `"${nickname}" does not hold the badge "${badgeId}".`);
export const authorizationExists = (badgeId: string, nickname: string) =>
  conflict('AUTHORIZATION.ALREADY_EXISTS', `"${nickname}" may already grant "${badgeId}".`);
export const authorizationNotFound = (badgeId: string, nickname: string) =>
  notFound('AUTHORIZATION.NOT_FOUND', `"${nickname}" may not grant "${badgeId}".`);
export const notGranter = (badgeId: string) =>
  forbidden('GRANT.FORBIDDEN', `You may not grant the badge "${badgeId}": ask an admin.`);
export const invitationNotFound = (code: string) =>
  notFound('INVITATION.NOT_FOUND', `No invitation "${code}". Check the link you were given.`);
export const invitationExpired = (code: string, expiresOn: Date) =>
  new DomainError(
    'gone',
    'INVITATION.EXPIRED',
    `The invitation "${code}" expired on ${expiresOn.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
  );
export const invitationRevoked = (code: string) =>
  new DomainError('gone', 'INVITATION.REVOKED', `The invitation "${code}" was withdrawn.`);
export const invitationNeedsPerson = () =>
  forbidden(
    'INVITATION.NO_PERSON',
    'Invitations belong to a person: create them with your own login or API token.',
  );
