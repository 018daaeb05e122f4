import { join, resolve } from 'node:path';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { artFileName } from '../../../common/art-file';
import { slugify } from '../../../common/slug';
import { ENV } from '../../../config/config.module';
import type { Env } from '../../../config/env.schema';
import type { Badge } from '../../badges/badge.entity';
import { BadgesService } from '../../badges/badges.service';
import { IssuersService } from '../../badges/issuers.service';
import type { Rule, RuleFileError } from '../engine';
import { CounterRegistry } from '../history/counter-registry';
import { rulesUnavailable } from '../rules.errors';
import { RuleBook } from './rule-book';
import { readRuleFiles, syncGitRules } from './rule-files';

/** The demo collection's rules, relative to the package (`accolades serve --demo-rules` runs them). */
export const DEMO_RULES_DIR = join('src', 'demo', 'collection', 'rules');

/** The issuer of badges whose rule names none that exists (created on first need). */
const DEFAULT_ISSUER = {
  name: 'Fedora Project',
  origin: 'https://fedoraproject.org',
  org: 'https://fedoraproject.org',
  contact: 'badges@fedoraproject.org',
};

export interface ReloadResult {
  source: string;
  rules: number;
  errors: RuleFileError[];
  changed: string[];
  keptLastGood: string[];
  /** Badges whose rule failed to sync (e.g. a name taken by another badge). */
  badgeErrors: { badgeId: string; error: string }[];
}

/**
 * Loads the rules (a directory, a git repository, or the demo collection), keeps them
 * current without restart, and keeps each rule's badge in the badges table.
 */
@Injectable()
export class RulesLoader implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Rules');
  readonly book = new RuleBook();
  private timer: NodeJS.Timeout | null = null;
  private reloading: Promise<ReloadResult> | null = null;
  private last: ReloadResult | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly badges: BadgesService,
    private readonly issuers: IssuersService,
    private readonly counters: CounterRegistry,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.reload();
    } catch (err) {
      // The service still starts (awards by people, pages...); the next reload retries.
      this.log.error(`rules not loaded: ${(err as Error).message}`);
    }
    const every = this.env.ACCOLADES_RULES_RELOAD_SECONDS;
    if (every > 0) {
      this.timer = setInterval(() => {
        this.reload().catch((err: Error) => this.log.error(`reload failed: ${err.message}`));
      }, every * 1000);
      this.timer.unref();
    }
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The outcome of the last load. */
  get status(): ReloadResult | null {
    return this.last;
  }

  /** Reads the rules again; concurrent calls share one reload. */
  reload(): Promise<ReloadResult> {
    if (!this.reloading) {
      this.reloading = this.doReload().finally(() => (this.reloading = null));
    }
    return this.reloading;
  }

  /** Where the rules come from; null when none are configured. */
  private async sourceDir(): Promise<string | null> {
    const git = this.env.ACCOLADES_RULES_GIT;
    if (git) {
      const dest = resolve(this.env.ACCOLADES_DATA_DIR, 'collection');
      try {
        return await syncGitRules(git, dest, this.env.ACCOLADES_RULES_GIT_BRANCH);
      } catch (err) {
        throw rulesUnavailable(`git ${git}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    // Never the demo rules by default: they would create demo badges in a real database.
    return this.env.ACCOLADES_RULES_DIR ? resolve(this.env.ACCOLADES_RULES_DIR) : null;
  }

  private async doReload(): Promise<ReloadResult> {
    const dir = await this.sourceDir();
    if (dir === null) {
      if (!this.last)
        this.log.warn(
          'no rules configured (ACCOLADES_RULES_DIR or ACCOLADES_RULES_GIT): nothing is awarded automatically',
        );
      this.last = {
        source: 'none',
        rules: 0,
        errors: [],
        changed: [],
        keptLastGood: [],
        badgeErrors: [],
      };
      return this.last;
    }
    let files;
    try {
      files = await readRuleFiles(dir);
    } catch (err) {
      throw rulesUnavailable(`rules directory ${dir}: ${(err as Error).message}`);
    }
    const update = this.book.plan(files);
    for (const e of update.errors) {
      this.log.warn(`${e.file}: ${e.kind} ${e.field ? `(${e.field}) ` : ''}${e.reason}`);
    }
    // Badges first, then the rules: a message judged meanwhile uses the rules before.
    const badgeErrors = await this.syncBadges(update.changed);
    this.book.apply(update);
    // Counters the rules can tell in advance; the others are learned on first use.
    this.counters.want(update.changed.flatMap((r) => [...r.counterFilters]));
    await this.counters.flush();
    const result: ReloadResult = {
      source: dir,
      rules: update.rules.length,
      errors: update.errors,
      changed: update.changed.map((r) => r.badgeId),
      keptLastGood: update.keptLastGood,
      badgeErrors,
    };
    if (update.changed.length || !this.last)
      this.log.log(
        `${result.rules} rules in force from ${dir} (${update.changed.length} new or changed, ${update.errors.length} file errors)`,
      );
    this.last = result;
    return result;
  }

  /** Creates or updates the badge of each rule, writing only what differs. */
  private async syncBadges(rules: Rule[]): Promise<{ badgeId: string; error: string }[]> {
    const errors: { badgeId: string; error: string }[] = [];
    if (!rules.length) return errors;
    const issuers = await this.issuers.list();
    const bySlug = new Map(issuers.map((i) => [slugify(i.name), i.id]));
    let defaultIssuer: number | null = null;
    const issuerOf = async (rule: Rule): Promise<number> => {
      const named = rule.issuerId ? bySlug.get(slugify(rule.issuerId)) : undefined;
      if (named !== undefined) return named;
      if (defaultIssuer === null) {
        const existing = (await this.issuers.findByName(DEFAULT_ISSUER.name)) ?? issuers[0] ?? null;
        defaultIssuer = (existing ?? (await this.issuers.create(DEFAULT_ISSUER))).id;
      }
      return defaultIssuer;
    };
    for (const rule of rules) {
      try {
        const wanted = {
          name: rule.name,
          description: rule.description,
          image: artFileName(rule.imageUrl),
          criteria: rule.discussion ?? '',
          issuerId: await issuerOf(rule),
        };
        await this.ds.transaction(async (m) => {
          const badge = await this.badges.find(rule.badgeId, m);
          if (!badge) await this.badges.create({ id: rule.badgeId, ...wanted }, m);
          else if (differs(badge, wanted)) await this.badges.update(rule.badgeId, wanted, m);
        });
      } catch (err) {
        errors.push({ badgeId: rule.badgeId, error: (err as Error).message });
        this.log.warn(`badge ${rule.badgeId} not synced: ${(err as Error).message}`);
      }
    }
    return errors;
  }
}

function differs(
  badge: Badge,
  wanted: { name: string; description: string; image: string; criteria: string; issuerId: number },
): boolean {
  return (
    badge.name !== wanted.name ||
    badge.description !== wanted.description ||
    badge.image !== wanted.image ||
    badge.criteria !== wanted.criteria ||
    badge.issuerId !== wanted.issuerId
  );
}
