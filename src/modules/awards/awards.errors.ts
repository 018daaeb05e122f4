import { conflict, notFound } from '../../common/errors/domain-error';

export const alreadyAwarded = (badgeId: string, nickname: string) =>
  conflict('ASSERTION.ALREADY_EXISTS', `"${nickname}" already holds the badge "${badgeId}".`);
export const assertionNotFound = (badgeId: string, nickname: string) =>
  notFound('ASSERTION.NOT_FOUND', `"${nickname}" does not hold the badge "${badgeId}".`);
export const authorizationExists = (badgeId: string, nickname: string) =>
  conflict('AUTHORIZATION.ALREADY_EXISTS', `"${nickname}" may already grant "${badgeId}".`);
export const authorizationNotFound = (badgeId: string, nickname: string) =>
  notFound('AUTHORIZATION.NOT_FOUND', `"${nickname}" may not grant "${badgeId}".`);
