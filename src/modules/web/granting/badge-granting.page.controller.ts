import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { invalid } from '../../../common/errors/domain-error';
import type { Viewer } from '../../../common/viewer';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { SignedIn } from '../../auth/page-access';
import type { Principal } from '../../auth/principal';
import { notGranter } from '../../awards/awards.errors';
import { GrantingService } from '../../awards/granting.service';
import { InvitationsService } from '../../awards/invitations.service';
import { BadgesService } from '../../badges/badges.service';
import { textField } from '../account/form-values';
import { BadgePresenter } from '../badges/badge.presenter';
import { renderPage } from '../render';
import { Site } from '../site';
import { CurrentViewer } from '../viewer.decorator';
import { formFailure } from '../admin/form-dto';

const GRANT_FIELD_OF = {
  'USER.NOT_FOUND': 'nickname',
  'ASSERTION.ALREADY_EXISTS': 'nickname',
};

/**
 * What granters (and admins) do from a badge's page: grant it to someone, and hand out
 * invitations (claim links with a QR code) that expire.
 */
@ApiExcludeController()
@Controller('badge/:id')
@SignedIn()
export class BadgeGrantingPageController {
  constructor(
    private readonly site: Site,
    private readonly badges: BadgesService,
    private readonly badgePage: BadgePresenter,
    private readonly granting: GrantingService,
    private readonly invitations: InvitationsService,
  ) {}

  @Post('grant')
  @HttpCode(303)
  async grant(
    @CurrentViewer() viewer: Viewer,
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const form = {
      nickname: textField(body.nickname, 300).trim(),
      issued_for: textField(body.issued_for, 2100).trim(),
    };
    try {
      if (form.issued_for && !/^https?:\/\/\S+$/i.test(form.issued_for)) {
        const message = 'Give an http:// or https:// address.';
        throw invalid('FORM.INVALID', message, [{ field: 'issued_for', errors: [message] }]);
      }
      const r = await this.granting.grant(p, {
        badgeId: id,
        nickname: form.nickname,
        issuedFor: form.issued_for || null,
      });
      const q = `granted=${encodeURIComponent(r.person.nickname ?? form.nickname)}`;
      res.redirect(303, `${this.site.badgeUrl(r.badge.id)}?${q}`);
    } catch (err) {
      const failure = formFailure(err, GRANT_FIELD_OF);
      if (!failure) throw err;
      res.status(failure.status);
      const model = await this.badgePage.present(id, 1, viewer, p);
      await renderPage(res, 'badges/badge', {
        ...model,
        grant: { ...model.grant, form, errors: failure.errors },
      });
    }
  }

  @Get('invitations')
  async list(
    @CurrentViewer() viewer: Viewer,
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Query('created') created: unknown,
    @Res() res: Response,
  ) {
    const model = await this.model(viewer, p, id, { expires_on: '' }, {});
    await renderPage(res, 'invitations/index', {
      ...model,
      created: typeof created === 'string' ? created : null,
    });
  }

  @Post('invitations')
  @HttpCode(303)
  async create(
    @CurrentViewer() viewer: Viewer,
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const form = { expires_on: textField(body.expires_on, 40).trim() };
    try {
      const inv = await this.invitations.create(p, id, form.expires_on);
      res.redirect(303, `${this.site.badgeUrl(inv.badgeId)}/invitations?created=${inv.code}`);
    } catch (err) {
      const failure = formFailure(err);
      if (!failure) throw err;
      res.status(failure.status);
      await renderPage(
        res,
        'invitations/index',
        await this.model(viewer, p, id, form, failure.errors),
      );
    }
  }

  @Post('invitations/:code/revoke')
  @HttpCode(303)
  async revoke(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('code') code: string,
    @Res() res: Response,
  ) {
    await this.invitations.revoke(p, code);
    res.redirect(303, `${this.site.badgeUrl(id)}/invitations`);
  }

  private async model(
    viewer: Viewer,
    p: Principal,
    id: string,
    form: { expires_on: string },
    errors: Record<string, string>,
  ) {
    const badge = await this.badges.get(id);
    if (!(await this.granting.mayGrant(p, badge.id))) throw notGranter(badge.id);
    const list = await this.invitations.list(p, { badgeId: badge.id, perPage: 100 });
    const path = `${this.site.badgeUrl(badge.id)}/invitations`;
    return {
      ...this.site.layout({
        title: `Invitations: ${badge.name}`,
        active: 'explore',
        viewer,
        path,
      }),
      badge: this.site.tile(badge),
      path,
      form,
      errors,
      invalid: Object.keys(errors).length > 0,
      invitations: list.items.map((i) => ({
        ...i,
        active: i.state === 'active',
        qrUrl: `/api/v1/invitations/${encodeURIComponent(i.code)}/qr.png`,
        revokeUrl: `${path}/${encodeURIComponent(i.code)}/revoke`,
      })),
    };
  }
}
