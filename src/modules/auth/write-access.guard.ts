import { timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { authRequired, missingScope, notAdmin } from './auth.errors';
import { type Principal, type RequestWithPrincipal, type Scope } from './principal';

/** The bearer token of a request, if it carries one. */
export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  const match = header && /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The principal PrincipalGuard found, or the reason there is none (401). */
function requirePrincipal(ctx: ExecutionContext): Principal {
  const req = ctx.switchToHttp().getRequest<RequestWithPrincipal>();
  if (req.principal) return req.principal;
  throw req.principalError ?? authRequired();
}

export const REQUIRED_SCOPES = 'accolades:requiredScopes';

/**
 * `@Authenticated(...scopes)`: any principal (bootstrap token, personal token, session)
 * holding every scope listed.
 */
@Injectable()
export class AuthenticatedGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean {
    const principal = requirePrincipal(ctx);
    const scopes =
      this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, [
        ctx.getHandler(),
        ctx.getClass(),
      ]) ?? [];
    for (const scope of scopes) {
      if (!principal.scopes.includes(scope)) throw missingScope(scope);
    }
    return true;
  }
}

/**
 * `@AdminOnly()`: admins only: the bootstrap token (ACCOLADES_ADMIN_TOKEN), an admin's
 * token with the `admin` scope, or an admin's session. Without a configured bootstrap token
 * and without a principal every such endpoint answers 401, never a silent success.
 */
@Injectable()
export class WriteAccessGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const principal = requirePrincipal(ctx);
    if (!principal.isAdmin) throw notAdmin();
    return true;
  }
}
