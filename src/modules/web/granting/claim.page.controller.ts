import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Viewer } from '../../../common/viewer';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { loginUrlFor, SignedIn } from '../../auth/page-access';
import type { Principal } from '../../auth/principal';
import { AwardsService } from '../../awards/awards.service';
import { InvitationsService } from '../../awards/invitations.service';
import { BadgesService } from '../../badges/badges.service';
import { renderPage } from '../render';
import { Site } from '../site';
import { CurrentViewer } from '../viewer.decorator';

/**
 * Claiming an invitation: `/claim/<code>` (rate limited per address in auth/http.ts). An
 * unknown code is a 404 page, an expired or withdrawn one a 410 page, even before login;
 * a valid one asks for login, then offers a button (a POST: claiming changes things).
 */
@ApiExcludeController()
@Controller('claim')
export class ClaimPageController {
  constructor(
    private readonly site: Site,
    private readonly invitations: InvitationsService,
    private readonly badges: BadgesService,
    private readonly awards: AwardsService,
  ) {}

  @Get(':code')
  async page(
    @CurrentViewer() viewer: Viewer | null,
    @Param('code') code: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const invitation = await this.invitations.open(code);
    if (!viewer) return res.redirect(302, loginUrlFor(req));
    const [badge, held] = await Promise.all([
      this.badges.get(invitation.badgeId),
      this.awards.holds(invitation.badgeId, viewer.personId),
    ]);
    res.setHeader('Cache-Control', 'no-store');
    await renderPage(res, 'claim/claim', {
      ...this.site.layout({
        title: `Claim ${badge.name}`,
        active: 'none',
        viewer,
        path: `/claim/${encodeURIComponent(code)}`,
      }),
      badge: { ...this.site.tile(badge), description: badge.description },
      action: `/claim/${encodeURIComponent(code)}`,
      expiresOn: invitation.expiresOn,
      held: held ? { issuedOn: held.issuedOn } : null,
    });
  }

  @Post(':code')
  @SignedIn()
  @HttpCode(200)
  async claim(
    @CurrentViewer() viewer: Viewer,
    @CurrentPrincipal() p: Principal,
    @Param('code') code: string,
    @Res() res: Response,
  ) {
    const result = await this.invitations.claim(p, code);
    const url = this.site.badgeUrl(result.badge.id);
    if (result.status === 'claimed') return res.redirect(303, `${url}?claimed=1`);
    await renderPage(res, 'claim/claim', {
      ...this.site.layout({
        title: `Claim ${result.badge.name}`,
        active: 'none',
        viewer,
        path: `/claim/${encodeURIComponent(code)}`,
      }),
      badge: { ...this.site.tile(result.badge), description: result.badge.description },
      held: { issuedOn: result.assertion.issuedOn },
    });
  }
}
