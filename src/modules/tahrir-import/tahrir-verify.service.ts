import { SourceDb } from './source-db';
import { ownedColumns, TABLES, type TableSpec } from './tahrir-tables';
import { type TargetConnector, TargetDb } from './target-db';

export interface TableCheck {
  table: string;
  /** Rows in Tahrir. */
  source: number;
  /** Rows the import brought over and that are in Accolades. */
  imported: number;
  /** Rows the import skipped, by reason (reported by the import runs). */
  skipped: { orphan: number; duplicate: number; local: number };
  /** Rows recorded as imported that Accolades no longer has. */
  missing: number;
  /** Checksums of the imported columns, Tahrir side (skipped rows left out) and Accolades side. */
  checksum: { source: string; target: string };
  ok: boolean;
}

export interface CountMismatch {
  key: string;
  source: number;
  target: number;
}

export interface VerifyReport {
  ok: boolean;
  source: string;
  tables: TableCheck[];
  /** Holders per badge: Tahrir's awards (skipped ones left out) against Accolades'. */
  badgeHolders: { compared: number; mismatches: CountMismatch[] };
  /** Badges per person, likewise. */
  personBadges: { compared: number; mismatches: CountMismatch[] };
  /** Checksum of the assertion ids on both sides. */
  assertionKeys: { source: string; target: string; ok: boolean };
  /**
   * Awards whose recipient hash is sha256(email + salt) of their person's email, on both
   * sides: the import keeps salts and hashes, so the counts must be equal. (An award whose
   * person changed email since fails on both sides alike.)
   */
  recipients: { source: number; target: number; ok: boolean };
  durationMs: number;
}

const MAX_LISTED = 20;

/**
 * Order-independent checksum of a set of strings: the sum of the first 60 bits of each md5,
 * the same on every PostgreSQL version (the two sides may differ: PGlite is PostgreSQL 18).
 */
const checksumSql = (text: string) =>
  `coalesce(sum(('x' || substr(md5(${text}), 1, 15))::bit(60)::bigint), 0)::text`;

/**
 * Compares a Tahrir database with what the import brought into Accolades: row counts per
 * table (imported + skipped = Tahrir's), checksums of the imported columns, holders per
 * badge, badges per person, the assertion ids, and Open Badges recipient hashes.
 * Read-only on both sides.
 */
export class TahrirVerifyService {
  constructor(
    private readonly connector: TargetConnector,
    private readonly opts: { canCopyIn: boolean },
  ) {}

  async run(sourceUrl: string): Promise<VerifyReport> {
    const started = Date.now();
    const source = await SourceDb.open(sourceUrl);
    let target: TargetDb | undefined;
    try {
      await source.checkSchema();
      const db = (target = await TargetDb.open(this.connector, this.opts));
      // Accolades read as of one moment too, as the source is.
      const { tables, badgeHolders, personBadges, assertionKeys, recipients } =
        await db.transaction(async () => {
          const tables: TableCheck[] = [];
          const skippedKeys = new Map<string, string[]>();
          for (const t of TABLES) {
            const check = await this.checkTable(source, db, t);
            tables.push(check.result);
            skippedKeys.set(t.source, check.skippedKeys);
          }
          const skipped = skippedKeys.get('assertions') ?? [];
          return {
            tables,
            badgeHolders: await this.compareCounts(source, db, 'badge_id', skipped),
            personBadges: await this.compareCounts(source, db, 'person_id', skipped),
            assertionKeys: await this.assertionKeys(source, db, skipped),
            recipients: await this.recipients(source, db, skipped),
          };
        }, 'ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const ok =
        tables.every((t) => t.ok) &&
        badgeHolders.mismatches.length === 0 &&
        personBadges.mismatches.length === 0 &&
        assertionKeys.ok &&
        recipients.ok;
      return {
        ok,
        source: source.url,
        tables,
        badgeHolders: { ...badgeHolders, mismatches: badgeHolders.mismatches.slice(0, MAX_LISTED) },
        personBadges: { ...personBadges, mismatches: personBadges.mismatches.slice(0, MAX_LISTED) },
        assertionKeys,
        recipients,
        durationMs: Date.now() - started,
      };
    } finally {
      await source.close();
      await target?.release();
    }
  }

  private async checkTable(
    source: SourceDb,
    target: TargetDb,
    t: TableSpec,
  ): Promise<{ result: TableCheck; skippedKeys: string[] }> {
    const owned = ownedColumns(t);
    const skippedRows = await target.query<{ key: string; status: keyof TableCheck['skipped'] }>(
      `SELECT source_key AS key, status FROM tahrir_import_rows
        WHERE source_table = $1 AND status <> 'imported'`,
      [t.source],
    );
    const skipped = { orphan: 0, duplicate: 0, local: 0 };
    for (const r of skippedRows) skipped[r.status]++;
    const skippedKeys = skippedRows.map((r) => r.key);

    const srcText = `ROW(${owned.map((c) => c.src).join(', ')})::text`;
    const { rows: src } = await source.query<{ n: string; sum: string }>(
      `SELECT count(*) AS n,
              ${checksumSql(`CASE WHEN NOT (${t.key} = ANY($1::text[])) THEN ${srcText} END`)} AS sum
         FROM ${t.source} x`,
      [skippedKeys],
    );
    const pkOf = t.pkOfKey('r.source_key');
    const join = t.pk.map((c, i) => `t.${c} = ${pkOf[i]}`).join(' AND ');
    const tgtText = `ROW(${owned.map((c) => `t.${c.name}`).join(', ')})::text`;
    const [dst] = await target.query<{ imported: number; missing: number; sum: string }>(
      `SELECT count(t.${t.pk[0]})::int AS imported, (count(*) - count(t.${t.pk[0]}))::int AS missing,
              ${checksumSql(`CASE WHEN t.${t.pk[0]} IS NOT NULL THEN ${tgtText} END`)} AS sum
         FROM tahrir_import_rows r LEFT JOIN ${t.target} t ON ${join}
        WHERE r.source_table = $1 AND r.status = 'imported'`,
      [t.source],
    );
    const sourceRows = Number(src[0].n);
    const skippedTotal = skipped.orphan + skipped.duplicate + skipped.local;
    const result: TableCheck = {
      table: t.source,
      source: sourceRows,
      imported: dst.imported,
      skipped,
      missing: dst.missing,
      checksum: { source: src[0].sum, target: dst.sum },
      ok: sourceRows === dst.imported + skippedTotal && dst.missing === 0 && src[0].sum === dst.sum,
    };
    return { result, skippedKeys };
  }

  /** Awards per badge or per person on both sides; lists the keys that differ. */
  private async compareCounts(
    source: SourceDb,
    target: TargetDb,
    column: 'badge_id' | 'person_id',
    skipped: string[],
  ): Promise<{ compared: number; mismatches: CountMismatch[] }> {
    const { rows: src } = await source.query<{ k: string; n: number }>(
      `SELECT ${column}::text AS k, count(*)::int AS n FROM assertions
        WHERE NOT (id = ANY($1::text[])) GROUP BY 1`,
      [skipped],
    );
    const dst = await target.query<{ k: string; n: number }>(
      `SELECT t.${column}::text AS k, count(*)::int AS n
         FROM tahrir_import_rows r JOIN assertions t ON t.id = r.source_key
        WHERE r.source_table = 'assertions' AND r.status = 'imported' GROUP BY 1`,
    );
    const theirs = new Map(dst.map((r) => [r.k, r.n]));
    const mismatches: CountMismatch[] = [];
    for (const r of src) {
      const n = theirs.get(r.k) ?? 0;
      if (n !== r.n) mismatches.push({ key: r.k, source: r.n, target: n });
      theirs.delete(r.k);
    }
    for (const [k, n] of theirs) mismatches.push({ key: k, source: 0, target: n });
    mismatches.sort((a, b) => a.key.localeCompare(b.key));
    return { compared: src.length, mismatches };
  }

  private async assertionKeys(
    source: SourceDb,
    target: TargetDb,
    skipped: string[],
  ): Promise<VerifyReport['assertionKeys']> {
    const { rows: src } = await source.query<{ sum: string }>(
      `SELECT ${checksumSql('id')} AS sum FROM assertions WHERE NOT (id = ANY($1::text[]))`,
      [skipped],
    );
    const [dst] = await target.query<{ sum: string }>(
      `SELECT ${checksumSql('t.id')} AS sum
         FROM tahrir_import_rows r JOIN assertions t ON t.id = r.source_key
        WHERE r.source_table = 'assertions' AND r.status = 'imported'`,
    );
    return { source: src[0].sum, target: dst.sum, ok: src[0].sum === dst.sum };
  }

  private async recipients(
    source: SourceDb,
    target: TargetDb,
    skipped: string[],
  ): Promise<VerifyReport['recipients']> {
    const verifies = (a: string, p: string) =>
      `${a}.recipient = encode(sha256(convert_to(${p}.email || ${a}.salt, 'UTF8')), 'hex')`;
    const { rows: src } = await source.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM assertions a JOIN persons p ON p.id = a.person_id
        WHERE NOT (a.id = ANY($1::text[])) AND ${verifies('a', 'p')}`,
      [skipped],
    );
    const [dst] = await target.query<{ n: number }>(
      `SELECT count(*)::int AS n
         FROM tahrir_import_rows r JOIN assertions a ON a.id = r.source_key JOIN persons p ON p.id = a.person_id
        WHERE r.source_table = 'assertions' AND r.status = 'imported' AND ${verifies('a', 'p')}`,
    );
    return { source: src[0].n, target: dst.n, ok: src[0].n === dst.n };
  }
}
