import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PERIOD_KEY, type Period, periodEnd, periodStart } from './ranking';

export interface LeaderboardEntry {
  rank: number;
  personId: number;
  nickname: string | null;
  email: string;
  avatar: string | null;
  /** Badges held (all time) or awarded within the period. */
  badges: number;
}

export interface Leaderboard {
  period: Period;
  /** First and day-after-last days of a calendar period (UTC); null for all time. */
  start: string | null;
  end: string | null;
  entries: LeaderboardEntry[];
}

/** Where a person stands on a leaderboard, with the people just above and below. */
export interface Standing {
  entry: LeaderboardEntry;
  /** A window of up to 2 * radius + 1 rows holding the person, best first. */
  neighbours: LeaderboardEntry[];
}

interface Row {
  person_id: number;
  nickname: string | null;
  email: string;
  avatar: string | null;
  badges: number;
}

/**
 * Ranks and leaderboards, read from figures the database keeps current on every award
 * (person_levels, award_tallies; see the initial migration). Ties share a rank, as in
 * Tahrir: 1, 1, 3. Every query here is an index range read, never a scan of all persons.
 */
@Injectable()
export class RankingService {
  /** SQL for the rank of a badge count (ties share a rank), to embed in other queries. */
  static RANK_SQL = (countExpr: string) =>
    `(SELECT 1 + coalesce(sum(l.persons), 0)::int FROM person_levels l
       WHERE NOT l.opted_out AND l.badge_count > ${countExpr})`;

  /** SQL for the number of ranked persons (visible, at least one badge). */
  static RANKED_TOTAL_SQL = `(SELECT coalesce(sum(l.persons), 0)::int FROM person_levels l
       WHERE NOT l.opted_out AND l.badge_count > 0)`;

  /** SQL for the number of persons (for "percent of people who hold it"). */
  static PERSONS_TOTAL_SQL = `(SELECT coalesce(sum(l.persons), 0)::int FROM person_levels l)`;

  constructor(private readonly ds: DataSource) {}

  /** Rank among visible persons holding at least one badge; null when unranked. */
  async rankOf(
    p: { badgeCount: number; optOut: boolean },
    m: EntityManager = this.ds.manager,
  ): Promise<number | null> {
    if (p.optOut || p.badgeCount <= 0) return null;
    return this.rankForCount(p.badgeCount, m);
  }

  /**
   * Just after an award to this person (its statement's triggers have run): their badge
   * count, their rank now, and the rank they had before it. Before, they were one level
   * lower, so everyone now above that level is who was above them then, plus themselves.
   */
  async ranksAfterAward(
    personId: number,
    m: EntityManager = this.ds.manager,
  ): Promise<{ badgeCount: number; oldRank: number | null; newRank: number | null }> {
    const [row] = (await m.query(
      `SELECT p.badge_count, p.opt_out,
              ${RankingService.RANK_SQL('p.badge_count')} AS new_rank,
              ${RankingService.RANK_SQL('p.badge_count - 1')} - 1 AS old_rank
         FROM persons p WHERE p.id = $1`,
      [personId],
    )) as { badge_count: number; opt_out: boolean; new_rank: number; old_rank: number }[];
    const badgeCount = Number(row.badge_count);
    if (row.opt_out || badgeCount <= 0) return { badgeCount, oldRank: null, newRank: null };
    return {
      badgeCount,
      newRank: Number(row.new_rank),
      oldRank: badgeCount - 1 > 0 ? Number(row.old_rank) : null,
    };
  }

  /**
   * Badge count and rank of each of these persons, in one read (null rank: unranked,
   * because opted out or without badges).
   */
  async standingsOf(
    personIds: readonly number[],
    m: EntityManager = this.ds.manager,
  ): Promise<Map<number, { badgeCount: number; rank: number | null }>> {
    const rows = (await m.query(
      `SELECT p.id, p.badge_count,
              CASE WHEN p.opt_out OR p.badge_count <= 0 THEN NULL
                   ELSE ${RankingService.RANK_SQL('p.badge_count')} END AS rank
         FROM persons p WHERE p.id = ANY($1::int[])`,
      [[...personIds]],
    )) as { id: number; badge_count: number; rank: number | null }[];
    return new Map(
      rows.map((r) => [
        Number(r.id),
        { badgeCount: Number(r.badge_count), rank: r.rank === null ? null : Number(r.rank) },
      ]),
    );
  }

  async rankForCount(badgeCount: number, m: EntityManager = this.ds.manager): Promise<number> {
    const [row] = await m.query(`SELECT ${RankingService.RANK_SQL('$1')} AS rank`, [badgeCount]);
    return Number(row.rank);
  }

  /** How many persons exist, how many are visible, and how many are ranked. */
  async totals(
    m: EntityManager = this.ds.manager,
  ): Promise<{ persons: number; visible: number; ranked: number }> {
    const [row] = await m.query(
      `SELECT coalesce(sum(persons), 0)::int AS persons,
              coalesce(sum(persons) FILTER (WHERE NOT opted_out), 0)::int AS visible,
              coalesce(sum(persons) FILTER (WHERE NOT opted_out AND badge_count > 0), 0)::int AS ranked
         FROM person_levels`,
    );
    return {
      persons: Number(row.persons),
      visible: Number(row.visible),
      ranked: Number(row.ranked),
    };
  }

  async leaderboard(opts: {
    period: Period;
    limit: number;
    offset?: number;
    /** Which calendar period: the one containing this instant (default: now). */
    at?: Date;
  }): Promise<Leaderboard> {
    const offset = opts.offset ?? 0;
    if (opts.period === 'all') {
      const rows: Row[] = await this.ds.query(
        `SELECT id AS person_id, nickname, email, avatar, badge_count AS badges
           FROM persons WHERE NOT opt_out AND badge_count > 0
          ORDER BY badge_count DESC, id LIMIT $1 OFFSET $2`,
        [opts.limit, offset],
      );
      const firstRank = rows.length ? await this.rankForCount(rows[0].badges) : 1;
      return { period: 'all', start: null, end: null, entries: withRanks(rows, firstRank, offset) };
    }
    const start = periodStart(opts.period, opts.at ?? new Date());
    const end = periodEnd(opts.period, start);
    const { rows, firstRank } =
      opts.period === 'day'
        ? await this.dayBoard(start, end, opts.limit, offset)
        : await this.talliedBoard(PERIOD_KEY[opts.period], start, opts.limit, offset);
    return { period: opts.period, start, end, entries: withRanks(rows, firstRank, offset) };
  }

  /**
   * The person's place on a leaderboard (all time or the period containing `at`) with the
   * people around them; null when they are not on it (opted out, or nothing in the period).
   * The position is counted with the board's own order (count desc, id), so the neighbours
   * are exactly the rows the paginated board shows there.
   */
  async standing(
    personId: number,
    opts: { period: Period; at?: Date; radius?: number },
  ): Promise<Standing | null> {
    const radius = opts.radius ?? 2;
    const position = await this.positionOf(personId, opts.period, opts.at ?? new Date());
    if (position === null) return null;
    // A window of 2 * radius + 1 rows around the person, shifted down at the top (as
    // Tahrir's rank JSON did: the first five for the leader).
    const offset = Math.max(0, position - radius);
    const board = await this.leaderboard({
      period: opts.period,
      at: opts.at,
      limit: 2 * radius + 1,
      offset,
    });
    const entry = board.entries.find((e) => e.personId === personId);
    return entry ? { entry, neighbours: board.entries } : null;
  }

  /** 0-based position on the board, or null when not on it. */
  private async positionOf(personId: number, period: Period, at: Date): Promise<number | null> {
    if (period === 'all') {
      const [p] = await this.ds.query(`SELECT badge_count, opt_out FROM persons WHERE id = $1`, [
        personId,
      ]);
      if (!p || p.opt_out || p.badge_count <= 0) return null;
      const [row] = await this.ds.query(
        `SELECT count(*)::int AS n FROM persons
          WHERE NOT opt_out AND badge_count = $1 AND id < $2`,
        [p.badge_count, personId],
      );
      return (await this.rankForCount(p.badge_count)) - 1 + Number(row.n);
    }
    const start = periodStart(period, at);
    if (period === 'day') {
      const { rows } = await this.dayBoard(start, periodEnd('day', start), 100_000, 0);
      const i = rows.findIndex((r) => r.person_id === personId);
      return i < 0 ? null : i;
    }
    const key = PERIOD_KEY[period];
    const [mine] = await this.ds.query(
      `SELECT t.awards FROM award_tallies t JOIN persons p ON p.id = t.person_id AND NOT p.opt_out
        WHERE t.period = $1 AND t.period_start = $2 AND t.person_id = $3`,
      [key, start, personId],
    );
    if (!mine) return null;
    const [row] = await this.ds.query(
      `SELECT count(*)::int AS n FROM award_tallies
        WHERE period = $1 AND period_start = $2
          AND (awards > $3 OR (awards = $3 AND person_id < $4))`,
      [key, start, mine.awards, personId],
    );
    return Number(row.n);
  }

  /** Years, months and weeks: read from award_tallies, best first. */
  private async talliedBoard(key: string, start: string, limit: number, offset: number) {
    const rows: Row[] = await this.ds.query(
      `SELECT t.person_id, p.nickname, p.email, p.avatar, t.awards AS badges
         FROM award_tallies t JOIN persons p ON p.id = t.person_id AND NOT p.opt_out
        WHERE t.period = $1 AND t.period_start = $2
        ORDER BY t.awards DESC, t.person_id LIMIT $3 OFFSET $4`,
      [key, start, limit, offset],
    );
    if (!rows.length) return { rows, firstRank: 1 };
    const [row] = await this.ds.query(
      `SELECT 1 + count(*)::int AS rank FROM award_tallies
        WHERE period = $1 AND period_start = $2 AND awards > $3`,
      [key, start, rows[0].badges],
    );
    return { rows, firstRank: Number(row.rank) };
  }

  /** A day: counted from the day's assertions (an index range of a few hundred rows). */
  private async dayBoard(start: string, end: string, limit: number, offset: number) {
    const rows: Row[] = await this.ds.query(
      `SELECT a.person_id, p.nickname, p.email, p.avatar, count(*)::int AS badges
         FROM assertions a JOIN persons p ON p.id = a.person_id AND NOT p.opt_out
        WHERE a.issued_on >= ($1::timestamp AT TIME ZONE 'UTC') AND a.issued_on < ($2::timestamp AT TIME ZONE 'UTC')
        GROUP BY a.person_id, p.nickname, p.email, p.avatar
        ORDER BY badges DESC, a.person_id LIMIT $3 OFFSET $4`,
      [start, end, limit, offset],
    );
    if (!rows.length) return { rows, firstRank: 1 };
    const [row] = await this.ds.query(
      `SELECT 1 + count(*)::int AS rank FROM (
         SELECT a.person_id FROM assertions a JOIN persons p ON p.id = a.person_id AND NOT p.opt_out
          WHERE a.issued_on >= ($1::timestamp AT TIME ZONE 'UTC') AND a.issued_on < ($2::timestamp AT TIME ZONE 'UTC')
          GROUP BY a.person_id HAVING count(*) > $3) above`,
      [start, end, rows[0].badges],
    );
    return { rows, firstRank: Number(row.rank) };
  }
}

/**
 * Competition ranks for a page of rows sorted best first: the first row's rank comes from
 * the database (ties may cross the page boundary); then a row tied with the previous one
 * shares its rank, and any other row's rank is its position.
 */
function withRanks(rows: Row[], firstRank: number, offset: number): LeaderboardEntry[] {
  let rank = firstRank;
  return rows.map((r, i) => {
    if (i > 0 && r.badges !== rows[i - 1].badges) rank = offset + i + 1;
    return {
      rank,
      personId: r.person_id,
      nickname: r.nickname,
      email: r.email,
      avatar: r.avatar,
      badges: Number(r.badges),
    };
  });
}
