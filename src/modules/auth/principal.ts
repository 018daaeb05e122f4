import type { Request } from 'express';

/** What a personal API token may do. `admin` only counts for a person who is an admin. */
export const SCOPES = ['read', 'grant', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * Who is calling the API: automation with the bootstrap token (ACCOLADES_ADMIN_TOKEN), a
 * person's API token, or a person's browser session. Set on `req.principal` before the
 * route's guards run (PrincipalGuard).
 */
export interface Principal {
  via: 'bootstrap' | 'token' | 'session';
  personId: number | null;
  nickname: string | null;
  isAdmin: boolean;
  scopes: Scope[];
}

export type RequestWithPrincipal = Request & {
  principal?: Principal;
  /** Why a bearer token given with the request was refused (told only where one is needed). */
  principalError?: Error;
};

export function principalOf(req: object): Principal | null {
  return (req as RequestWithPrincipal).principal ?? null;
}

export function hasScope(p: Principal, scope: Scope): boolean {
  return p.scopes.includes(scope);
}

/** The audit log's name for a principal: the account name, or "bootstrap" for automation. */
export function actorName(p: Principal | null): string | null {
  if (!p) return null;
  return p.nickname ?? p.via;
}

/** Scopes of a person acting through their session: everything they may do. */
export function sessionScopes(isAdmin: boolean): Scope[] {
  return isAdmin ? ['read', 'grant', 'admin'] : ['read', 'grant'];
}
