import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'src', 'main.js');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** The built service and command, run as processes the way people run them. */
describe('the built service and command', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'accolades-e2e-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses to start with a bad variable and names it', () => {
    const r = spawnSync(process.execPath, [MAIN], {
      env: {
        ...process.env,
        PORT: 'eighty',
        DATABASE_URL: 'mysql://nope',
        ACCOLADES_DATA_DIR: dataDir,
      },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('PORT');
    expect(r.stderr).toContain('DATABASE_URL must be a postgres:// URL');
  });

  it('starts on the embedded database, serves, and stops cleanly on SIGTERM', async () => {
    const port = 40_000 + Math.floor(Math.random() * 10_000);
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        ACCOLADES_DATA_DIR: dataDir,
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    try {
      let ready = false;
      for (let i = 0; i < 120 && !ready; i++) {
        await new Promise((r) => setTimeout(r, 250));
        ready = await fetch(`http://127.0.0.1:${port}/healthz/ready`).then(
          (r) => r.ok,
          () => false,
        );
      }
      expect(ready).toBe(true);
      const badges = await fetch(`http://127.0.0.1:${port}/api/v1/badges`).then((r) => r.json());
      expect(badges).toMatchObject({ items: [], total: 0 });
      // A second process may not open the same embedded database.
      const second = spawnSync(process.execPath, [CLI, 'demo'], {
        env: { ...process.env, ACCOLADES_DATA_DIR: dataDir, DATABASE_URL: '' },
        encoding: 'utf8',
      });
      expect(second.status).not.toBe(0);
      expect(second.stderr).toContain('in use by another process');
    } finally {
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => resolve(code)),
      );
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    expect(output).toContain('Using the embedded database');
  });

  it('loads the demo once through the command, then leaves it alone', () => {
    const env = { ...process.env, ACCOLADES_DATA_DIR: dataDir, DATABASE_URL: '' };
    const first = spawnSync(process.execPath, [CLI, 'demo', '--json'], { env, encoding: 'utf8' });
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ seeded: true, badges: 13, people: 40 });
    const again = spawnSync(process.execPath, [CLI, 'demo', '--json'], { env, encoding: 'utf8' });
    expect(JSON.parse(again.stdout)).toMatchObject({ seeded: false });
    const migrate = spawnSync(process.execPath, [CLI, 'db', 'migrate'], { env, encoding: 'utf8' });
    expect(migrate.status).toBe(0);
    expect(migrate.stdout).toContain('up to date');
  });

  it('prints help and exits 2 on a usage error', () => {
    const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: accolades');
    const bad = spawnSync(process.execPath, [CLI, 'no-such-command'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });
});
