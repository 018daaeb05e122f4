import { TABLES, type TableSpec } from './tahrir-tables';

/**
 * Why a Tahrir row was skipped, as its provenance `detail` says it ('; ' between parts),
 * and which skipped rows are worth reading again.
 *
 * The same wording is written (markOrphans, applyDeletes, the duplicate checks) and read
 * back (retrySql), so it lives here only.
 */
export const skippedBecause = {
  /** The row refers to a `what` (badge, person...) that Accolades does not have. */
  missing: (what: string, keySql: string) => `'${what} ' || ${keySql} || ' not found'`,
  /** The `what` it referred to was deleted in Tahrir. */
  deleted: (what: string, keySql: string) => `'${what} ' || ${keySql} || ' deleted in Tahrir'`,
  /** Another row of the table states the same fact (same person, same badge). */
  duplicate: (keySql: string) => `'same as ' || ${keySql}`,
};

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Target SQL listing the keys of a table's skipped rows that may be imported now:
 *
 * - an orphan whose missing badge, person... is in Accolades now, or is about to be
 *   inserted by this run (its table's stage, already judged, says so);
 * - a duplicate whose row of the same fact is deleted or written again by this run
 *   (`changedKeys`: target SQL of this table's keys), is retried itself, or no longer
 *   holds the fact in Accolades.
 *
 * The others wait: nothing they depend on moved. (Rows with a detail in another wording
 * are always read again.)
 */
export function retrySql(t: TableSpec, changedKeys: string, stageExists: Set<string>): string {
  const name = `'${t.source}'`;
  const parentTests = t.parents
    .filter((ref) => ref.cols.length === 1)
    .map((ref) => {
      const parent = TABLES.find((p) => p.target === ref.target)!;
      const key = `substring(part FROM '^${escapeRegex(ref.what)} (.*) (?:not found|deleted in Tahrir)$')`;
      const inTarget = `EXISTS (SELECT 1 FROM ${ref.target} p WHERE p.${ref.refCols[0]} = ${parent.pkOfKey('w.key')[0]})`;
      const stage = `tahrir_stage_${parent.target}`;
      const staged = stageExists.has(stage)
        ? ` OR EXISTS (SELECT 1 FROM ${stage} s WHERE s.key = w.key AND s.action = 'insert')`
        : '';
      return `EXISTS (SELECT 1 FROM (SELECT ${key} AS key) w
                       WHERE w.key IS NOT NULL AND (${inTarget}${staged}))`;
    });
  const known = [
    ...t.parents.map((ref) => `^${escapeRegex(ref.what)} .* (not found|deleted in Tahrir)$`),
    '^same as ',
  ]
    .map((k) => `'${k.replace(/'/g, "''")}'`)
    .join(', ');
  const holderRow = t.pkOfKey('h.key');
  const holderInTarget = t.pk.map((c, i) => `x.${c} = ${holderRow[i]}`).join(' AND ');
  return `
    WITH skipped AS (
      SELECT r.source_key AS key, r.status, part
        FROM tahrir_import_rows r
        LEFT JOIN LATERAL unnest(string_to_array(r.detail, '; ')) part ON true
       WHERE r.source_table = ${name} AND r.status IN ('orphan', 'duplicate')),
    unknown AS (
      SELECT key FROM skipped WHERE part IS NULL OR NOT part ~ ANY(ARRAY[${known}])),
    orphans AS (
      SELECT key FROM skipped
       WHERE status = 'orphan' AND (${parentTests.join(' OR ') || 'false'})),
    holders AS (
      SELECT key, substring(part FROM '^same as (.*)$') AS holder FROM skipped
       WHERE status = 'duplicate' AND part LIKE 'same as %')
    SELECT key FROM unknown
    UNION SELECT key FROM orphans
    UNION
    SELECT d.key FROM holders d CROSS JOIN LATERAL (SELECT d.holder AS key) h
     WHERE h.key IN (${changedKeys})
        OR h.key IN (SELECT key FROM orphans)
        OR NOT EXISTS (SELECT 1 FROM tahrir_import_rows p
                        WHERE p.source_table = ${name} AND p.source_key = h.key)
        OR EXISTS (SELECT 1 FROM tahrir_import_rows p
                    WHERE p.source_table = ${name} AND p.source_key = h.key AND p.status = 'imported'
                      AND NOT EXISTS (SELECT 1 FROM ${t.target} x WHERE ${holderInTarget}))`;
}
