import { ConfigError, validateEnv } from './env.schema';

describe('login settings in the environment', () => {
  it('defaults to no login, Fedora scopes and the sysadmin-badges group', () => {
    const env = validateEnv({});
    expect(env.OIDC_ISSUER).toBeUndefined();
    expect(env.OIDC_SCOPES).toBe('openid email profile https://id.fedoraproject.org/scope/groups');
    expect(env.ACCOLADES_ADMIN_GROUPS).toBe('sysadmin-badges');
    expect(env.ACCOLADES_SESSION_HOURS).toBe(336);
  });

  it.each([
    [{ OIDC_ISSUER: 'https://id.example/openidc' }, 'OIDC_CLIENT_ID is required'],
    [{ OIDC_ISSUER: 'id.example' }, 'OIDC_ISSUER'],
    [{ OIDC_SCOPES: 'email profile' }, 'OIDC_SCOPES must include openid'],
    [{ ACCOLADES_SESSION_SECRET: 'short' }, 'ACCOLADES_SESSION_SECRET=<redacted>'],
    [{ ACCOLADES_RATE_LIMIT_LOGIN: '0' }, 'ACCOLADES_RATE_LIMIT_LOGIN'],
  ])('refuses %j, naming the variable', (raw, message) => {
    expect(() => validateEnv(raw)).toThrow(ConfigError);
    expect(() => validateEnv(raw)).toThrow(message);
  });
});
