import type { SourceDb, SourceMarks } from './source-db';
import { type HashScheme, sourceRowOfKey, type TableSpec } from './tahrir-tables';
import type { TargetDb } from './target-db';
import { xorSubset } from './xor-subset';

/**
 * Finding what changed in a large Tahrir table since the last run by PostgreSQL's
 * transaction ids, instead of hashing every row (TableSync's other way):
 *
 * - Rows written since (inserted or updated) carry a transaction id (`xmin`) at or after
 *   the oldest transaction still running when the last run took its snapshot: one plain
 *   scan lists them ("fresh" rows). Frozen rows keep their id, and ids are compared
 *   modulo 2^32 from now back to that point, so a row older than that is never taken for
 *   fresh except by a wrap-around alias (then it is only read again, harmlessly).
 * - Deleted rows leave no trace, so they are found by counting: per cell (16 buckets),
 *   the rows present now that are not fresh, and the XOR of their hashtext(key), against
 *   the same figures recorded at the last run minus the recorded rows written again since.
 *   What is left over are the deleted rows: one in a cell, and the XOR is its key's hash,
 *   found among the recorded keys by index; more, and every recorded key of the cell is a
 *   suspect. Tahrir then confirms the suspects missing by primary key.
 *
 * Only the fresh rows are read, and the buckets' counts and hashes are brought up to date
 * from the recorded ones (XOR and sum can take a row's hash out again). Anything that does
 * not add up (a count below zero, deletions not found, a total that differs) sends the
 * table back to hashing, which needs no history.
 */

/** Buckets per cell: 2^4. */
const CELL_SHIFT = 4;
/**
 * Transaction ids further back than this (a run months ago on a busy server) are not
 * compared: hashing is used instead. Well inside the 2^31 that age() can tell apart.
 */
const MAX_WINDOW = 2n ** 30n;

/**
 * Per cell: the source's row count and XOR of hashtext(key), all rows (fresh or not), and
 * the fresh rows' keys and hashes.
 */
export const SRC_CELLS = 'tahrir_src_cells';
/** The keys of the fresh rows, with their buckets and hashtext(key). */
export const FRESH_ROWS = 'tahrir_fresh_rows';
/** Recorded keys that Tahrir no longer has. */
export const GONE_ROWS = 'tahrir_gone_rows';

export const xidRunTables = [
  `CREATE TEMP TABLE ${SRC_CELLS} (
     tbl text NOT NULL, cell integer NOT NULL, rows integer NOT NULL, key_xor integer NOT NULL,
     fresh_keys text[], fresh_hashes integer[], PRIMARY KEY (tbl, cell))`,
  ...[FRESH_ROWS, GONE_ROWS].map(
    (table) => `CREATE TEMP TABLE ${table} (
     tbl text NOT NULL, key text NOT NULL, bucket integer NOT NULL, key_hash integer NOT NULL,
     PRIMARY KEY (tbl, key))`,
  ),
];

export interface XidState {
  sourceSystem: string | null;
  /** 64-bit transaction id, as PostgreSQL prints it. */
  sourceXmin: string | null;
}

/** The last run's snapshot xmin when this run can compare transaction ids with it. */
export function comparableXmin(state: XidState, now: SourceMarks): bigint | null {
  if (!state.sourceSystem || state.sourceXmin === null) return null;
  if (now.system !== state.sourceSystem) return null;
  const last = BigInt(state.sourceXmin);
  if (last > now.xmax || now.xmax - last >= MAX_WINDOW) return null;
  return last;
}

/**
 * The source query, one scan: per cell, the row count, the XOR of hashtext(key), and the
 * keys and key hashes of the fresh rows (COPY rows for SRC_CELLS).
 */
export function xidQuery(t: TableSpec, buckets: number, lastXmin: bigint): string {
  const name = `'${t.source}'`;
  const mask = buckets - 1;
  // age() counts back from this transaction's own reference point, the same for both
  // sides of the comparison (xids 0 to 2 are never a snapshot's xmin; kept out anyway).
  const since = BigInt.asUintN(32, lastXmin) < 3n ? 3n : BigInt.asUintN(32, lastXmin);
  // OFFSET 0: the planner then expects a few hundred groups (not one per key) and sizes
  // its hash table for them.
  return `
    SELECT ${name}, (h & ${mask}) >> ${CELL_SHIFT}, count(*), bit_xor(h),
           array_agg(k) FILTER (WHERE fresh), array_agg(h) FILTER (WHERE fresh)
      FROM (SELECT ${t.key} AS k, hashtext(${t.key}) AS h,
                   age(x.xmin) BETWEEN 0 AND age('${since}'::xid) AS fresh
              FROM ${t.source} x OFFSET 0) s
     GROUP BY 2`;
}

/**
 * Fills GONE_ROWS with the recorded rows Tahrir deleted (SRC_CELLS and FRESH_ROWS
 * loaded); false when the counts do not add up.
 *
 * Per cell, n = recorded rows - rows still there unchanged - recorded rows written again.
 * With n = 1 the leftover XOR of hashtext(key) is the deleted key's hash (when every
 * bucket of the cell has its key XOR recorded), so only the recorded keys of its bucket
 * with that hash are asked about; otherwise every recorded key of the bucket (n = 1).
 * With n = 2 or 3, the keys of the cell whose hashes XOR to the leftover (xor-subset.ts);
 * where none or several subsets fit, or more rows went, every recorded key of the cell.
 * Tahrir confirms each one missing, by its primary key.
 */
export async function findDeletions(
  source: SourceDb,
  target: TargetDb,
  t: TableSpec,
  buckets: number,
): Promise<boolean> {
  const name = `'${t.source}'`;
  const mask = buckets - 1;
  const cells = await target.query<{ cell: number; n: number; b: number; h: number | null }>(`
    WITH fresh AS (
      SELECT bucket >> ${CELL_SHIFT} AS cell, count(*)::int AS rows, bit_xor(key_hash) AS h
        FROM ${FRESH_ROWS} WHERE tbl = ${name} GROUP BY 1),
    kept AS (
      SELECT c.cell, c.rows - coalesce(f.rows, 0) AS rows, c.key_xor # coalesce(f.h, 0) AS h
        FROM ${SRC_CELLS} c LEFT JOIN fresh f ON f.cell = c.cell WHERE c.tbl = ${name}),
    recorded AS (
      SELECT bucket >> ${CELL_SHIFT} AS cell, sum(rows)::int AS rows,
             coalesce(bit_xor(bucket) FILTER (WHERE rows % 2 = 1), 0) AS b,
             CASE WHEN bool_and(key_xor IS NOT NULL) THEN bit_xor(key_xor) END AS h
        FROM tahrir_import_buckets WHERE source_table = ${name} GROUP BY 1),
    rewritten AS (
      SELECT f.bucket >> ${CELL_SHIFT} AS cell, count(*)::int AS rows, bit_xor(f.key_hash) AS h
        FROM ${FRESH_ROWS} f
        JOIN tahrir_import_rows r ON r.source_table = ${name} AND r.source_key = f.key
       WHERE f.tbl = ${name} GROUP BY 1),
    every AS (SELECT cell FROM recorded UNION SELECT cell FROM kept UNION SELECT cell FROM rewritten)
    SELECT e.cell, d.n, d.b, CASE WHEN r.h IS NOT NULL OR r.cell IS NULL THEN d.h END AS h
      FROM every e
      LEFT JOIN recorded r ON r.cell = e.cell
      LEFT JOIN kept k ON k.cell = e.cell
      LEFT JOIN rewritten w ON w.cell = e.cell
      CROSS JOIN LATERAL (
        SELECT coalesce(r.rows, 0) - coalesce(k.rows, 0) - coalesce(w.rows, 0) AS n,
               coalesce(r.b, 0) # (coalesce(k.h, 0) & ${mask}) # (coalesce(w.h, 0) & ${mask}) AS b,
               coalesce(r.h, 0) # coalesce(k.h, 0) # coalesce(w.h, 0) AS h) d
     WHERE d.n <> 0 OR d.b <> 0 OR (r.h IS NOT NULL AND d.h <> 0)`);
  const located: { bucket: number; want: number | null }[] = [];
  const wholeCells = new Map<number, { n: number; h: number | null }>();
  const expected = new Map<number, number>();
  for (const { cell, n, b, h } of cells) {
    if (n === 1 && b >> CELL_SHIFT === cell && (h === null || (h & mask) === b)) {
      located.push({ bucket: b, want: h });
    } else if (n >= 2) wholeCells.set(cell, { n, h });
    else return false;
    expected.set(cell, n);
  }
  if (!cells.length) return true;
  // The recorded keys that may be gone (not written again since): a lone deletion's key
  // by its hash, where recorded; else every key of its bucket, or of its cell.
  const notFresh = `NOT EXISTS (SELECT 1 FROM ${FRESH_ROWS} f WHERE f.tbl = ${name} AND f.key = r.source_key)`;
  const named = await target.query<Suspect>(
    `SELECT r.source_key AS key, r.key_hash AS want, r.bucket FROM tahrir_import_rows r
      WHERE r.source_table = ${name} AND r.key_hash = ANY($1::integer[]) AND ${notFresh}`,
    [located.filter((l) => l.want !== null).map((l) => l.want)],
  );
  const hit = new Set(named.map((n) => n.bucket));
  const listed = await target.query<Suspect & { hash: number | null }>(
    `SELECT r.source_key AS key, s.want, r.key_hash AS hash, r.bucket
       FROM (SELECT unnest($1::integer[]) AS bucket, unnest($2::integer[]) AS want
             UNION ALL SELECT (c << ${CELL_SHIFT}) + i, NULL
               FROM unnest($3::integer[]) c, generate_series(0, ${(1 << CELL_SHIFT) - 1}) i) s
       CROSS JOIN LATERAL (
         SELECT source_key, key_hash, bucket FROM tahrir_import_rows
          WHERE source_table = ${name} AND bucket = s.bucket OFFSET 0) r
      WHERE ${notFresh}`,
    [
      located.filter((l) => !hit.has(l.bucket)).map((l) => l.bucket),
      located.filter((l) => !hit.has(l.bucket)).map((l) => l.want),
      [...wholeCells.keys()],
    ],
  );
  // Several deletions in a cell: their keys are named by the XOR of their hashes where one
  // subset of the cell's keys fits (xor-subset.ts); Tahrir is asked about the cell's other
  // keys only if that guess does not account for every deletion.
  const suspects: Suspect[] = [...named];
  const fallback = new Map<number, (Suspect & { hash: number | null })[]>();
  for (const s of listed) {
    const cell = s.bucket >> CELL_SHIFT;
    if (!wholeCells.has(cell)) suspects.push(s);
    else fallback.set(cell, [...(fallback.get(cell) ?? []), s]);
  }
  for (const [cell, keys] of fallback) {
    const { n, h } = wholeCells.get(cell)!;
    const subset = h === null ? null : xorSubset(keys, n, h);
    if (subset) {
      suspects.push(...subset.map((s) => ({ key: s.key, want: s.hash, bucket: s.bucket })));
      fallback.set(
        cell,
        keys.filter((s) => !subset.includes(s)),
      );
    } else {
      suspects.push(...keys);
      fallback.delete(cell);
    }
  }
  const gone = await confirmGone(source, t, mask, suspects);
  const left = (cell: number) =>
    (expected.get(cell) ?? 0) - gone.filter((g) => g.bucket >> CELL_SHIFT === cell).length;
  const unsure = [...fallback].filter(([cell]) => left(cell) !== 0).flatMap(([, keys]) => keys);
  if (unsure.length) {
    gone.push(
      ...(await confirmGone(
        source,
        t,
        mask,
        unsure.map((s) => ({ ...s, want: null })),
      )),
    );
  }
  if ([...expected.keys()].some((cell) => left(cell) !== 0)) return false;
  await target.query(
    `INSERT INTO ${GONE_ROWS} (tbl, key, bucket, key_hash)
     SELECT ${name}, unnest($1::text[]), unnest($2::integer[]), unnest($3::integer[])`,
    [gone.map((g) => g.k), gone.map((g) => g.bucket), gone.map((g) => g.h)],
  );
  return true;
}

interface Suspect {
  key: string;
  /** The hash the key must have to be the one looked for (null: any). */
  want: number | null;
  bucket: number;
}

/**
 * The suspects Tahrir no longer has, asked by primary key, with their key hash as its own
 * hashtext() gives it (a suspect whose hash is not the one wanted is not the deleted row).
 */
async function confirmGone(
  source: SourceDb,
  t: TableSpec,
  mask: number,
  suspects: Suspect[],
): Promise<{ k: string; h: number; bucket: number }[]> {
  if (!suspects.length) return [];
  const { rows: asked } = await source.query<{ k: string; h: number; present: boolean }>(
    `SELECT u.k, hh.h, EXISTS (SELECT 1 FROM ${t.source} x WHERE ${sourceRowOfKey(t, 'u.k')}) AS present
       FROM unnest($1::text[], $2::integer[]) AS u(k, want)
       CROSS JOIN LATERAL (SELECT hashtext(u.k) AS h) hh
      WHERE u.want IS NULL OR hh.h = u.want`,
    [suspects.map((s) => s.key), suspects.map((s) => s.want)],
  );
  return asked.filter((a) => !a.present).map((a) => ({ ...a, bucket: a.h & mask }));
}

/**
 * The counts, hashes and key XORs of the changed buckets (rows written or deleted), from
 * the recorded ones: recorded rows gone or written again taken out, fresh rows (read into
 * `read`) put in. Buckets left empty get no row.
 */
export function updatedBucketsSql(
  t: TableSpec,
  hash: HashScheme,
  tables: { changed: string; read: string; into: string },
): string {
  const name = `'${t.source}'`;
  const { combine } = hash;
  const updated =
    combine === 'bit_xor'
      ? `coalesce(b.hash, 0)::bigint # coalesce(o.h, 0) # coalesce(f.h, 0)`
      : `coalesce(b.hash, 0) - coalesce(o.h, 0) + coalesce(f.h, 0)`;
  const rows = `coalesce(b.rows, 0) - coalesce(o.n, 0) + coalesce(f.n, 0)`;
  return `
    INSERT INTO ${tables.into} (tbl, bucket, rows, hash, key_xor)
    SELECT ${name}, c.bucket, ${rows}, ${updated},
           CASE WHEN b.bucket IS NULL OR b.key_xor IS NOT NULL
                THEN coalesce(b.key_xor, 0) # coalesce(o.kh, 0) # coalesce(f.kh, 0) END
      FROM ${tables.changed} c
      LEFT JOIN tahrir_import_buckets b ON b.source_table = ${name} AND b.bucket = c.bucket
      LEFT JOIN (
        SELECT r.bucket, count(*) AS n, ${combine}(r.source_hash) AS h, bit_xor(k.key_hash) AS kh
          FROM (SELECT key, key_hash FROM ${GONE_ROWS} WHERE tbl = ${name}
                UNION ALL SELECT key, key_hash FROM ${FRESH_ROWS} WHERE tbl = ${name}) k
          JOIN tahrir_import_rows r ON r.source_table = ${name} AND r.source_key = k.key
         GROUP BY r.bucket) o ON o.bucket = c.bucket
      LEFT JOIN (
        SELECT x.bucket, count(*) AS n, ${combine}(x.src_hash) AS h, bit_xor(x.key_hash) AS kh
          FROM ${tables.read} x JOIN ${FRESH_ROWS} f ON f.tbl = ${name} AND f.key = x.key
         GROUP BY x.bucket) f ON f.bucket = c.bucket
     WHERE c.tbl = ${name} AND ${rows} <> 0`;
}
