import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Passport } from 'passport';
import { ENV } from '../../../config/config.module';
import { baseUrl, type Env } from '../../../config/env.schema';
import { DomainError } from '../../../common/errors/domain-error';
import type { AccountIdentity } from '../accounts.service';
import { loginFailed, loginNotConfigured, loginUnavailable } from '../auth.errors';
import { PendingLoginStore, PkceOidcStrategy } from './pkce-strategy';

interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
}

/** The outcome of a callback: who logged in and where they wanted to go. */
export interface CallbackResult {
  identity: AccountIdentity;
  next: string;
}

const STRATEGY = 'fedora-oidc';

/**
 * Login with an OpenID Connect provider through passport-openidconnect (authorization code
 * flow; state, nonce, issuer, audience and expiry checked by the library), completed with
 * what it leaves out: discovery of the endpoints, PKCE (see PkceOidcStrategy), the ID
 * token's signature (jose, against the provider's JWKS), and userinfo (for the username
 * and the groups claim) whose subject must match the ID token's.
 */
@Injectable()
export class OidcLoginService {
  private readonly logger = new Logger('Login');
  private ready: Promise<{ passport: InstanceType<typeof Passport> }> | null = null;

  constructor(@Inject(ENV) private readonly env: Env) {}

  get configured(): boolean {
    return Boolean(this.env.OIDC_ISSUER && this.env.OIDC_CLIENT_ID);
  }

  get redirectUrl(): string {
    return this.env.OIDC_REDIRECT_URL ?? `${baseUrl(this.env)}/login/callback`;
  }

  /** Redirects the browser to the provider; `next` is where to land after login. */
  async start(req: Request, res: Response, next: string): Promise<void> {
    const outcome = await this.run(req, res, next);
    if (outcome.kind !== 'redirected') {
      throw loginUnavailable('the provider could not be reached');
    }
  }

  /** Handles the provider's redirect back; throws a DomainError when the login fails. */
  async callback(req: Request, res: Response): Promise<CallbackResult> {
    const outcome = await this.run(req, res);
    if (outcome.kind === 'redirected') throw loginFailed('unexpected redirect');
    if (outcome.kind === 'error') {
      const err = outcome.err;
      if (err instanceof DomainError) throw err;
      const code = (err as { code?: string }).code;
      this.logger.warn({ err }, 'login failed');
      // The provider refused the code (replayed, wrong PKCE verifier...): the login failed.
      if (code && /^(invalid_grant|invalid_request|invalid_client|access_denied)$/.test(code)) {
        throw loginFailed(`the provider answered ${code}`);
      }
      throw loginUnavailable('the provider did not answer as expected');
    }
    if (outcome.kind === 'failed') {
      this.logger.warn({ reason: outcome.message }, 'login refused');
      throw loginFailed(outcome.message);
    }
    return {
      identity: outcome.user,
      next: (req as Request & { oidcNext?: string }).oidcNext ?? '/',
    };
  }

  private async run(
    req: Request,
    res: Response,
    next?: string,
  ): Promise<
    | { kind: 'redirected' }
    | { kind: 'error'; err: unknown }
    | { kind: 'failed'; message: string }
    | { kind: 'ok'; user: AccountIdentity }
  > {
    const { passport } = await this.setUp();
    if (next !== undefined) (req as Request & { oidcNext?: string }).oidcNext = next;
    return new Promise((resolve) => {
      const done = (err: unknown, user: AccountIdentity | false, info?: { message?: string }) => {
        if (err) resolve({ kind: 'error', err });
        else if (!user) resolve({ kind: 'failed', message: info?.message ?? 'refused' });
        else resolve({ kind: 'ok', user });
      };
      res.once('finish', () => resolve({ kind: 'redirected' }));
      const middleware = passport.authenticate(STRATEGY, { session: false }, done) as (
        req: Request,
        res: Response,
        next: NextFunction,
      ) => void;
      middleware(req, res, (err?: unknown) => resolve({ kind: 'error', err }));
    });
  }

  private setUp(): Promise<{ passport: InstanceType<typeof Passport> }> {
    if (!this.configured) return Promise.reject(loginNotConfigured());
    this.ready ??= this.build().catch((err: unknown) => {
      this.ready = null; // try discovery again at the next login
      this.logger.error({ err }, 'OpenID Connect discovery failed');
      throw loginUnavailable('the provider could not be reached');
    });
    return this.ready;
  }

  private async build(): Promise<{ passport: InstanceType<typeof Passport> }> {
    const issuer = this.env.OIDC_ISSUER!;
    const clientId = this.env.OIDC_CLIENT_ID!;
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    const meta = (await res.json()) as ProviderMetadata;
    if (meta.issuer !== issuer) {
      throw new Error(`The provider calls itself ${meta.issuer}, not OIDC_ISSUER=${issuer}`);
    }
    const jwks = createRemoteJWKSet(new URL(meta.jwks_uri));
    const strategy = new PkceOidcStrategy(
      {
        issuer,
        authorizationURL: meta.authorization_endpoint,
        tokenURL: meta.token_endpoint,
        userInfoURL: meta.userinfo_endpoint,
        clientID: clientId,
        clientSecret: this.env.OIDC_CLIENT_SECRET ?? '',
        callbackURL: this.redirectUrl,
        scope: this.env.OIDC_SCOPES.split(/\s+/).filter((s) => s && s !== 'openid'),
        // The library checks the nonce only when it sent one: any truthy value turns it on.
        nonce: 'on',
        skipUserProfile: true,
        store: new PendingLoginStore() as never,
      },
      // Arity 7 (iss, profile, context, idToken, accessToken, refreshToken, done): the
      // library picks the arguments it passes by the function's length.
      ((
        _iss: string,
        _profile: unknown,
        _ctx: unknown,
        idToken: string,
        accessToken: string,
        _refresh: string,
        done: (err: unknown, user?: AccountIdentity | false, info?: object) => void,
      ) => {
        this.identify(jwks, meta, idToken, accessToken).then(
          (identity) => done(null, identity),
          (err: unknown) =>
            err instanceof DomainError && err.code === 'AUTH.LOGIN_FAILED'
              ? done(null, false, { message: err.message.replace(/^Login failed: /, '') })
              : done(err),
        );
      }) as never,
    );
    const passport = new Passport();
    passport.use(STRATEGY, strategy as never);
    return { passport };
  }

  private async identify(
    jwks: ReturnType<typeof createRemoteJWKSet>,
    meta: ProviderMetadata,
    idToken: string,
    accessToken: string,
  ): Promise<AccountIdentity> {
    let subject: string;
    try {
      const { payload } = await jwtVerify(idToken, jwks, {
        issuer: this.env.OIDC_ISSUER!,
        audience: this.env.OIDC_CLIENT_ID!,
        clockTolerance: 30,
      });
      subject = String(payload.sub);
    } catch (err) {
      this.logger.warn({ err }, 'ID token refused');
      throw loginFailed('the ID token is not valid');
    }
    const res = await fetch(meta.userinfo_endpoint, {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`userinfo answered ${res.status}`);
    const info = (await res.json()) as Record<string, unknown>;
    if (info.sub !== subject) throw loginFailed('userinfo is about someone else');
    const username = [info.preferred_username, info.nickname].find(
      (v): v is string => typeof v === 'string' && v.length > 0,
    );
    if (!username) throw loginFailed('the provider gave no account name');
    const groups = Array.isArray(info.groups)
      ? info.groups.filter((g): g is string => typeof g === 'string')
      : [];
    return { subject, username, groups };
  }
}
