import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';
import { viewerOf } from '../../common/viewer';
import { ApiTokensService } from './api-tokens.service';
import { invalidToken } from './auth.errors';
import { type RequestWithPrincipal, SCOPES, sessionScopes } from './principal';
import { bearerToken, sameSecret } from './write-access.guard';

/**
 * Global guard that names the caller of every request: `req.principal` from the bearer
 * token (the bootstrap admin token or a personal API token) or else the login session. It
 * never refuses by itself: an invalid token is remembered in `req.principalError` and
 * reported by the guards of endpoints that need a principal (reads stay public).
 */
@Injectable()
export class PrincipalGuard implements CanActivate {
  constructor(
    @Inject(ENV) private readonly env: Env,
    private readonly tokens: ApiTokensService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<RequestWithPrincipal>();
    if (req.principal) return true;
    const token = bearerToken(req);
    if (token) {
      const admin = this.env.ACCOLADES_ADMIN_TOKEN;
      if (admin && sameSecret(token, admin)) {
        req.principal = {
          via: 'bootstrap',
          personId: null,
          nickname: null,
          isAdmin: true,
          scopes: [...SCOPES],
        };
      } else {
        const p = await this.tokens.principal(token);
        if (p) req.principal = p;
        else req.principalError = invalidToken();
      }
      return true;
    }
    const viewer = viewerOf(req);
    if (viewer) {
      req.principal = {
        via: 'session',
        personId: viewer.personId,
        nickname: viewer.nickname,
        isAdmin: viewer.isAdmin,
        scopes: sessionScopes(viewer.isAdmin),
      };
    }
    return true;
  }
}
