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
import { BadgesService } from '../../badges/badges.service';
import { type GrantPlan, GrantingService } from '../../awards/granting.service';
import { namesFromList } from '../../awards/name-list';
import { renderPage } from '../render';
import { Site } from '../site';
import { CurrentViewer } from '../viewer.decorator';
import { type BulkForm, BulkExtrasDto, bulkForm, namesOf } from './bulk-grant.form';
import { formDto, formFailure } from './form-dto';
import { OneFile, type UploadedForm } from './upload';

type Mode = GrantPlan['mode'];

/**
 * Granting or revoking a badge for many people: names typed or a CSV file, a preview of
 * who it changes (nothing is written), then a confirmation carried out all or nothing.
 */
@ApiExcludeController()
@Controller('admin/badges/:id')
@AdminPage()
export class BulkGrantAdminController {
  constructor(
    private readonly site: Site,
    private readonly badges: BadgesService,
    private readonly granting: GrantingService,
  ) {}

  @Get('grant')
  grantForm(
    @CurrentViewer() v: Viewer,
    @Param('id') id: string,
    @Query('done') done: unknown,
    @Res() res: Response,
  ) {
    return this.form(v, 'grant', id, done, res);
  }

  @Get('revoke')
  revokeForm(
    @CurrentViewer() v: Viewer,
    @Param('id') id: string,
    @Query('done') done: unknown,
    @Res() res: Response,
  ) {
    return this.form(v, 'revoke', id, done, res);
  }

  @Post('grant/preview')
  @HttpCode(200)
  @UseInterceptors(OneFile('csv'))
  grantPreview(
    @CurrentViewer() v: Viewer,
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @UploadedFile() csv: UploadedForm | undefined,
    @Res() res: Response,
  ) {
    return this.preview(v, p, 'grant', id, bulkForm(body), csv, res);
  }

  @Post('revoke/preview')
  @HttpCode(200)
  @UseInterceptors(OneFile('csv'))
  revokePreview(
    @CurrentViewer() v: Viewer,
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @UploadedFile() csv: UploadedForm | undefined,
    @Res() res: Response,
  ) {
    return this.preview(v, p, 'revoke', id, bulkForm(body), csv, res);
  }

  @Post('grant/confirm')
  @HttpCode(303)
  grantConfirm(
    @CurrentViewer() v: Viewer,
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    return this.confirm(v, p, 'grant', id, body, res);
  }

  @Post('revoke/confirm')
  @HttpCode(303)
  revokeConfirm(
    @CurrentViewer() v: Viewer,
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    return this.confirm(v, p, 'revoke', id, body, res);
  }

  private async form(viewer: Viewer, mode: Mode, id: string, done: unknown, res: Response) {
    const badge = await this.badges.get(id);
    const count = typeof done === 'string' && /^\d{1,5}$/.test(done) ? Number(done) : null;
    await renderPage(res, 'admin/bulk', {
      ...this.layout(viewer, mode, badge),
      form: bulkForm(undefined),
      errors: {},
      done: count,
    });
  }

  private async preview(
    viewer: Viewer,
    p: Principal,
    mode: Mode,
    id: string,
    form: BulkForm,
    csv: UploadedForm | undefined,
    res: Response,
  ) {
    const badge = await this.badges.get(id);
    try {
      await formDto(BulkExtrasDto, extras(form));
      const plan = await this.granting.plan(p, mode, badge.id, namesOf(form, csv));
      await renderPage(res, 'admin/bulk-preview', this.previewModel(viewer, plan, form, false));
    } catch (err) {
      const failure = formFailure(err);
      if (!failure) throw err;
      res.status(failure.status);
      await renderPage(res, 'admin/bulk', {
        ...this.layout(viewer, mode, badge),
        form,
        errors: failure.errors,
        invalid: true,
      });
    }
  }

  private async confirm(
    viewer: Viewer,
    p: Principal,
    mode: Mode,
    id: string,
    body: Record<string, unknown>,
    res: Response,
  ) {
    const form = bulkForm(body);
    const dto = await formDto(BulkExtrasDto, extras(form));
    const confirmed = namesFromList(typeof body.confirmed === 'string' ? body.confirmed : '');
    const result = await this.granting.confirm(p, mode, id, namesFromList(form.names), confirmed, {
      issuedFor: dto.issued_for ?? null,
      reason: dto.reason ?? '',
    });
    if (result.status === 'done') {
      const path = `/admin/badges/${encodeURIComponent(result.plan.badge.id)}/${mode}`;
      return res.redirect(303, `${path}?done=${result.plan.change.length}`);
    }
    // Nothing was written: show what the list would do now and ask again.
    res.status(409);
    await renderPage(res, 'admin/bulk-preview', this.previewModel(viewer, result.plan, form, true));
  }

  private layout(viewer: Viewer, mode: Mode, badge: { id: string; name: string }) {
    const path = `/admin/badges/${encodeURIComponent(badge.id)}/${mode}`;
    const verb = mode === 'grant' ? 'Grant' : 'Revoke';
    return {
      ...this.site.layout({ title: `${verb} ${badge.name}`, active: 'none', viewer, path }),
      mode,
      granting: mode === 'grant',
      verb,
      path,
      badge: {
        id: badge.id,
        name: badge.name,
        editUrl: `/admin/badges/${encodeURIComponent(badge.id)}`,
      },
    };
  }

  private previewModel(viewer: Viewer, plan: GrantPlan, form: BulkForm, changed: boolean) {
    return {
      ...this.layout(viewer, plan.mode, plan.badge),
      plan,
      changed,
      form,
      // The list as understood, and the people to change, go back with the confirmation.
      names: [...plan.change, ...plan.unchanged, ...plan.unknown].join(' '),
      confirmed: plan.change.join(' '),
    };
  }
}

function extras(form: BulkForm) {
  return {
    issued_for: form.issued_for || undefined,
    reason: form.reason || undefined,
  };
}
