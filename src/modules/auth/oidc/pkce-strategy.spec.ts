import { PendingLoginStore, PkceOidcStrategy } from './pkce-strategy';

type Req = Parameters<PendingLoginStore['store']>[0];

function req(session: Record<string, unknown> = {}): Req {
  return { session, query: {} } as unknown as Req;
}

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', () => {
    const strategy = new PkceOidcStrategy(
      {
        issuer: 'https://id.example',
        authorizationURL: 'https://id.example/auth',
        tokenURL: 'https://id.example/token',
        userInfoURL: 'https://id.example/userinfo',
        clientID: 'c',
        clientSecret: 's',
        callbackURL: 'https://app.example/login/callback',
      },
      (() => undefined) as never,
    );
    const r = { oidcVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' } as Req;
    expect(strategy.authorizationParams({ pkceFor: r })).toEqual({
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    expect(strategy.authorizationParams({})).toEqual({});
  });
});

describe('PendingLoginStore', () => {
  const store = new PendingLoginStore();

  function put(r: Req, nonce: string): string {
    let handle = '';
    r.oidcVerifier = `verifier-${nonce}`;
    r.oidcNext = `/after/${nonce}`;
    store.store(r, { nonce }, undefined, undefined, (err, h) => {
      expect(err).toBeNull();
      handle = h!;
    });
    return handle;
  }

  function take(r: Req, handle: unknown) {
    let out: { ctx?: unknown; state?: unknown } = {};
    store.verify(r, handle, (_err, ctx, state) => (out = { ctx, state }));
    return out;
  }

  it('gives the nonce, verifier and next page back once per state handle', () => {
    const r = req();
    const handle = put(r, 'n1');
    expect(handle).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const back = req(r.session as unknown as Record<string, unknown>);
    expect(take(back, handle)).toEqual({
      ctx: { nonce: 'n1', maxAge: undefined, issued: undefined },
      state: { next: '/after/n1' },
    });
    expect(back.oidcVerifier).toBe('verifier-n1');
    expect(take(back, handle).ctx).toBe(false);
  });

  it('refuses unknown, missing and stale handles', () => {
    const r = req();
    const handle = put(r, 'n2');
    expect(take(r, 'forged').ctx).toBe(false);
    expect(take(r, undefined).ctx).toBe(false);
    r.session!.oidc![handle].created -= 16 * 60 * 1000;
    expect(take(r, handle).ctx).toBe(false);
  });

  it('keeps at most five unfinished logins per session', () => {
    const r = req();
    const handles = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => put(r, n));
    expect(Object.keys(r.session!.oidc!)).toHaveLength(5);
    expect(take(r, handles[5]).ctx).toMatchObject({ nonce: 'f' });
  });
});
