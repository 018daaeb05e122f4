import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { invalid } from '../../../common/errors/domain-error';
import type { Viewer } from '../../../common/viewer';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { AdminPage } from '../../auth/page-access';
import type { Principal } from '../../auth/principal';
import { CreateSeriesDto, UpdateSeriesDto } from '../../badges/api/dto/series.dto';
import { SeriesService } from '../../badges/series.service';
import { normalizeTags } from '../../badges/tags';
import { textField } from '../account/form-values';
import { renderPage } from '../render';
import { Site } from '../site';
import { CurrentViewer } from '../viewer.decorator';
import { formDto, formFailure } from './form-dto';

interface SeriesForm {
  id: string;
  name: string;
  description: string;
  tags: string;
}

const FIELD_OF = {
  'SERIES.ALREADY_EXISTS': 'name',
  'BADGE.NOT_FOUND': 'badge',
  'MILESTONE.NOT_FOUND': 'badge',
};

/** Admin pages for series (ladders): create and edit them, add, move and remove steps. */
@ApiExcludeController()
@Controller('admin/series')
@AdminPage()
export class SeriesAdminController {
  constructor(
    private readonly site: Site,
    private readonly series: SeriesService,
  ) {}

  @Get()
  async list(@CurrentViewer() viewer: Viewer, @Res() res: Response) {
    await renderPage(res, 'admin/series', {
      ...this.site.layout({ title: 'Series', active: 'none', viewer, path: '/admin/series' }),
      series: await this.series.list(),
    });
  }

  @Get('new')
  async newForm(@CurrentViewer() viewer: Viewer, @Res() res: Response) {
    const form = { id: '', name: '', description: '', tags: '' };
    await renderPage(res, 'admin/series-form', await this.model(viewer, null, form, {}));
  }

  @Post()
  @HttpCode(303)
  async create(
    @CurrentViewer() viewer: Viewer,
    @CurrentPrincipal() p: Principal,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const form = seriesForm(body);
    try {
      const dto = await formDto(CreateSeriesDto, {
        ...(form.id ? { id: form.id } : {}),
        name: form.name,
        description: form.description,
        tags: normalizeTags(form.tags),
      });
      const created = await this.series.create(dto, undefined, p);
      res.redirect(303, `/admin/series/${encodeURIComponent(created.id)}?saved=1`);
    } catch (err) {
      await this.failed(err, viewer, null, form, res);
    }
  }

  @Get(':id')
  async editForm(
    @CurrentViewer() viewer: Viewer,
    @Param('id') id: string,
    @Query('saved') saved: unknown,
    @Res() res: Response,
  ) {
    const s = await this.series.get(id);
    const form = { id: s.id, name: s.name, description: s.description, tags: s.tags.join(', ') };
    const model = await this.model(viewer, s.id, form, {});
    await renderPage(res, 'admin/series-form', { ...model, saved: saved === '1' });
  }

  @Post(':id')
  @HttpCode(303)
  async update(
    @CurrentViewer() viewer: Viewer,
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const current = await this.series.get(id);
    const form = { ...seriesForm(body), id: current.id };
    try {
      const dto = await formDto(UpdateSeriesDto, {
        name: form.name,
        description: form.description,
        tags: normalizeTags(form.tags),
      });
      await this.series.update(id, dto, p);
      res.redirect(303, `/admin/series/${encodeURIComponent(id)}?saved=1`);
    } catch (err) {
      await this.failed(err, viewer, id, form, res);
    }
  }

  /** Puts a badge in the ladder at a position, or moves it there. */
  @Post(':id/milestones')
  @HttpCode(303)
  async setMilestone(
    @CurrentViewer() viewer: Viewer,
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const s = await this.series.get(id);
    const badgeId = textField(body.badge, 300).trim();
    const raw = textField(body.position, 10).trim();
    try {
      if (!badgeId) throw fieldError('badge', 'Give the id of a badge.');
      if (raw && !/^\d{1,5}$/.test(raw)) throw fieldError('position', 'A whole number, 1 or more.');
      await this.series.setMilestone(s.id, badgeId, raw ? Number(raw) : null, true, undefined, p);
      res.redirect(303, `/admin/series/${encodeURIComponent(s.id)}#steps`);
    } catch (err) {
      const form = { id: s.id, name: s.name, description: s.description, tags: s.tags.join(', ') };
      const failure = formFailure(err, FIELD_OF);
      if (!failure) throw err;
      res.status(failure.status);
      const model = await this.model(viewer, s.id, form, failure.errors);
      await renderPage(res, 'admin/series-form', {
        ...model,
        invalid: false,
        step: { badge: badgeId, position: raw },
      });
    }
  }

  @Post(':id/milestones/:badgeId/remove')
  @HttpCode(303)
  async removeMilestone(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('badgeId') badgeId: string,
    @Res() res: Response,
  ) {
    await this.series.removeMilestone(id, badgeId, p);
    res.redirect(303, `/admin/series/${encodeURIComponent(id)}#steps`);
  }

  private async failed(
    err: unknown,
    viewer: Viewer,
    id: string | null,
    form: SeriesForm,
    res: Response,
  ) {
    const failure = formFailure(err, FIELD_OF);
    if (!failure) throw err;
    res.status(failure.status);
    await renderPage(res, 'admin/series-form', await this.model(viewer, id, form, failure.errors));
  }

  private async model(
    viewer: Viewer,
    id: string | null,
    form: SeriesForm,
    errors: Record<string, string>,
  ) {
    const steps = id ? ((await this.series.steps([id])).get(id) ?? []) : [];
    const path = id === null ? '/admin/series/new' : `/admin/series/${encodeURIComponent(id)}`;
    return {
      ...this.site.layout({
        title: id === null ? 'New series' : `Series ${form.name}`,
        active: 'none',
        viewer,
        path,
      }),
      id,
      path,
      action: id === null ? '/admin/series' : path,
      form,
      steps: steps.map((s) => ({
        position: s.position,
        badge: this.site.tile(s.badge),
        removeUrl: `${path}/milestones/${encodeURIComponent(s.badge.id)}/remove`,
      })),
      step: { badge: '', position: String(steps.length + 1) },
      errors,
      invalid: Object.keys(errors).some((k) => k !== 'badge' && k !== 'position'),
    };
  }
}

function seriesForm(body: Record<string, unknown>): SeriesForm {
  const f = (k: string, max = 5000) => textField(body[k], max).trim();
  return { id: f('id', 300), name: f('name', 300), description: f('description'), tags: f('tags') };
}

function fieldError(field: string, message: string) {
  return invalid('FORM.INVALID', message, [{ field, errors: [message] }]);
}
