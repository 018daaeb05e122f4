import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export interface TestAccount {
  sub: string;
  username: string;
  email: string;
  groups: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  /** The app's environment entries that point its login at this provider. */
  env: Record<string, string>;
  /** Registers (or replaces) an account before someone logs in as it. */
  addAccount(a: Partial<TestAccount> & { username: string }): Promise<TestAccount>;
  stop(): Promise<void>;
}

/** Providers started by this test file, by issuer (loginAs finds its provider by the app's env). */
const running = new Map<string, TestOidcProvider>();

export function providerFor(issuer: string | undefined): TestOidcProvider {
  const p = issuer ? running.get(issuer) : undefined;
  if (!p)
    throw new Error(`No test OIDC provider runs at ${issuer} (start it with startOidcProvider)`);
  return p;
}

/**
 * Starts the real oidc-provider package in a child process (it is ESM-only; Jest runs the
 * suites as CommonJS) on 127.0.0.1, with one confidential client whose redirect URL is the
 * given one. The provider requires PKCE and shows its development login and consent forms.
 */
export async function startOidcProvider(
  opts: { redirectUrl?: string; accounts?: (Partial<TestAccount> & { username: string })[] } = {},
): Promise<TestOidcProvider> {
  const clientId = 'accolades-test';
  const clientSecret = randomBytes(16).toString('hex');
  const redirectUrl = opts.redirectUrl ?? 'http://127.0.0.1:1/login/callback';
  const settings = {
    clients: [{ clientId, clientSecret, redirectUris: [redirectUrl] }],
    accounts: (opts.accounts ?? []).map(account),
  };
  const child = fork(join(__dirname, 'oidc-provider.mjs'), [JSON.stringify(settings)], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Jest's own flags (vm modules) are not for this process.
    execArgv: [],
  });
  const issuer = await readyOf(child);
  let seq = 0;
  const provider: TestOidcProvider = {
    issuer,
    clientId,
    clientSecret,
    redirectUrl,
    env: {
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: clientId,
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_REDIRECT_URL: redirectUrl,
      ACCOLADES_SESSION_SECRET: 'test-session-secret-0123456789abcdef',
    },
    addAccount: (a) =>
      new Promise((resolve, reject) => {
        const full = account(a);
        const id = ++seq;
        const onMessage = (msg: { type?: string; id?: number }) => {
          if (msg?.type === 'ok' && msg.id === id) {
            child.off('message', onMessage);
            resolve(full);
          }
        };
        child.on('message', onMessage);
        child.send({ type: 'account', id, account: full }, (err) => err && reject(err));
      }),
    stop: async () => {
      running.delete(issuer);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
  running.set(issuer, provider);
  return provider;
}

function account(a: Partial<TestAccount> & { username: string }): TestAccount {
  return {
    sub: a.sub ?? a.username,
    username: a.username,
    email: a.email ?? `${a.username}@example.test`,
    groups: a.groups ?? [],
  };
}

function readyOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => fail(new Error('the OIDC provider did not start in 15 s')),
      15_000,
    );
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${e.message}\n${err}`));
    };
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /OIDC_READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => fail(new Error(`the OIDC provider exited (${code})`)));
  });
}
