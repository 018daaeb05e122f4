import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, closedPort, ROOT, runCommand, waitReady } from '../support/cli';

interface Instruction {
  op: string;
  args: string;
}

interface Stage {
  name: string;
  steps: Instruction[];
}

/** The Dockerfile's stages and instructions (continuation lines joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, op, args] = /^(\w+)\s+(.*)$/.exec(line)!;
    if (op.toUpperCase() === 'FROM') {
      stages.push({ name: /\bAS\s+(\S+)/i.exec(args)?.[1] ?? String(stages.length), steps: [] });
    } else stages.at(-1)!.steps.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

/** `COPY [--from=stage] src... dest`, with the image's /app as the stage's directory. */
function copy(args: string, into: string, stages: Map<string, string>): void {
  const words = args.split(/\s+/);
  const from = /^--from=(\S+)$/.exec(words[0])?.[1];
  const paths = from ? words.slice(1) : words;
  const dest = join(into, paths.at(-1)!);
  const base = from ? stages.get(from)! : ROOT;
  for (const src of paths.slice(0, -1)) {
    const source = from ? join(base, src.replace(/^\/app\/?/, '')) : join(base, src);
    const target = paths.length > 2 || dest.endsWith('/') ? join(dest, src) : dest;
    cpSync(source, target, { recursive: true });
  }
}

/**
 * The Dockerfile, replayed without a container engine (none runs on the CI machine): each
 * stage is a directory standing for the image's /app; the build stage's COPY and RUN steps
 * run there (npm ci, build, prune), the runtime stage takes what its COPY lines name, and
 * its CMD starts with its ENV. This proves the image's files and commands are enough to run
 * the service (pages, assets, badge art, migrations, the accolades command, the health
 * check); not the base image or the user, which only a container engine can check.
 */
describe('the container image (Dockerfile)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'accolades-image-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds as its stages say, and the runtime stage serves the site and runs the command', async () => {
    const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(stages.map((s) => s.name)).toEqual(['build', '1']);
    const dirs = new Map<string, string>();
    const [build, runtime] = stages;

    const buildDir = join(dir, 'build');
    mkdirSync(buildDir);
    dirs.set('build', buildDir);
    for (const { op, args } of build.steps) {
      if (op === 'COPY') copy(args, buildDir, dirs);
      else if (op === 'RUN') {
        const run = await runCommand('sh', ['-c', args], { cwd: buildDir, env: cleanEnv() });
        expect({ step: args, code: run.code, stderr: run.code ? run.stderr : '' }).toEqual({
          step: args,
          code: 0,
          stderr: '',
        });
      } else expect(['WORKDIR']).toContain(op);
    }

    const appDir = join(dir, 'app');
    mkdirSync(appDir);
    const env: Record<string, string> = {};
    let cmd: string[] = [];
    let healthcheck = '';
    let bin = '';
    for (const { op, args } of runtime.steps) {
      if (op === 'COPY') copy(args, appDir, dirs);
      else if (op === 'ENV')
        for (const [, k, v] of args.matchAll(/(\w+)=(\S+)/g)) env[k] = v.replace(/^"|"$/g, '');
      else if (op === 'CMD') cmd = JSON.parse(args) as string[];
      else if (op === 'HEALTHCHECK') healthcheck = args.replace(/^.*?\bCMD\s+/, '');
      else if (op === 'RUN') {
        // System set-up only (the user, the data directory, the command on the PATH).
        for (const part of args.split('&&').map((p) => p.trim())) {
          expect(part).toMatch(/^(useradd|mkdir|chown|ln) /);
          const link = /^ln -s \/app\/(\S+) /.exec(part);
          if (link) bin = join(appDir, link[1]);
        }
      } else expect(['WORKDIR', 'USER', 'VOLUME', 'EXPOSE']).toContain(op);
    }
    expect(cmd[0]).toBe('node');
    expect(existsSync(join(appDir, 'node_modules', 'typescript'))).toBe(false); // pruned

    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const serviceEnv = cleanEnv({
      ...env,
      ACCOLADES_DATA_DIR: join(dir, 'data'),
      DATABASE_URL: '',
      AMQP_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    const help = await runCommand(process.execPath, [bin, '--help'], { env: serviceEnv });
    expect(help.code).toBe(0);
    const demo = await runCommand(process.execPath, [bin, 'demo', '--json'], {
      env: serviceEnv,
      cwd: appDir,
    });
    expect({ code: demo.code, stderr: demo.stderr }).toMatchObject({ code: 0 });

    const service = spawn(process.execPath, cmd.slice(1), {
      cwd: appDir,
      env: serviceEnv,
      stdio: 'ignore',
    });
    try {
      expect(await waitReady(url, service, 120)).toBe(true);
      const page = await fetch(`${url}/badge/hello-fedora`);
      expect(page.status).toBe(200);
      const html = await page.text();
      const css = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
      expect((await fetch(`${url}${css}`)).status).toBe(200);
      const art = /src="(\/pngs\/[^"]+)"/.exec(html)?.[1];
      expect((await fetch(`${url}${art}`)).status).toBe(200);
      const check = await runCommand('sh', ['-c', healthcheck], { env: serviceEnv });
      expect(check.code).toBe(0);
    } finally {
      const exited = new Promise((r) => service.once('exit', r));
      service.kill('SIGTERM');
      await exited;
    }
  }, 900_000);
});
