/**
 * Who is looking at a page. Login (issue 7) authenticates the request and sets `req.user`
 * to this shape; pages read it through `viewerOf` and render their logged-in parts (your
 * award date on a badge, your place on the leaderboard) when it is there.
 */
export interface Viewer {
  personId: number;
  nickname: string;
  isAdmin: boolean;
}

/** The viewer of a request, or null for an anonymous visitor. */
export function viewerOf(req: { user?: unknown }): Viewer | null {
  const u = req.user as Partial<Viewer> | undefined;
  if (!u || typeof u.personId !== 'number' || typeof u.nickname !== 'string') return null;
  return { personId: u.personId, nickname: u.nickname, isAdmin: u.isAdmin === true };
}
