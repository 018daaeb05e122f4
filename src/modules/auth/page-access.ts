import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { forbidden } from '../../common/errors/domain-error';
import { viewerOf } from '../../common/viewer';

/** The login URL that comes back to this request's page afterwards. */
export function loginUrlFor(req: Request): string {
  const back = req.method === 'GET' ? req.originalUrl : (req.get('referer') ?? '/');
  return `/login?next=${encodeURIComponent(safeNext(back))}`;
}

/** A local path to return to after login; anything else (other hosts, `//x`) becomes `/`. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string') return '/';
  let path = next;
  // A Referer is absolute: keep only its path when it is ours (the caller checked the host).
  if (/^https?:\/\//i.test(path)) {
    try {
      const u = new URL(path);
      path = u.pathname + u.search;
    } catch {
      return '/';
    }
  }
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  if (path.startsWith('/login') || path.startsWith('/logout')) return '/';
  return path.length > 2000 ? '/' : path;
}

/** Pages for people who are logged in: anyone else is sent to login, then back. */
@Injectable()
export class SignedInGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<Request>();
    if (viewerOf(req)) return true;
    // Answered here: Nest's filter sees headers already sent and leaves the response alone.
    ctx.switchToHttp().getResponse<Response>().redirect(302, loginUrlFor(req));
    return false;
  }
}

/** Admin pages: login first, then a 403 page for people who are not admins. */
@Injectable()
export class AdminPageGuard extends SignedInGuard {
  override canActivate(ctx: ExecutionContext): boolean {
    if (!super.canActivate(ctx)) return false;
    const viewer = viewerOf(ctx.switchToHttp().getRequest<Request>());
    if (!viewer?.isAdmin) throw forbidden('AUTH.FORBIDDEN', 'This page is for admins only.');
    return true;
  }
}

/** A page for logged-in people (anonymous visitors get a 302 to /login?next=<url>). */
export const SignedIn = () => applyDecorators(UseGuards(SignedInGuard));

/** A page for admins (anonymous: to login; logged in but not admin: a 403 page). */
export const AdminPage = () => applyDecorators(UseGuards(AdminPageGuard));
