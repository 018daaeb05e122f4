import { timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';
import { unauthorized } from '../../common/errors/domain-error';

/** The bearer token of a request, if it carries one. */
export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  const match = header && /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Admin writes of the REST API: `Authorization: Bearer <ACCOLADES_ADMIN_TOKEN>`. Without a
 * configured token every write answers 401, never a silent success.
 */
@Injectable()
export class WriteAccessGuard implements CanActivate {
  constructor(@Inject(ENV) private readonly env: Env) {}

  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<Request>();
    const token = bearerToken(req);
    if (!token) {
      throw unauthorized(
        'AUTH.REQUIRED',
        'This endpoint needs an "Authorization: Bearer <token>" header.',
      );
    }
    if (!this.env.ACCOLADES_ADMIN_TOKEN || !sameSecret(token, this.env.ACCOLADES_ADMIN_TOKEN)) {
      throw unauthorized('AUTH.INVALID_TOKEN', 'The bearer token is not valid.');
    }
    return true;
  }
}
