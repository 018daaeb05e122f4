import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './package-root';

let cached: string | undefined;

/**
 * The package's version, read from its package.json: the same for the service, its OpenAPI
 * document and the command (npm_package_version is only set under `npm run`).
 */
export function packageVersion(): string {
  cached ??= (
    JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  return cached;
}
