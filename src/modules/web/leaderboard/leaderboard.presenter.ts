import { Injectable } from '@nestjs/common';
import type { Viewer } from '../../../common/viewer';
import { PERIODS, type Period, periodEnd, periodStart } from '../../users/ranking';
import { type LeaderboardEntry, RankingService } from '../../users/ranking.service';
import { UsersService } from '../../users/users.service';
import { Site } from '../site';
import { neighbourPeriods, periodLabel, type ReportPeriod, reportPath } from './report-period';

export const BOARD_PER_PAGE = 50;

const TABS: { period: Period; label: string }[] = [
  { period: 'all', label: 'All time' },
  { period: 'year', label: 'This year' },
  { period: 'month', label: 'This month' },
  { period: 'week', label: 'This week' },
  { period: 'day', label: 'Today' },
];

export function isPeriod(p: unknown): p is Period {
  return typeof p === 'string' && (PERIODS as readonly string[]).includes(p);
}

/** The leaderboards (all time and the current periods), the dated reports, Tahrir's JSON. */
@Injectable()
export class LeaderboardPresenter {
  constructor(
    private readonly site: Site,
    private readonly ranking: RankingService,
    private readonly users: UsersService,
  ) {}

  /** /leaderboard?period=: all time, or the period that holds today. */
  current(period: Period, page: number, viewer: Viewer | null) {
    if (period === 'all') return this.present({ period: 'all', page, viewer, report: null });
    const start = periodStart(period, new Date());
    return this.present({
      period,
      page,
      viewer,
      report: { period, start, end: periodEnd(period, start) },
      isCurrent: true,
    });
  }

  /** /report/...: the rising stars of a given calendar period. */
  report(report: ReportPeriod, page: number, viewer: Viewer | null) {
    return this.present({ period: report.period, page, viewer, report });
  }

  private async present(o: {
    period: Period;
    page: number;
    viewer: Viewer | null;
    report: ReportPeriod | null;
    isCurrent?: boolean;
  }) {
    const at = o.report ? new Date(`${o.report.start}T00:00:00Z`) : undefined;
    const offset = (o.page - 1) * BOARD_PER_PAGE;
    const [board, standing, totals] = await Promise.all([
      this.ranking.leaderboard({ period: o.period, at, limit: BOARD_PER_PAGE + 1, offset }),
      o.viewer
        ? this.ranking.standing(o.viewer.personId, { period: o.period, at, radius: 2 })
        : Promise.resolve(null),
      this.ranking.totals(),
    ]);
    const hasNext = board.entries.length > BOARD_PER_PAGE;
    const rows = board.entries.slice(0, BOARD_PER_PAGE).map((e) => this.row(e, o.viewer));
    const label = o.report ? periodLabel(o.report) : null;
    const title =
      o.period === 'all'
        ? 'Leaderboard'
        : o.isCurrent
          ? `Rising stars: ${TABS.find((t) => t.period === o.period)!.label.toLowerCase()}`
          : `Rising stars of ${label}`;
    const basePath = o.isCurrent
      ? `/leaderboard?period=${o.period}&`
      : o.report
        ? `${reportPath(o.report)}?`
        : '/leaderboard?';
    const around = o.report ? neighbourPeriods(o.report) : null;
    const path =
      o.report && !o.isCurrent
        ? reportPath(o.report)
        : o.period === 'all'
          ? '/leaderboard'
          : `/leaderboard?period=${o.period}`;
    return {
      ...this.site.layout({
        title: o.page > 1 ? `${title} (page ${o.page})` : title,
        active: 'leaderboard',
        viewer: o.viewer,
        path,
        description:
          o.period === 'all'
            ? 'The Fedora contributors with the most badges.'
            : `The Fedora contributors who earned the most badges in ${label}.`,
      }),
      heading: title,
      period: o.period,
      label,
      range: o.report ? { start: o.report.start, end: o.report.end } : null,
      tabs: TABS.map((t) => ({
        ...t,
        url: t.period === 'all' ? '/leaderboard' : `/leaderboard?period=${t.period}`,
        current: !!(t.period === o.period && (o.isCurrent || o.period === 'all')),
      })),
      rows,
      empty: rows.length === 0,
      rankedTotal: totals.ranked,
      you: standing
        ? {
            rank: standing.entry.rank,
            badges: standing.entry.badges,
            onThisPage: rows.some((r) => r.isViewer),
            neighbours: standing.neighbours.map((e) => this.row(e, o.viewer)),
          }
        : null,
      viewerUnranked: !!o.viewer && !standing,
      pager: {
        page: o.page,
        prev: o.page > 1 ? `${basePath}page=${o.page - 1}` : null,
        next: hasNext ? `${basePath}page=${o.page + 1}` : null,
      },
      periods: around
        ? {
            prev: { url: reportPath(around.prev), label: periodLabel(around.prev) },
            next:
              around.next.start <= new Date().toISOString().slice(0, 10)
                ? { url: reportPath(around.next), label: periodLabel(around.next) }
                : null,
            permalink: o.isCurrent && o.report ? reportPath(o.report) : null,
          }
        : null,
    };
  }

  private row(e: LeaderboardEntry, viewer: Viewer | null) {
    return {
      rank: e.rank,
      badges: e.badges,
      person: this.site.person(e, 40),
      isViewer: viewer?.personId === e.personId,
    };
  }

  /** Tahrir's /leaderboard/json: the top (25 by default) as { badges, rank, nickname }. */
  async json(limit: number) {
    const board = await this.ranking.leaderboard({ period: 'all', limit });
    return { leaderboard: board.entries.map(tahrirEntry) };
  }

  /** Tahrir's /leaderboard/<nick>/json: the person and the two above and below. */
  async jsonAround(idOrNickname: string) {
    const person = await this.users.getVisibleByIdOrNickname(idOrNickname);
    const standing = await this.ranking.standing(person.id, { period: 'all', radius: 2 });
    return { leaderboard: (standing?.neighbours ?? []).map(tahrirEntry) };
  }
}

function tahrirEntry(e: LeaderboardEntry) {
  return { badges: e.badges, rank: e.rank, nickname: e.nickname };
}
