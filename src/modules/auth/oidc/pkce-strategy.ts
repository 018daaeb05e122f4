import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes } from 'node:crypto';
import type { Request } from 'express';
import OpenIDConnectStrategy from 'passport-openidconnect';
import type { PendingLogin } from '../session-data';

/** At most this many unfinished logins are kept per browser session (oldest dropped). */
const MAX_PENDING = 5;
/** An unfinished login older than this is refused at the callback. */
const PENDING_TTL_MS = 15 * 60 * 1000;

type Req = Request & { oidcVerifier?: string; oidcNext?: string };

/**
 * passport-openidconnect's state store, replaced: the state handle, nonce and PKCE verifier
 * live in the session (a handle is used once), and the login's `next` page rides along.
 */
export class PendingLoginStore {
  store(
    req: Req,
    ctx: { nonce?: string; maxAge?: number; issued?: Date },
    _appState: unknown,
    _meta: unknown,
    cb: (err: Error | null, handle?: string) => void,
  ): void {
    if (!req.session) return cb(new Error('Login needs the session middleware'));
    const handle = randomBytes(24).toString('base64url');
    const pending: Record<string, PendingLogin> = { ...(req.session.oidc ?? {}) };
    pending[handle] = {
      nonce: ctx.nonce,
      maxAge: ctx.maxAge,
      issued: ctx.issued?.toISOString(),
      verifier: req.oidcVerifier ?? '',
      next: req.oidcNext ?? '/',
      created: Date.now(),
    };
    const keys = Object.keys(pending).sort((a, b) => pending[a].created - pending[b].created);
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_PENDING))) delete pending[k];
    req.session.oidc = pending;
    cb(null, handle);
  }

  verify(
    req: Req,
    handle: unknown,
    cb: (err: Error | null, ctx?: false | object, state?: unknown) => void,
  ): void {
    const pending = req.session?.oidc ?? {};
    const entry = typeof handle === 'string' ? pending[handle] : undefined;
    if (typeof handle === 'string' && entry) {
      // One use only, whatever happens next.
      delete pending[handle];
      if (req.session) req.session.oidc = pending;
    }
    if (!entry || Date.now() - entry.created > PENDING_TTL_MS) {
      return cb(null, false, { message: 'the login request was not started here or is too old' });
    }
    req.oidcVerifier = entry.verifier;
    req.oidcNext = entry.next;
    cb(
      null,
      {
        nonce: entry.nonce,
        maxAge: entry.maxAge,
        issued: entry.issued ? new Date(entry.issued) : undefined,
      },
      { next: entry.next },
    );
  }
}

const current = new AsyncLocalStorage<Req>();

interface OAuth2Like {
  getOAuthAccessToken(
    code: string,
    params: Record<string, string>,
    cb: (...args: unknown[]) => void,
  ): void;
}

/**
 * passport-openidconnect with PKCE (S256), which the library lacks: the authorization
 * request carries the challenge, and the token request the verifier kept with the state.
 * The library's token call has no access to the request, so the request is carried to it
 * through AsyncLocalStorage.
 */
export class PkceOidcStrategy extends OpenIDConnectStrategy {
  constructor(...args: ConstructorParameters<typeof OpenIDConnectStrategy>) {
    super(...args);
    const oauth2 = (this as unknown as { _oauth2: OAuth2Like })._oauth2;
    const getToken = oauth2.getOAuthAccessToken.bind(oauth2);
    oauth2.getOAuthAccessToken = (code, params, cb) => {
      const verifier = current.getStore()?.oidcVerifier;
      getToken(code, verifier ? { ...params, code_verifier: verifier } : params, cb);
    };
  }

  override authenticate(req: Req, options?: Record<string, unknown>): void {
    if (!req.query?.code) req.oidcVerifier = randomBytes(32).toString('base64url');
    current.run(req, () => super.authenticate(req, { ...options, pkceFor: req } as object));
  }

  override authorizationParams(options?: { pkceFor?: Req }): object {
    const verifier = options?.pkceFor?.oidcVerifier;
    if (!verifier) return {};
    return {
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    };
  }
}
