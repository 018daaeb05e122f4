import { randomBytes } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { csrfRefused } from './auth.errors';
import { bearerToken, sameSecret } from './write-access.guard';

/** Name of the session cookie (distinct from the OIDC provider's cookies). */
export const SESSION_COOKIE = 'accolades.sid';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session's CSRF token, made on first use (only for sessions that exist anyway). */
export function csrfTokenOf(req: Request): string | null {
  const s = req.session;
  if (!s) return null;
  s.csrfToken ??= randomBytes(24).toString('base64url');
  return s.csrfToken;
}

function carriesSessionCookie(req: Request): boolean {
  return (req.headers.cookie ?? '')
    .split(';')
    .some((c) => c.trim().startsWith(`${SESSION_COOKIE}=`));
}

function givenToken(req: Request): string | null {
  const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
  const fromHeader = req.headers['x-csrf-token'];
  const fromQuery = (req.query as Record<string, unknown> | undefined)?._csrf;
  for (const v of [fromBody, fromHeader, fromQuery]) {
    if (typeof v === 'string' && v) return v;
  }
  return null;
}

/**
 * Global guard: a state-changing request that carries the session cookie (a browser
 * form) must carry the session's token too, as the body field `_csrf`, the header
 * `x-csrf-token`, or the query parameter `_csrf` (multipart forms, whose body is read after
 * the guards). Bearer-token requests carry no ambient credentials and are exempt.
 * Synchronizer tokens rather than double-submit cookies: the session is in the database
 * anyway, and sameSite=lax cookies alone do not cover same-site subdomains.
 */
@Injectable()
export class CsrfGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<Request>();
    if (SAFE.has(req.method) || bearerToken(req) || !carriesSessionCookie(req)) return true;
    const expected = req.session?.csrfToken;
    const given = givenToken(req);
    if (!expected || !given || !sameSecret(given, expected)) throw csrfRefused();
    stripToken(req);
    return true;
  }
}

/**
 * Removes `_csrf` from the body and query once checked, so DTOs (validated with
 * forbidNonWhitelisted) never see it. Express 5 parses `req.query` anew at each read: the
 * cleaned copy shadows the getter on this request.
 */
function stripToken(req: Request): void {
  const body = req.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && '_csrf' in body) delete body._csrf;
  const query = req.query as Record<string, unknown>;
  if (query && '_csrf' in query) {
    const rest = { ...query };
    delete rest._csrf;
    Object.defineProperty(req, 'query', { value: rest, writable: true, configurable: true });
  }
}
