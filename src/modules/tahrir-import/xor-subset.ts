export interface Candidate {
  key: string;
  /** hashtext(key), as recorded (null for rows recorded before key hashes were). */
  hash: number | null;
}

/** Past this many deletions in one cell, every recorded key of it is asked about instead. */
export const MAX_SUBSET = 3;

/**
 * The deleted keys of a cell of Tahrir's table, named from its counts: `n` recorded keys are
 * gone and their hashes XOR to `xor`. Returns the one subset of `n` candidates that fits,
 * or null when none does, several do, `n` is above MAX_SUBSET or a hash is unknown (then
 * the caller asks Tahrir about every candidate). A subset found by chance (about one in
 * 2^32 / m^(n-1)) is caught when Tahrir confirms its keys missing.
 *
 * Pure; at most m^(n-1) lookups for m candidates (a cell holds a few hundred).
 */
export function xorSubset<C extends Candidate>(
  candidates: C[],
  n: number,
  xor: number,
): C[] | null {
  if (n < 1 || n > MAX_SUBSET || n > candidates.length) return null;
  if (candidates.some((c) => c.hash === null)) return null;
  const hashes = candidates.map((c) => c.hash!);
  const byHash = new Map<number, number[]>();
  hashes.forEach((h, i) => byHash.set(h, [...(byHash.get(h) ?? []), i]));
  const found: number[][] = [];
  // Subsets as increasing index lists: the last member is looked up by the hash it needs.
  const extend = (chosen: number[], acc: number): void => {
    if (found.length > 1) return;
    const from = chosen.length ? chosen[chosen.length - 1] + 1 : 0;
    if (chosen.length === n - 1) {
      for (const i of byHash.get((xor ^ acc) | 0) ?? []) if (i >= from) found.push([...chosen, i]);
      return;
    }
    for (let i = from; i < hashes.length; i++) extend([...chosen, i], acc ^ hashes[i]);
  };
  extend([], 0);
  return found.length === 1 ? found[0].map((i) => candidates[i]) : null;
}
