import { ApiError, type ApiClient, seg } from './api-client';
import type { Badge, Held, Holder, Page, Profile } from './types';

/** Who a bulk award or revocation would change, read through the API before writing. */
export interface Preview {
  /** Award: people who do not hold the badge yet. Revoke: people who hold it. */
  change: string[];
  /** Award: people who already hold it. Revoke: people who do not hold it. */
  unchanged: string[];
  /** No such account here (or one hidden from others: people who opted out). */
  unknown: string[];
}

const PER_PAGE = 200;

/** Runs `fn` over `items`, at most `limit` at a time, results in the items' order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Every item of a paginated list. */
async function allItems<T>(api: ApiClient, path: string): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const p = await api.get<Page<T>>(path, { page, per_page: PER_PAGE });
    items.push(...p.items);
    if (page >= p.pages) return items;
  }
}

const pages = (n: number) => Math.max(1, Math.ceil(n / PER_PAGE));

/**
 * The people of the list, found or unknown, and which of them hold the badge. Holdings
 * come from the badge's holders or from each person's badges, whichever takes fewer
 * requests (a new event badge has few holders; a popular one has thousands).
 */
export async function holdings(
  api: ApiClient,
  badge: Badge,
  names: readonly string[],
): Promise<{ known: Profile[]; unknown: string[]; holders: Set<string> }> {
  const found = await mapLimit(names, 8, async (name) => {
    try {
      return await api.get<Profile>(`/api/v1/users/${seg(name)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  });
  const known = found.filter((p): p is Profile => p !== null);
  const unknown = names.filter((_, i) => found[i] === null);
  const perPerson = known.reduce((n, p) => n + pages(p.badge_count), 0);
  const holders = new Set<string>();
  if (pages(badge.times_awarded) <= perPerson) {
    const all = await allItems<Holder>(api, `/api/v1/badges/${seg(badge.id)}/holders`);
    for (const h of all) holders.add(h.nickname);
  } else {
    await mapLimit(known, 8, async (p) => {
      const held = await allItems<Held>(api, `/api/v1/users/${seg(p.nickname)}/assertions`);
      if (held.some((h) => h.badge.id === badge.id)) holders.add(p.nickname);
    });
  }
  return { known, unknown, holders };
}

/** The preview of awarding (`award`) or revoking (`revoke`) a badge to a list of people. */
export async function preview(
  api: ApiClient,
  kind: 'award' | 'revoke',
  badge: Badge,
  names: readonly string[],
): Promise<Preview> {
  const { known, unknown, holders } = await holdings(api, badge, names);
  const holds = (p: Profile) => holders.has(p.nickname);
  const [change, unchanged] =
    kind === 'award'
      ? [known.filter((p) => !holds(p)), known.filter(holds)]
      : [known.filter(holds), known.filter((p) => !holds(p))];
  return {
    change: change.map((p) => p.nickname),
    unchanged: unchanged.map((p) => p.nickname),
    unknown,
  };
}
