import { resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MinLength,
  Min,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Every environment variable the service reads. Validated once at start-up (and by the
 * CLI's local commands): a wrong value stops the process with a message naming it.
 */
export class Env {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** PostgreSQL URL; without it the service runs on the embedded PGlite database. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** Where the embedded database and uploaded art live. */
  @IsString()
  ACCOLADES_DATA_DIR = './data';

  /** Bearer token that may use the admin API (automation, bootstrap). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'ACCOLADES_ADMIN_TOKEN must be at least 16 characters' })
  ACCOLADES_ADMIN_TOKEN?: string;

  /** Public URL of the service, used in links, feeds and Open Badges documents. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  ACCOLADES_BASE_URL?: string;

  /**
   * Extra directories whose files are served under /pngs/ (badge art), separated by ':'.
   * Uploaded art (ACCOLADES_DATA_DIR/art) and the demo art are always served.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ACCOLADES_ART_DIRS?: string;

  /** Persons created from an account name get `<name>@<this domain>`, as Tahrir did. */
  @IsString()
  @Matches(/^[a-z0-9.-]+$/i, { message: 'ACCOLADES_EMAIL_DOMAIN must be a domain name' })
  ACCOLADES_EMAIL_DOMAIN = 'fedoraproject.org';

  /**
   * Where avatars come from: a Libravatar-compatible base URL (`<base>/<sha256 of the
   * email>?s=<size>&d=<fallback>`), or `none` to show the local fallback image to everyone
   * (offline installations and tests).
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(none|https?:\/\/\S+)$/, {
    message: 'ACCOLADES_AVATAR_BASE_URL must be an http(s) URL or "none"',
  })
  ACCOLADES_AVATAR_BASE_URL?: string;

  /**
   * How many anonymous page responses each replica keeps in memory (served again while the
   * database's change stamp has not moved); 0 turns the page cache off.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100_000)
  ACCOLADES_PAGE_CACHE = 1000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';
}

export class ConfigError extends Error {}

/** Parses and validates an environment; throws a ConfigError naming every bad variable. */
export function validateEnv(raw: Record<string, unknown>): Env {
  const env = plainToInstance(Env, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) =>
        `  ${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}

/** Directories served under /pngs/, first match wins: uploads, configured, demo art. */
export function artDirs(env: Env, demoArt: string): string[] {
  const extra = (env.ACCOLADES_ART_DIRS ?? '').split(':').filter(Boolean);
  return [resolve(env.ACCOLADES_DATA_DIR, 'art'), ...extra.map((d) => resolve(d)), demoArt];
}

/** The public base URL, defaulting to the local port. */
export function baseUrl(env: Env): string {
  return (env.ACCOLADES_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
}
