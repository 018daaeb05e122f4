import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { CliError, EXIT } from '../exit-codes';

/** What `accolades login` keeps: the server and the API token to use with it. */
export interface ClientConfig {
  url?: string;
  token?: string;
}

/** Where a client command sends requests, and with which token (none: anonymous reads). */
export interface Connection {
  url: string;
  token: string | null;
}

/** `npm run demo` and `accolades serve` listen here by default. */
export const DEFAULT_URL = 'http://localhost:3000';

type Environment = Record<string, string | undefined>;

/**
 * The config file, per the XDG base directory spec: $XDG_CONFIG_HOME/accolades/config.json,
 * else ~/.config/accolades/config.json (a relative XDG_CONFIG_HOME is ignored, as the spec says).
 */
export function configFile(env: Environment = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config');
  return join(base, 'accolades', 'config.json');
}

export function readConfig(file: string): ClientConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.USAGE);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
    const { url, token } = parsed as Record<string, unknown>;
    return {
      ...(typeof url === 'string' ? { url } : {}),
      ...(typeof token === 'string' ? { token } : {}),
    };
  } catch {
    throw new CliError(
      `${file} is not a valid config file (JSON with "url" and "token"); run accolades login again or delete it`,
      EXIT.USAGE,
    );
  }
}

/**
 * Writes the config readable by its owner only (it holds a token): the directory 0700, the
 * file 0600, written aside and renamed so a crash never leaves half a file. An existing
 * file with wider permissions is replaced, so it ends up 0600 too.
 */
export function writeConfig(file: string, config: ClientConfig): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    // The mode given to writeFileSync is masked by the umask; be explicit.
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw new CliError(`cannot write ${file}: ${(err as Error).message}`, EXIT.FAILED);
  }
}

/** The connection to use: ACCOLADES_URL and ACCOLADES_TOKEN win over the config file. */
export function resolveConnection(env: Environment, config: ClientConfig): Connection {
  return {
    url: normalizeUrl(env.ACCOLADES_URL || config.url || DEFAULT_URL),
    token: env.ACCOLADES_TOKEN || config.token || null,
  };
}

/** A server URL as the client uses it: http(s), no trailing slash. */
export function normalizeUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new CliError(`not a URL: ${text} (e.g. https://badges.example.org)`, EXIT.USAGE);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new CliError(`the server URL must be http or https: ${text}`, EXIT.USAGE);
  return url.toString().replace(/\/+$/, '');
}
