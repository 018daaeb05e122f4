import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import type { DataSource, EntityManager } from 'typeorm';
import { slugify } from '../common/slug';
import type { AwardsService } from '../modules/awards/awards.service';
import type { BadgesService } from '../modules/badges/badges.service';
import type { IssuersService } from '../modules/badges/issuers.service';
import type { ProgressService } from '../modules/awards/progress.service';
import type { SeriesService } from '../modules/badges/series.service';
import type { UsersService } from '../modules/users/users.service';
import { DEMO_PEOPLE } from './demo-people';

interface Manifest {
  issuer: { id: string; name: string; origin: string; org: string; contact: string };
  tags: Record<string, string[]>;
  manual_badges: {
    name: string;
    description: string;
    image: string;
    criteria: string;
    tags: string[];
  }[];
  series: { name: string; description: string; tags: string[]; badges: string[] }[];
}

export interface DemoServices {
  ds: DataSource;
  issuers: IssuersService;
  badges: BadgesService;
  series: SeriesService;
  users: UsersService;
  awards: AwardsService;
  /** When given, people also get progress towards the next step of each ladder. */
  progress?: ProgressService;
}

export interface DemoSummary {
  seeded: boolean;
  badges: number;
  people: number;
  awards: number;
}

/** A deterministic PRNG so every demo looks the same. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;

/**
 * Loads the demo collection: its badges (from the rule files and the manifest), series,
 * invented people and a year of awards ending today, so every page and leaderboard period
 * has something to show. Idempotent: a database that has the demo issuer is left alone.
 */
export async function seedDemo(
  dir: string,
  s: DemoServices,
  now = new Date(),
): Promise<DemoSummary> {
  // All or nothing: a failure leaves no half-loaded demo behind.
  return s.ds.transaction((m) => seed(dir, s, m, now));
}

async function seed(
  dir: string,
  s: DemoServices,
  m: EntityManager,
  now: Date,
): Promise<DemoSummary> {
  const manifest = parse(readFileSync(join(dir, 'demo.yml'), 'utf8')) as Manifest;
  if (await s.issuers.findByName(manifest.issuer.name, m)) {
    return { seeded: false, badges: 0, people: 0, awards: 0 };
  }
  const { name, origin, org, contact } = manifest.issuer;
  const issuer = await s.issuers.create({ name, origin, org, contact }, m);

  const ruleBadges = readdirSync(join(dir, 'rules'))
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => parse(readFileSync(join(dir, 'rules', f), 'utf8')) as Record<string, string>);
  for (const r of ruleBadges) {
    const id = slugify(r.name);
    await s.badges.create(
      {
        name: r.name,
        description: r.description,
        image: basename(new URL(r.image_url).pathname),
        criteria: r.discussion,
        issuerId: issuer.id,
        tags: manifest.tags[id] ?? [],
      },
      m,
    );
  }
  for (const b of manifest.manual_badges) {
    await s.badges.create({ ...b, issuerId: issuer.id }, m);
  }
  for (const series of manifest.series) {
    const created = await s.series.create(
      { name: series.name, description: series.description, tags: series.tags },
      m,
    );
    for (const [i, badgeId] of series.badges.entries()) {
      await s.series.setMilestone(created.id, badgeId, i + 1, false, m);
    }
  }

  const rnd = prng(2026);
  const ago = (days: number) => new Date(now.getTime() - days * DAY - Math.floor(rnd() * DAY));
  let awards = 0;
  const give = async (badgeId: string, nickname: string, when: Date) => {
    const r = await s.awards.award({ badgeId, nickname, issuedOn: when }, m);
    if (r.status === 'awarded') awards++;
  };
  for (const [i, nickname] of DEMO_PEOPLE.entries()) {
    await s.users.create(
      { nickname, bio: i % 3 === 0 ? `Fedora contributor since ${2012 + (i % 12)}.` : null },
      m,
    );
    // Older accounts first, so ranks spread out; a few newcomers this week.
    const joined = i < 34 ? 360 - i * 10 : 6 - (i - 34);
    await give('hello-fedora', nickname, ago(joined));
    const comments = Math.floor(rnd() ** 2 * 70);
    const builds = Math.floor(rnd() ** 3 * 60);
    const edits = Math.floor(rnd() * 16);
    const ladder = async (counts: [string, number][], done: number) => {
      for (const [badgeId, threshold] of counts) {
        if (done >= threshold)
          await give(badgeId, nickname, ago(Math.floor(joined * (1 - threshold / 60))));
      }
      // "37 of 50": how far they are towards the first step not yet reached.
      const next = counts.find(([, threshold]) => done < threshold);
      if (s.progress && next && done > 0) {
        const person = await s.users.findByNickname(nickname, m);
        await s.progress.record(next[0], person!.id, done, m, next[1]);
      }
    };
    await ladder(
      [
        ['first-steps-tester', 1],
        ['steady-tester', 5],
        ['seasoned-tester', 20],
        ['tireless-tester', 50],
      ],
      comments,
    );
    await ladder(
      [
        ['apprentice-builder', 1],
        ['journeyman-builder', 10],
        ['master-builder', 50],
      ],
      builds,
    );
    if (edits >= 10) await give('wiki-scribe', nickname, ago(Math.floor(joined / 2)));
    if (i % 3 === 1) await give('flock-2026-attendee', nickname, ago(110));
    if (i % 9 === 0) await give('mentor', nickname, ago(Math.floor(joined / 3)));
    if (i % 17 === 0) await give('key-keeper', nickname, ago(20));
    const [{ n }] = await m.query(`SELECT badge_count AS n FROM persons WHERE nickname = $1`, [
      nickname,
    ]);
    if (n >= 5) await give('badge-enthusiast', nickname, ago(Math.max(0, Math.floor(joined / 4))));
  }
  return {
    seeded: true,
    badges: ruleBadges.length + manifest.manual_badges.length,
    people: DEMO_PEOPLE.length,
    awards,
  };
}
