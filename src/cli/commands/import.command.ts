import type { Command } from 'commander';
import { withExamples } from '../help';
import type { ImportSummary } from '../../modules/tahrir-import/tahrir-import.service';
import type { TargetConnector } from '../../modules/tahrir-import/target-db';
import type { VerifyReport } from '../../modules/tahrir-import/tahrir-verify.service';
import { CliError, EXIT } from '../exit-codes';
import { positiveInt } from '../options';

interface ImportFlags {
  from: string;
  database?: string;
  json?: boolean;
  verify?: boolean;
  batchSize?: number;
  idGap?: number;
  compareHashes?: boolean;
}

export function registerImport(program: Command): void {
  const imp = program.command('import').description('bring data over from the old system');
  withExamples(imp.command('tahrir'), [
    'accolades import tahrir --from postgres://reader@tahrir-db/tahrir --verify',
    'accolades import tahrir --from ... --database postgres://accolades@db/accolades --json',
  ])
    .description(
      'copy a Tahrir database into Accolades: everything the first time, then only what ' +
        'changed (run it as often as needed until the switch-over; safe to rerun)',
    )
    .requiredOption('--from <url>', 'the Tahrir PostgreSQL database (postgres://...)')
    .option(
      '--database <url>',
      'PostgreSQL URL (default: DATABASE_URL, else the embedded database)',
    )
    .option('--verify', 'compare Tahrir and Accolades afterwards (exit 1 on any difference)')
    .option('--json', 'print a JSON summary on stdout (progress goes to stderr)')
    .option('--batch-size <rows>', 'rows written per transaction', positiveInt('--batch-size'))
    .option(
      '--compare-hashes',
      "find changes by hashing every Tahrir row instead of by Tahrir's transaction ids " +
        '(slower; done anyway the first time, and after Tahrir was restored or moved)',
    )
    .option(
      '--id-gap <n>',
      "how far ahead of Tahrir's largest ids Accolades' id sequences are kept",
      positiveInt('--id-gap'),
    )
    .action((opts: ImportFlags) => runImport(opts, true));
  withExamples(imp.command('verify'), [
    'accolades import verify --from postgres://reader@tahrir-db/tahrir',
  ])
    .description('compare a Tahrir database with what was imported (exit 1 on any difference)')
    .requiredOption('--from <url>', 'the Tahrir PostgreSQL database (postgres://...)')
    .option(
      '--database <url>',
      'PostgreSQL URL (default: DATABASE_URL, else the embedded database)',
    )
    .option('--json', 'print the report as JSON')
    .action((opts: ImportFlags) => runImport(opts, false));
}

async function runImport(opts: ImportFlags, doImport: boolean): Promise<void> {
  if (!/^postgres(ql)?:\/\//.test(opts.from)) {
    throw new CliError('--from must be a postgres:// URL of the Tahrir database', EXIT.USAGE);
  }
  const { DomainError } = await import('../../common/errors/domain-error');
  const { TahrirImportService } = await import('../../modules/tahrir-import/tahrir-import.service');
  const { TahrirVerifyService } = await import('../../modules/tahrir-import/tahrir-verify.service');
  const { ImportConflictError } = await import('../../modules/tahrir-import/tahrir-import.errors');
  const { logProgress, terminalProgress } = await import('../progress');

  let target: ImportTarget;
  try {
    target = await openTarget(opts);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(
      `Could not open the Accolades database: ${(err as Error).message}`,
      EXIT.SERVER,
    );
  }
  const { connector, canCopyIn } = target;
  const out: { import?: ImportSummary; verify?: VerifyReport } = {};
  try {
    if (doImport) {
      const progress = process.stderr.isTTY ? terminalProgress() : logProgress();
      out.import = await new TahrirImportService(connector, { canCopyIn }).run(opts.from, {
        batchSize: opts.batchSize,
        idGap: opts.idGap,
        compareHashes: opts.compareHashes,
        progress,
      });
      if (!opts.json) printImport(out.import);
    }
    if (!doImport || opts.verify) {
      out.verify = await new TahrirVerifyService(connector, { canCopyIn }).run(opts.from);
      if (!opts.json) printVerify(out.verify);
    }
  } catch (err) {
    if (err instanceof DomainError) {
      if (opts.json) {
        const conflicts = err instanceof ImportConflictError ? err.conflicts : undefined;
        console.log(
          JSON.stringify({ ok: false, error: { code: err.code, message: err.message, conflicts } }),
        );
      }
      throw new CliError(err.message, err.kind === 'unavailable' ? EXIT.SERVER : EXIT.FAILED);
    }
    throw err;
  } finally {
    await target.close();
  }
  const ok = out.verify ? out.verify.ok : true;
  if (opts.json) console.log(JSON.stringify({ ok, ...out }));
  if (!ok) throw new CliError('Tahrir and Accolades differ (see the report above).', EXIT.FAILED);
}

interface ImportTarget {
  connector: TargetConnector;
  canCopyIn: boolean;
  close(): Promise<void>;
}

/**
 * The Accolades database. A PostgreSQL database already migrated is used through one
 * plain connection (a catch-up every few minutes need not load TypeORM and the service's
 * configuration, half a second of its run); otherwise it is opened as every command does,
 * migrating it first or starting the embedded database.
 */
async function openTarget(opts: ImportFlags): Promise<ImportTarget> {
  const url = opts.database ?? process.env.DATABASE_URL;
  if (url) {
    const { Client } = await import('pg');
    const { migrationsApplied } = await import('../../database/schema-state');
    const client = new Client({
      connectionString: url,
      application_name: 'accolades-import',
      connectionTimeoutMillis: 10_000,
    });
    // A dropped connection fails the statement under way; it must not crash the process.
    client.on('error', () => undefined);
    await client.connect();
    if (await migrationsApplied(client).catch(() => false)) {
      const connection = { client, release: async () => undefined };
      return { connector: async () => connection, canCopyIn: true, close: () => client.end() };
    }
    await client.end();
  }
  const { Logger } = await import('@nestjs/common');
  const { localEnv } = await import('../local-context');
  const { Database } = await import('../../database/database');
  // stdout is for the summary: the database layer's own log lines stay quiet.
  Logger.overrideLogger(opts.json ? false : ['error', 'warn']);
  const database = await Database.open(localEnv({ DATABASE_URL: opts.database }));
  return {
    connector: database.dataSource,
    canCopyIn: database.kind === 'postgres',
    close: () => database.close(),
  };
}

const n = (v: number) => v.toLocaleString('en-US');

function printImport(s: ImportSummary): void {
  console.log(
    `Tahrir import (${s.mode}) from ${s.source}, schema ${s.revision}: ${(s.durationMs / 1000).toFixed(1)} s`,
  );
  const head = ['table', 'in Tahrir', 'read', 'inserted', 'updated', 'deleted', 'skipped', 'kept'];
  const rows = s.tables.map((t) => [
    t.table,
    n(t.sourceRows),
    n(t.read),
    n(t.inserted),
    n(t.updated),
    n(t.deleted),
    n(t.skipped),
    n(t.kept),
  ]);
  const tot = s.totals;
  rows.push([
    'total',
    '',
    n(tot.read),
    n(tot.inserted),
    n(tot.updated),
    n(tot.deleted),
    n(tot.skipped),
    n(tot.kept),
  ]);
  printTable(head, rows);
  const skippedSoFar = s.tables
    .map((t) => ({ t: t.table, ...t.skippedTotal }))
    .filter((t) => t.orphan + t.duplicate + t.local > 0)
    .map(
      (t) =>
        `${t.t}: ${t.orphan} orphaned, ${t.duplicate} duplicated, ${t.local} held in Accolades`,
    );
  if (skippedSoFar.length) console.log(`Skipped so far (not imported): ${skippedSoFar.join('; ')}`);
  if (s.skipped.length) {
    console.log('Skipped or kept by this run:');
    for (const r of s.skipped.slice(0, 20)) {
      console.log(`  ${r.table} ${r.key}: ${r.status}${r.detail ? ` (${r.detail})` : ''}`);
    }
    if (s.skipped.length > 20) console.log(`  ... ${s.skipped.length - 20} more in --json`);
  }
  if (s.derivedRebuilt) console.log('Badge counts, ranks and period leaderboards recomputed.');
  const seqs = Object.entries(s.sequences);
  if (seqs.length) {
    console.log(
      `Id sequences moved ahead of Tahrir's: ${seqs.map(([t, v]) => `${t} -> ${n(v)}`).join(', ')}`,
    );
  }
}

function printVerify(r: VerifyReport): void {
  console.log(`Verification against ${r.source}: ${r.ok ? 'OK' : 'DIFFERENCES FOUND'}`);
  const head = [
    'table',
    'in Tahrir',
    'imported',
    'orphan',
    'duplicate',
    'local',
    'missing',
    'checksum',
  ];
  printTable(
    head,
    r.tables.map((t) => [
      t.table,
      n(t.source),
      n(t.imported),
      n(t.skipped.orphan),
      n(t.skipped.duplicate),
      n(t.skipped.local),
      n(t.missing),
      t.checksum.source === t.checksum.target ? 'equal' : 'DIFFERENT',
    ]),
  );
  const counts = (what: string, c: VerifyReport['badgeHolders']) => {
    console.log(
      `${what}: ${n(c.compared)} compared, ${c.mismatches.length ? 'differences' : 'all equal'}`,
    );
    for (const m of c.mismatches)
      console.log(`  ${m.key}: Tahrir ${m.source}, Accolades ${m.target}`);
  };
  counts('Holders per badge', r.badgeHolders);
  counts('Badges per person', r.personBadges);
  console.log(`Assertion ids: checksums ${r.assertionKeys.ok ? 'equal' : 'DIFFERENT'}`);
  console.log(
    `Open Badges recipients (sha256 of email + salt) that verify: Tahrir ${n(r.recipients.source)}, ` +
      `Accolades ${n(r.recipients.target)}`,
  );
}

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}
