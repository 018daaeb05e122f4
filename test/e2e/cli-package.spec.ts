import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, closedPort, ROOT, runCommand, waitReady } from '../support/cli';

/**
 * `npm pack` (the files package.json lists), installed as people install it
 * (`npm install -g` into a prefix of its own), then its `accolades` command: help, the
 * service it holds, and client commands against that service.
 */
describe('the npm package', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'accolades-package-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('installs with npm install -g, and its accolades command runs the service and the client', async () => {
    // dist/ is what `npm test` just built; prepare would build it again.
    const pack = await runCommand(
      'npm',
      ['pack', '--ignore-scripts', '--pack-destination', dir, '--loglevel=warn'],
      { cwd: ROOT, env: cleanEnv() },
    );
    expect(pack.code).toBe(0);
    const tarball = join(dir, pack.stdout.trim().split('\n').at(-1)!);
    const prefix = join(dir, 'prefix');
    const install = await runCommand(
      'npm',
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        tarball,
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
      ],
      { env: cleanEnv() },
    );
    expect({ code: install.code, stderr: install.stderr }).toEqual({ code: 0, stderr: '' });
    const bin = join(prefix, 'bin', 'accolades');

    const help = await runCommand(bin, ['--help'], { env: cleanEnv() });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Client commands (a running service, through its API):');

    // The installed package's own service, on the embedded database (views, migrations and
    // the demo collection must all be in the package for this to work).
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const serviceEnv = cleanEnv({
      ACCOLADES_DATA_DIR: join(dir, 'data'),
      DATABASE_URL: '',
      AMQP_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      ACCOLADES_ADMIN_TOKEN: 'package-test-admin-token',
      LOG_LEVEL: 'warn',
    });
    const demo = await runCommand(bin, ['demo', '--json'], { env: serviceEnv });
    expect(demo.code).toBe(0);
    const service = spawn(bin, ['serve'], { env: serviceEnv, stdio: 'ignore' });
    try {
      expect(await waitReady(url, service, 120)).toBe(true);
      const client = cleanEnv({ ACCOLADES_URL: url, XDG_CONFIG_HOME: join(dir, 'config') });
      const login = await runCommand(bin, ['login', '--token', '-'], {
        env: client,
        input: 'package-test-admin-token\n',
      });
      expect(login.code).toBe(0);
      const status = await runCommand(bin, ['status', '--json'], { env: client });
      expect(JSON.parse(status.stdout)).toMatchObject({
        status: 'ok',
        version: expect.any(String),
      });
      const badges = await runCommand(bin, ['badges', 'list', '--json'], { env: client });
      expect(JSON.parse(badges.stdout)).toMatchObject({ total: 13 });
      const page = await fetch(`${url}/badge/hello-fedora`);
      expect(page.status).toBe(200);
    } finally {
      const exited = new Promise((r) => service.once('exit', r));
      service.kill('SIGTERM');
      await exited;
    }
  }, 600_000);
});
