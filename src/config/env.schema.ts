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
  ValidateIf,
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
   * The Open Badges 3.0 signing key: a private JWK (JSON) or a PKCS#8 PEM; RSA (RS256,
   * 2048 bits or more), P-256 (ES256) or Ed25519 (EdDSA). Unset: a key is generated at
   * first start and kept in the database. Either way, earlier keys stay published.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @Matches(/^\s*(\{[\s\S]*\}|-----BEGIN PRIVATE KEY-----[\s\S]*-----END PRIVATE KEY-----)\s*$/, {
    message: 'ACCOLADES_SIGNING_KEY must be a private JWK (JSON) or a PKCS#8 PEM private key',
  })
  ACCOLADES_SIGNING_KEY?: string;

  /**
   * A backpack's "import a badge by URL" page, with {url} where the assertion URL goes
   * (for the "Add to backpack" button).
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/\S*\{url\}\S*$/, {
    message: 'ACCOLADES_BACKPACK_IMPORT_URL must be an http(s) URL containing {url}',
  })
  ACCOLADES_BACKPACK_IMPORT_URL?: string;

  /** Memory for baked badge images kept ready to serve, in MB (0 disables the cache). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(4096)
  ACCOLADES_BAKED_CACHE_MB = 64;

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

  // --- Login with Fedora accounts (OpenID Connect), sessions, rate limits ---

  /**
   * The OpenID Connect provider (e.g. https://id.fedoraproject.org/openidc); its metadata is
   * read from <issuer>/.well-known/openid-configuration at the first login. Unset: login is
   * off and the login page says so.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OIDC_ISSUER?: string;

  /** The client registered with the provider for this service (required with OIDC_ISSUER). */
  @Transform(emptyToUndefined)
  @ValidateIf((env: Env) => Boolean(env.OIDC_ISSUER) || env.OIDC_CLIENT_ID !== undefined)
  @IsString({ message: 'OIDC_CLIENT_ID is required when OIDC_ISSUER is set' })
  @MinLength(1, { message: 'OIDC_CLIENT_ID is required when OIDC_ISSUER is set' })
  OIDC_CLIENT_ID?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  /** Where the provider sends people back; default <ACCOLADES_BASE_URL>/login/callback. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OIDC_REDIRECT_URL?: string;

  /** Scopes asked for, space separated (Fedora's groups scope gives the groups claim). */
  @IsString()
  @Matches(/(^|\s)openid(\s|$)/, { message: 'OIDC_SCOPES must include openid' })
  OIDC_SCOPES = 'openid email profile https://id.fedoraproject.org/scope/groups';

  /** Account groups whose members are admins, comma separated. */
  @IsString()
  ACCOLADES_ADMIN_GROUPS = 'sysadmin-badges';

  /**
   * Signs the session cookie. Set it (the same on every replica) so sessions survive a
   * restart; unset, a random one is made at start and every restart logs everyone out.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'ACCOLADES_SESSION_SECRET must be at least 32 characters' })
  ACCOLADES_SESSION_SECRET?: string;

  /** How long a login lasts, in hours. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 90)
  ACCOLADES_SESSION_HOURS = 24 * 14;

  /** Requests per minute and client address to the login URLs (start and callback). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ACCOLADES_RATE_LIMIT_LOGIN = 30;

  /** Requests per minute and client address to invitation claims (/claim/...). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ACCOLADES_RATE_LIMIT_CLAIM = 30;

  /** API token creations per hour and client address. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ACCOLADES_RATE_LIMIT_TOKENS = 20;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Where the JSON log lines go; local commands use stderr so their stdout stays data. */
  @IsIn(['stdout', 'stderr'])
  LOG_DESTINATION: 'stdout' | 'stderr' = 'stdout';

  // --- Rules (the badge Collection) ---

  /** A directory of rule files (*.yml). Unset (and no ACCOLADES_RULES_GIT): no rules, nothing awarded automatically. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ACCOLADES_RULES_DIR?: string;

  /**
   * A git repository of rule files (URL or path), cloned into ACCOLADES_DATA_DIR/collection
   * and pulled at each reload; its `rules/` folder is used when it has one. Wins over
   * ACCOLADES_RULES_DIR.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ACCOLADES_RULES_GIT?: string;

  /** The branch of ACCOLADES_RULES_GIT (default: the repository's default branch). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[\w./-]+$/, { message: 'ACCOLADES_RULES_GIT_BRANCH must be a branch name' })
  ACCOLADES_RULES_GIT_BRANCH?: string;

  /** Seconds between reloads of the rules (changed files apply without restart); 0: never. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  ACCOLADES_RULES_RELOAD_SECONDS = 60;

  /** Accounts that never receive badges, comma separated, besides fedbadges' own list. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ACCOLADES_BANNED_USERS?: string;

  /** FASJSON base URL for the recipient_*2fas converters (else only the local identities table). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  ACCOLADES_FASJSON_URL?: string;

  // --- Message bus (RabbitMQ, fedora-messaging) ---

  /** Prefix of the topics this service publishes (and of award messages its rules see). */
  @IsString()
  @Matches(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/i, {
    message: 'ACCOLADES_TOPIC_PREFIX must be dot-separated words',
  })
  ACCOLADES_TOPIC_PREFIX = 'org.fedoraproject.prod';

  /**
   * Topic (after the prefix) of award messages, published and fed to the rules. Legacy
   * Collections listen for `fedbadges.badge.award`; Tahrir published `badges.badge.award`.
   */
  @IsString()
  @Matches(/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/i, {
    message: 'ACCOLADES_AWARD_TOPIC must be dot-separated words',
  })
  ACCOLADES_AWARD_TOPIC = 'badges.badge.award';

  /** Broker URL (amqp:// or amqps://); without it only the in-process intake runs. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^amqps?:\/\//, { message: 'AMQP_URL must be an amqp:// or amqps:// URL' })
  AMQP_URL?: string;

  /** The topic exchange Fedora publishes to (and notifications go to). */
  @IsString()
  @MinLength(1)
  AMQP_EXCHANGE = 'amq.topic';

  /** The durable queue this service consumes (replicas share it: competing consumers). */
  @IsString()
  @MinLength(1)
  AMQP_QUEUE = 'accolades';

  /** Binding keys of the queue on the exchange, comma separated (AMQP wildcards). */
  @IsString()
  @MinLength(1)
  AMQP_BINDING_KEYS = '#';

  /**
   * Unacknowledged messages a replica holds at once: the batch being processed and the next
   * one gathering (see ACCOLADES_INTAKE_BATCH).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  AMQP_PREFETCH = 1_000;

  /**
   * Most messages processed in one transaction by the intake (bus and HTTP alike) and by
   * `accolades rules replay`. A batch holds what arrived while the previous one ran, so a
   * quiet bus still gets one message per transaction; under a backlog, 500 rather than 100
   * per transaction gave 20 to 38 % more messages per second (docs/benchmarks.md).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000)
  ACCOLADES_INTAKE_BATCH = 500;

  /** Where unparseable or repeatedly failing messages go, with the reason (default <queue>.dead-letter). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AMQP_DEAD_LETTER_QUEUE?: string;

  /** Processing attempts of a failing message before it is dead-lettered. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  AMQP_MAX_ATTEMPTS = 5;

  /** Publish award, rank and first-login notifications to the exchange. */
  @IsIn(['true', 'false'])
  AMQP_PUBLISH: 'true' | 'false' = 'true';
}

export class ConfigError extends Error {}

/** Variables whose values never appear in error messages. */
const SECRETS = new Set([
  'ACCOLADES_ADMIN_TOKEN',
  'ACCOLADES_SIGNING_KEY',
  'ACCOLADES_SESSION_SECRET',
  'OIDC_CLIENT_SECRET',
]);

/** Parses and validates an environment; throws a ConfigError naming every bad variable. */
export function validateEnv(raw: Record<string, unknown>): Env {
  const env = plainToInstance(Env, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) =>
        `  ${e.property}=${SECRETS.has(e.property) ? '<redacted>' : JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
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
