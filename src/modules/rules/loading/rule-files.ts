import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RuleFile {
  /** Path relative to the rules directory (the rule's identity across reloads). */
  file: string;
  text: string;
}

/** Every `*.yml` / `*.yaml` file under `dir` (recursively), sorted by path. */
export async function readRuleFiles(dir: string): Promise<RuleFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  return Promise.all(
    paths.map(async (p) => ({ file: relative(dir, p), text: await readFile(p, 'utf8') })),
  );
}

/**
 * Clones a git repository of rules into `dest` the first time, then fetches and moves to
 * the newest commit of the branch (the checkout is ours: local changes are discarded).
 * Returns the directory holding the rules: the repository's `rules/` folder when it has
 * one (as Fedora's badges repository does), else its root.
 */
export async function syncGitRules(url: string, dest: string, branch?: string): Promise<string> {
  const git = (args: string[], cwd?: string) =>
    run('git', args, { cwd, timeout: 120_000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  if (!existsSync(join(dest, '.git'))) {
    await mkdir(dirname(dest), { recursive: true });
    await git(['clone', '--depth', '1', ...(branch ? ['--branch', branch] : []), url, dest]);
  } else {
    await git(['remote', 'set-url', 'origin', url], dest);
    await git(['fetch', '--depth', '1', 'origin', branch ?? 'HEAD'], dest);
    await git(['reset', '--hard', '-q', 'FETCH_HEAD'], dest);
  }
  const rules = join(dest, 'rules');
  return existsSync(rules) ? rules : dest;
}
