import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT } from '../exit-codes';
import {
  configFile,
  DEFAULT_URL,
  normalizeUrl,
  readConfig,
  resolveConnection,
  writeConfig,
} from './config';

describe('client config', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'accolades-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives under XDG_CONFIG_HOME, else ~/.config (a relative XDG_CONFIG_HOME is ignored)', () => {
    expect(configFile({ XDG_CONFIG_HOME: '/x/conf', HOME: '/home/a' })).toBe(
      '/x/conf/accolades/config.json',
    );
    expect(configFile({ HOME: '/home/a' })).toBe('/home/a/.config/accolades/config.json');
    expect(configFile({ XDG_CONFIG_HOME: 'conf', HOME: '/home/a' })).toBe(
      '/home/a/.config/accolades/config.json',
    );
  });

  it('writes the file 0600 in a 0700 directory, and reads it back', () => {
    const file = join(dir, 'new', 'accolades', 'config.json');
    writeConfig(file, { url: 'http://x:3000', token: 'acc_secret' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'new', 'accolades')).mode & 0o777).toBe(0o700);
    expect(readConfig(file)).toEqual({ url: 'http://x:3000', token: 'acc_secret' });
  });

  it('tightens a file that was readable by others when it rewrites it', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, '{}');
    chmodSync(file, 0o644);
    writeConfig(file, { url: 'http://x' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ url: 'http://x' });
  });

  it('reads a missing file as empty, keeps only known fields, refuses broken JSON', () => {
    expect(readConfig(join(dir, 'none.json'))).toEqual({});
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ url: 'http://a', token: 5, other: 1 }));
    expect(readConfig(file)).toEqual({ url: 'http://a' });
    writeFileSync(file, '{ not json');
    expect(() => readConfig(file)).toThrow(
      expect.objectContaining({ exitCode: EXIT.USAGE, message: expect.stringContaining(file) }),
    );
  });

  it('lets ACCOLADES_URL and ACCOLADES_TOKEN override the file', () => {
    const saved = { url: 'http://saved:3000/', token: 'saved-token' };
    expect(resolveConnection({}, saved)).toEqual({
      url: 'http://saved:3000',
      token: 'saved-token',
    });
    expect(
      resolveConnection({ ACCOLADES_URL: 'https://env.example', ACCOLADES_TOKEN: 'env' }, saved),
    ).toEqual({ url: 'https://env.example', token: 'env' });
    expect(resolveConnection({ ACCOLADES_TOKEN: '' }, {})).toEqual({
      url: DEFAULT_URL,
      token: null,
    });
  });

  it('accepts http(s) URLs only, without a trailing slash', () => {
    expect(normalizeUrl(' https://badges.example.org/base/ ')).toBe(
      'https://badges.example.org/base',
    );
    expect(() => normalizeUrl('localhost:3000')).toThrow(CliError);
    expect(() => normalizeUrl('not a url')).toThrow(/not a URL/);
  });
});
