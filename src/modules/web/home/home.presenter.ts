import { Injectable } from '@nestjs/common';
import type { Viewer } from '../../../common/viewer';
import { AwardsService } from '../../awards/awards.service';
import { BadgesService } from '../../badges/badges.service';
import { RankingService, type Leaderboard } from '../../users/ranking.service';
import { Site } from '../site';

/** The front page: newest awards, the week's and the month's top collectors, totals. */
@Injectable()
export class HomePresenter {
  constructor(
    private readonly site: Site,
    private readonly awards: AwardsService,
    private readonly badges: BadgesService,
    private readonly ranking: RankingService,
  ) {}

  async present(viewer: Viewer | null) {
    const [latest, week, month, counts, totals] = await Promise.all([
      this.awards.latest(10),
      this.ranking.leaderboard({ period: 'week', limit: 5 }),
      this.ranking.leaderboard({ period: 'month', limit: 5 }),
      this.badges.counts(),
      this.ranking.totals(),
    ]);
    return {
      ...this.site.layout({ title: 'Home', active: 'home', viewer, path: '/' }),
      latest: latest.map((a) => ({
        person: this.site.person(a, 48),
        badge: this.site.tile(a.badge),
        issuedOn: a.issuedOn,
      })),
      week: this.board(week),
      month: this.board(month),
      stats: { badges: counts.badges, awards: counts.awards, people: totals.ranked },
      viewerUrl: viewer ? this.site.userUrl(viewer.nickname) : null,
    };
  }

  /** "OK: (13 badges in the system)", as Tahrir answered. */
  async heartbeat(): Promise<string> {
    const { badges } = await this.badges.counts();
    return `OK: (${badges} badges in the system)`;
  }

  private board(b: Leaderboard) {
    return {
      start: b.start,
      entries: b.entries.map((e) => ({ ...e, person: this.site.person(e, 40) })),
    };
  }
}
