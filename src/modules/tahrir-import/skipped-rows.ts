import { TABLES, type TableSpec } from './tahrir-tables';

/**
 * Why a Tahrir row was skipped, as its provenance `detail` says it ('; ' between parts),
 * and which skipped rows are worth reading again.
 *
 * The same wording is written (markOrphans, applyDeletes, the duplicate checks) and read
 * back (retryCandidatesSql), so it lives here only.
 */
export const skippedBecause = {
  /** The row refers to a `what` (badge, person...) that Accolades does not have. */
  missing: (what: string, keySql: string) => `'${what} ' || ${keySql} || ' not found'`,
  /** The `what` it referred to was deleted in Tahrir. */
  deleted: (what: string, keySql: string) => `'${what} ' || ${keySql} || ' deleted in Tahrir'`,
  /** Another row of the table states the same fact (same person, same badge). */
  duplicate: (keySql: string) => `'same as ' || ${keySql}`,
};

/**
 * Skipped rows worth reading again (see retryCandidatesSql), by table: `holder` NULL for a
 * row to retry whatever this run finds, else the key of the row a duplicate is the same as.
 */
export const RETRY_ROWS = 'tahrir_retry_rows';
export const retryRowsTable = `CREATE TEMP TABLE ${RETRY_ROWS} (tbl text NOT NULL, key text NOT NULL, holder text)`;

/**
 * Target SQL filling RETRY_ROWS with a table's skipped rows that may be imported now:
 *
 * - an orphan whose missing badge, person... is in Accolades now, or is about to be
 *   inserted by this run (its table's stage, already judged, says so);
 * - a duplicate whose row of the same fact is retried itself, or is not in Accolades (and
 *   was imported, or is not recorded at all);
 * - and every other duplicate with that row's key, for retrySql to match against the keys
 *   this run finds changed.
 *
 * The others wait: nothing they depend on moved. (Rows with a detail in another wording
 * are always read again.) Nothing here needs the source, so it runs while the source is
 * scanned for changes; on a cold cache its index lookups are a good part of a catch-up.
 */
export function retryCandidatesSql(t: TableSpec, stageExists: Set<string>): string {
  const name = `'${t.source}'`;
  const refs = t.parents.filter((ref) => ref.cols.length === 1);
  // What an orphan waits for is there now: in Accolades, or staged for insertion.
  const arrived = refs.map((ref) => {
    const parent = TABLES.find((p) => p.target === ref.target)!;
    const inTarget = `EXISTS (SELECT 1 FROM ${ref.target} p WHERE p.${ref.refCols[0]} = ${parent.pkOfKey('ref')[0]})`;
    const stage = `tahrir_stage_${parent.target}`;
    const staged = stageExists.has(stage)
      ? ` OR EXISTS (SELECT 1 FROM ${stage} s WHERE s.key = ref AND s.action = 'insert')`
      : '';
    return `WHEN '${ref.what}' THEN ${inTarget}${staged}`;
  });
  const whats = refs.map((ref) => `'${ref.what}'`).join(', ') || 'NULL';
  const holderRow = t.pkOfKey('h.key');
  const holderInTarget = t.pk.map((c, i) => `x.${c} = ${holderRow[i]}`).join(' AND ');
  // Each part of a detail read once, by plain string functions: "<what> <key> not found",
  // "<what> <key> deleted in Tahrir" (a one-word what), "same as <key>".
  return `
    WITH skipped AS (
      SELECT r.source_key AS key, r.status, p.part, w.what, w.ref
        FROM tahrir_import_rows r
        LEFT JOIN LATERAL unnest(string_to_array(r.detail, '; ')) p(part) ON true
        LEFT JOIN LATERAL (
          SELECT CASE WHEN p.part LIKE 'same as %' THEN 'same as'
                      WHEN p.part LIKE '% not found' OR p.part LIKE '% deleted in Tahrir'
                      THEN split_part(p.part, ' ', 1) END AS what,
                 CASE WHEN p.part LIKE 'same as %' THEN substr(p.part, 9)
                      WHEN p.part LIKE '% not found'
                      THEN substr(p.part, strpos(p.part, ' ') + 1, length(p.part) - strpos(p.part, ' ') - 10)
                      WHEN p.part LIKE '% deleted in Tahrir'
                      THEN substr(p.part, strpos(p.part, ' ') + 1, length(p.part) - strpos(p.part, ' ') - 18)
                 END AS ref) w ON true
       WHERE r.source_table = ${name} AND r.status IN ('orphan', 'duplicate')),
    unknown AS (
      SELECT key FROM skipped
       WHERE part IS NULL OR what IS NULL OR (what <> 'same as' AND what NOT IN (${whats}))),
    orphans AS (
      SELECT key FROM skipped
       WHERE status = 'orphan' AND ${arrived.length ? `CASE what ${arrived.join(' ')} ELSE false END` : 'false'}),
    holders AS (
      SELECT key, ref AS holder FROM skipped WHERE status = 'duplicate' AND what = 'same as'),
    now AS (
      SELECT key FROM unknown
      UNION SELECT key FROM orphans
      UNION
      SELECT d.key FROM holders d CROSS JOIN LATERAL (SELECT d.holder AS key) h
       WHERE h.key IN (SELECT key FROM orphans)
          -- Gone from Accolades (Accolades first: a holder is nearly always there, and each
          -- lookup is a page read on a cold cache), unless it never was imported.
          OR (NOT EXISTS (SELECT 1 FROM ${t.target} x WHERE ${holderInTarget})
              AND NOT EXISTS (SELECT 1 FROM tahrir_import_rows p
                               WHERE p.source_table = ${name} AND p.source_key = h.key
                                 AND p.status <> 'imported')))
    INSERT INTO ${RETRY_ROWS} (tbl, key, holder)
    SELECT ${name}, key, NULL FROM now
    UNION ALL SELECT ${name}, key, holder FROM holders WHERE key NOT IN (SELECT key FROM now)`;
}

/**
 * Target SQL listing the keys of a table's skipped rows to read again (RETRY_ROWS filled):
 * the candidates, and the duplicates whose row of the same fact is deleted or written
 * again by this run (`changedKeys`: target SQL of this table's keys).
 */
export function retrySql(t: TableSpec, changedKeys: string): string {
  const name = `'${t.source}'`;
  return `
    SELECT key FROM ${RETRY_ROWS} WHERE tbl = ${name} AND holder IS NULL
    UNION SELECT key FROM ${RETRY_ROWS} WHERE tbl = ${name} AND holder IN (${changedKeys})`;
}
