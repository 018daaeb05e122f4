import { Injectable } from '@nestjs/common';
import type { Viewer } from '../../../common/viewer';
import { AwardsService } from '../../awards/awards.service';
import { SeriesService } from '../../badges/series.service';
import { Site } from '../site';

/** The badge ladders (1, 5, 10, 20, 40, 80... of the same thing). */
@Injectable()
export class SeriesPresenter {
  constructor(
    private readonly site: Site,
    private readonly series: SeriesService,
    private readonly awards: AwardsService,
  ) {}

  async list(viewer: Viewer | null) {
    const all = await this.series.list();
    const steps = await this.series.steps(all.map((s) => s.id));
    return {
      ...this.site.layout({ title: 'Series', active: 'series', viewer, path: '/series' }),
      series: all.map((s) => ({
        name: s.name,
        description: s.description,
        url: `/series/${encodeURIComponent(s.id)}`,
        badgeCount: s.badgeCount,
        preview: (steps.get(s.id) ?? []).slice(0, 6).map((st) => this.site.tile(st.badge)),
      })),
    };
  }

  async present(id: string, viewer: Viewer | null) {
    const d = await this.series.detail(id);
    const held = viewer
      ? await Promise.all(d.steps.map((s) => this.awards.holds(s.badge.id, viewer.personId)))
      : [];
    return {
      ...this.site.layout({
        title: d.series.name,
        active: 'series',
        viewer,
        path: `/series/${encodeURIComponent(d.series.id)}`,
        description: d.series.description,
      }),
      series: {
        name: d.series.name,
        description: d.series.description,
        tags: d.series.tags.map((t) => ({ name: t, url: `/tags/${encodeURIComponent(t)}/any` })),
        team: d.team?.name ?? null,
      },
      steps: d.steps.map((s, i) => ({
        ...this.site.tile(s.badge),
        position: i + 1,
        holders: s.badge.holdersCount,
        heldOn: held[i]?.issuedOn ?? null,
      })),
      viewerHolds: held.filter(Boolean).length,
    };
  }
}
