import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createTahrirSource, type TahrirSource } from '../support/tahrir-source';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The accolades command as a process, on a test database (its kind's environment). */
function accolades(db: TestDatabase, args: string[]): Promise<Run> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  const env = { ...process.env, ...db.env, LOG_LEVEL: 'warn' };
  const dbArgs = db.url ? ['--database', db.url] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, ...dbArgs], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('accolades import (the command, as a process)', () => {
  let db: TestDatabase | undefined;
  let source: TahrirSource | undefined;

  afterEach(async () => {
    await db?.drop();
    await source?.drop();
    db = source = undefined;
  });

  it('imports with --json --verify, then reports a catch-up that finds nothing to do', async () => {
    source = await createTahrirSource({ persons: 150, badges: 12, assertions: 900 });
    db = await createTestDatabase();

    const first = await accolades(db, [
      'import',
      'tahrir',
      '--from',
      source.url,
      '--json',
      '--verify',
    ]);
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out.ok).toBe(true);
    expect(out.import.mode).toBe('full');
    expect(out.import.totals.inserted).toBeGreaterThan(900);
    expect(out.verify.ok).toBe(true);
    // Not a terminal: plain progress lines on stderr, with rows per second.
    expect(first.stderr).toMatch(
      /read assertions: done, [\d,]+ rows in [\d.]+ s \([\d,]+ rows\/s\)/,
    );

    const second = await accolades(db, ['import', 'tahrir', '--from', source.url]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Tahrir import \(incremental\)/);
    expect(second.stdout).toMatch(/total\s+[\d,]+\s+0\s+0\s+0\s+0\s+0/);

    // Comparing every row's hash finds nothing either.
    const rehash = await accolades(db, [
      'import',
      'tahrir',
      '--from',
      source.url,
      '--compare-hashes',
      '--json',
    ]);
    expect(rehash.code).toBe(0);
    expect(JSON.parse(rehash.stdout).import.totals).toMatchObject({
      inserted: 0,
      updated: 0,
      deleted: 0,
    });

    const verify = await accolades(db, ['import', 'verify', '--from', source.url]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/Verification against .*: OK/);
  });

  it('exits non-zero with a clear message: unreachable source, differences, bad flags', async () => {
    db = await createTestDatabase();
    const down = await accolades(db, [
      'import',
      'tahrir',
      '--from',
      'postgres://postgres@127.0.0.1:1/tahrir',
      '--json',
    ]);
    expect(down.code).toBe(5);
    expect(JSON.parse(down.stdout).error.code).toBe('IMPORT.SOURCE_UNREACHABLE');
    expect(down.stderr).toMatch(
      /Could not read the Tahrir database at postgres:\/\/postgres@127\.0\.0\.1:1/,
    );

    // Nothing imported yet: verification finds every Tahrir row missing.
    source = await createTahrirSource({ persons: 30, badges: 5, assertions: 60 });
    const differ = await accolades(db, ['import', 'verify', '--from', source.url]);
    expect(differ.code).toBe(1);
    expect(differ.stdout).toMatch(/DIFFERENCES FOUND/);
    expect(differ.stderr).toMatch(/Tahrir and Accolades differ/);

    const usage = await accolades(db, ['import', 'tahrir', '--from', 'mysql://x']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--from must be a postgres:\/\/ URL/);
  });
});
