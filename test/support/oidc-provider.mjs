// A real OpenID Connect provider (the oidc-provider package, ESM-only) for the tests, run in
// a child process because Jest runs the suites as CommonJS. Started by test/support/oidc.ts
// with its settings as JSON in argv[2]; prints "OIDC_READY <issuer>" when listening; takes
// accounts to add over the IPC channel ({ type: 'account', account }) and answers
// { type: 'ok', id }.
import { createServer } from 'node:http';
import process from 'node:process';
import Provider from 'oidc-provider';

const settings = JSON.parse(process.argv[2]);
const GROUPS_SCOPE = 'https://id.fedoraproject.org/scope/groups';

/** Accounts by login name: { sub, username, email, groups }. */
const accounts = new Map();
for (const a of settings.accounts ?? []) accounts.set(a.username, a);

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: settings.clients.map((c) => ({
    client_id: c.clientId,
    client_secret: c.clientSecret,
    redirect_uris: c.redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    // What passport-openidconnect's OAuth2 client does: the secret in the form body.
    token_endpoint_auth_method: 'client_secret_post',
  })),
  // The dev login form accepts any login and password; the login is the account's subject
  // (test/support/login.ts types it). Unknown logins are accounts without groups.
  async findAccount(_ctx, id) {
    const a = [...accounts.values()].find((x) => x.sub === id) ??
      accounts.get(id) ?? { sub: id, username: id, email: `${id}@example.test`, groups: [] };
    return {
      accountId: a.sub,
      async claims() {
        return {
          sub: a.sub,
          email: a.email,
          email_verified: true,
          preferred_username: a.username,
          nickname: a.username,
          name: a.username,
          groups: a.groups,
        };
      },
    };
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['preferred_username', 'nickname', 'name'],
    [GROUPS_SCOPE]: ['groups'],
  },
  scopes: ['openid', 'email', 'profile', GROUPS_SCOPE],
  // Fedora's provider supports PKCE; require it, so the tests prove the client sends it.
  pkce: { required: () => true },
  cookies: { keys: ['test-provider-cookie-key'] },
  features: { devInteractions: { enabled: true } },
  ttl: {
    Session: 3600,
    Interaction: 600,
    Grant: 3600,
    AccessToken: 600,
    IdToken: 600,
    AuthorizationCode: 60,
  },
});
provider.proxy = false;
// oidc-provider logs a warning about the dev interactions on every start: keep stdout clean.
process.removeAllListeners('warning');

server.on('request', provider.callback());
process.on('message', (msg) => {
  if (msg?.type === 'account') {
    accounts.set(msg.account.username, msg.account);
    process.send?.({ type: 'ok', id: msg.id });
  }
});
process.on('disconnect', () => process.exit(0));
process.stdout.write(`OIDC_READY ${issuer}\n`);
