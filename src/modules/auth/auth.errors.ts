import { DomainError, forbidden, unauthorized } from '../../common/errors/domain-error';

export const authRequired = () =>
  unauthorized(
    'AUTH.REQUIRED',
    'This endpoint needs an "Authorization: Bearer <token>" header or a login session.',
  );
export const invalidToken = () =>
  unauthorized(
    'AUTH.INVALID_TOKEN',
    'The bearer token is not valid (unknown, revoked or expired).',
  );
export const notAdmin = () => forbidden('AUTH.FORBIDDEN', 'Only admins may do this.');
export const missingScope = (scope: string) =>
  forbidden('AUTH.SCOPE', `This needs a token with the "${scope}" scope.`);
export const csrfRefused = () =>
  forbidden(
    'AUTH.CSRF',
    'The form was stale or did not come from this site. Reload the page and try again.',
  );
export const loginFailed = (why: string) =>
  new DomainError('unauthorized', 'AUTH.LOGIN_FAILED', `Login failed: ${why}`);
export const loginUnavailable = (why: string) =>
  new DomainError('unavailable', 'AUTH.PROVIDER_UNAVAILABLE', `Login is unavailable: ${why}`);
export const loginNotConfigured = () =>
  new DomainError(
    'unavailable',
    'AUTH.NOT_CONFIGURED',
    'Login is not configured on this server (no OIDC_ISSUER).',
  );
export const tokenNotFound = (id: number) =>
  new DomainError('not_found', 'TOKEN.NOT_FOUND', `No API token ${id}.`);
