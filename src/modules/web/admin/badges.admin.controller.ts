import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Viewer } from '../../../common/viewer';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { AdminPage } from '../../auth/page-access';
import type { Principal } from '../../auth/principal';
import { AuthorizationsService } from '../../awards/authorizations.service';
import { CreateBadgeDto, UpdateBadgeDto } from '../../badges/api/dto/badge.dto';
import { BadgesService } from '../../badges/badges.service';
import { IssuersService } from '../../badges/issuers.service';
import { textField } from '../account/form-values';
import { pageParam, textParam } from '../params';
import { renderPage } from '../render';
import { Site } from '../site';
import { CurrentViewer } from '../viewer.decorator';
import { type BadgeForm, badgeDtoInput, badgeForm, badgeFormOf } from './badge-form';
import { formDto, formFailure } from './form-dto';
import { OneFile, type UploadedForm } from './upload';

const FIELD_OF = {
  'BADGE.ALREADY_EXISTS': 'name',
  'ISSUER.NOT_FOUND': 'issuer_id',
  'USER.NOT_FOUND': 'granter',
  'AUTHORIZATION.ALREADY_EXISTS': 'granter',
};
const NO_IMAGE = 'Upload the art, or give the name of an art file or an image URL.';

/**
 * Admin pages for badges: the list, create and edit (art upload, tags), and who may grant
 * each badge. The forms with a file are multipart: their CSRF token is in the action's query.
 */
@ApiExcludeController()
@Controller('admin/badges')
@AdminPage()
export class BadgesAdminController {
  constructor(
    private readonly site: Site,
    private readonly badges: BadgesService,
    private readonly issuers: IssuersService,
    private readonly authorizations: AuthorizationsService,
  ) {}

  @Get()
  async list(
    @CurrentViewer() viewer: Viewer,
    @Query('q') q: unknown,
    @Query('page') page: unknown,
    @Res() res: Response,
  ) {
    const query = textParam(q);
    const n = pageParam(page);
    const list = await this.badges.list({ q: query, page: n, perPage: 50, sort: 'name' });
    const pages = Math.max(1, Math.ceil(list.total / 50));
    const at = (k: number) => `/admin/badges?q=${encodeURIComponent(query)}&page=${k}`;
    await renderPage(res, 'admin/badges', {
      ...this.site.layout({ title: 'Badges', active: 'none', viewer, path: '/admin/badges' }),
      q: query,
      badges: list.items.map((b) => ({ ...this.site.tile(b), tags: b.tags.join(', ') })),
      total: list.total,
      pager: {
        label: 'Badge pages',
        page: n,
        pages,
        prev: n > 1 ? at(n - 1) : null,
        next: n < pages ? at(n + 1) : null,
      },
    });
  }

  @Get('new')
  async newForm(@CurrentViewer() viewer: Viewer, @Res() res: Response) {
    const issuers = await this.issuers.list();
    const form = { ...badgeForm(undefined), issuerId: String(issuers[0]?.id ?? '') };
    await renderPage(res, 'admin/badge-form', await this.model(viewer, null, form, {}));
  }

  @Post()
  @HttpCode(303)
  @UseInterceptors(OneFile('art'))
  async create(
    @CurrentViewer() viewer: Viewer,
    @CurrentPrincipal() p: Principal,
    @Body() body: Record<string, unknown>,
    @UploadedFile() art: UploadedForm | undefined,
    @Res() res: Response,
  ) {
    const form = badgeForm(body);
    try {
      const dto = await formDto(CreateBadgeDto, badgeDtoInput(form, Boolean(art), true));
      const { issuer_id, ...fields } = dto;
      const badge = await this.badges.create(
        { ...fields, issuerId: issuer_id, art: art?.buffer ?? null },
        undefined,
        p,
      );
      res.redirect(303, `/admin/badges/${encodeURIComponent(badge.id)}?saved=1`);
    } catch (err) {
      const failure = formFailure(err, FIELD_OF);
      if (!failure) throw err;
      if (failure.errors.image) failure.errors.image = NO_IMAGE;
      res.status(failure.status);
      await renderPage(
        res,
        'admin/badge-form',
        await this.model(viewer, null, form, failure.errors),
      );
    }
  }

  @Get(':id')
  async editForm(
    @CurrentViewer() viewer: Viewer,
    @Param('id') id: string,
    @Query('saved') saved: unknown,
    @Res() res: Response,
  ) {
    const badge = await this.badges.get(id);
    const model = await this.model(viewer, badge.id, badgeFormOf(badge), {});
    await renderPage(res, 'admin/badge-form', { ...model, saved: saved === '1' });
  }

  @Post(':id')
  @HttpCode(303)
  @UseInterceptors(OneFile('art'))
  async update(
    @CurrentViewer() viewer: Viewer,
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @UploadedFile() art: UploadedForm | undefined,
    @Res() res: Response,
  ) {
    const current = await this.badges.get(id);
    const form = { ...badgeForm(body), id: current.id };
    try {
      const input = badgeDtoInput(
        { ...form, image: form.image || current.image },
        Boolean(art),
        false,
      );
      const { issuer_id, image, ...fields } = await formDto(UpdateBadgeDto, input);
      await this.badges.update(
        id,
        { ...fields, issuerId: issuer_id, art: art?.buffer, ...(art ? {} : { image }) },
        undefined,
        p,
      );
      res.redirect(303, `/admin/badges/${encodeURIComponent(id)}?saved=1`);
    } catch (err) {
      const failure = formFailure(err, FIELD_OF);
      if (!failure) throw err;
      res.status(failure.status);
      await renderPage(res, 'admin/badge-form', await this.model(viewer, id, form, failure.errors));
    }
  }

  @Post(':id/granters')
  @HttpCode(303)
  async addGranter(
    @CurrentViewer() viewer: Viewer,
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const badge = await this.badges.get(id);
    const nickname = textField(body.nickname, 300).trim();
    try {
      await this.authorizations.add(badge.id, nickname, p);
      res.redirect(303, `/admin/badges/${encodeURIComponent(badge.id)}#granters`);
    } catch (err) {
      const failure = formFailure(err, FIELD_OF);
      if (!failure) throw err;
      res.status(failure.status);
      const model = await this.model(viewer, badge.id, badgeFormOf(badge), failure.errors);
      await renderPage(res, 'admin/badge-form', { ...model, granterName: nickname });
    }
  }

  @Post(':id/granters/:nickname/remove')
  @HttpCode(303)
  async removeGranter(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('nickname') nickname: string,
    @Res() res: Response,
  ) {
    await this.authorizations.remove(id, nickname, p);
    res.redirect(303, `/admin/badges/${encodeURIComponent(id)}#granters`);
  }

  private async model(
    viewer: Viewer,
    id: string | null,
    form: BadgeForm,
    errors: Record<string, string>,
  ) {
    const [issuers, granters] = await Promise.all([
      this.issuers.list(),
      id ? this.authorizations.list(id) : Promise.resolve([]),
    ]);
    const path = id === null ? '/admin/badges/new' : `/admin/badges/${encodeURIComponent(id)}`;
    return {
      ...this.site.layout({
        title: id === null ? 'New badge' : `Badge ${form.name}`,
        active: 'none',
        viewer,
        path,
      }),
      id,
      path,
      action: id === null ? '/admin/badges' : path,
      form,
      art: id && form.image ? this.site.badgeImage(form.image) : null,
      issuers: issuers.map((i) => ({
        id: i.id,
        name: i.name,
        selected: String(i.id) === form.issuerId,
      })),
      granters: granters.map((g) => ({
        nickname: g.nickname,
        removeUrl: `${path}/granters/${encodeURIComponent(g.nickname ?? '')}/remove`,
      })),
      errors,
      invalid: Object.keys(errors).some((k) => k !== 'granter'),
    };
  }
}
