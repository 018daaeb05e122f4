import { Body, Controller, Delete, Get, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { presentPage } from '../../../common/api/page.presenter';
import { Links } from '../../../common/links';
import { Authenticated, CurrentPrincipal } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { InvitationsService } from '../invitations.service';
import { qrPng } from '../qr';
import { CreateInvitationDto, InvitationsQueryDto } from './dto/invitation.dto';
import { presentInvitation } from './invitations.presenter';

const SHAPE =
  '{ code, badge_id, badge_name, claim_url, qr_url, expires_on, state (active | expired | ' +
  'revoked), created_by, created_on, revoked_on }';

/**
 * Invitations (claim links and QR codes) for granters and admins. The `accolades
 * invitations create|list|revoke` commands call exactly these endpoints: keep their shapes.
 */
@ApiTags('invitations')
@Controller('api/v1')
export class InvitationsApiController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly links: Links,
  ) {}

  @Post('badges/:id/invitations')
  @Authenticated()
  @ApiOperation({
    summary: 'Create an invitation to claim this badge (admins; its granters, grant scope)',
  })
  @ApiCreatedResponse({ description: SHAPE })
  @ApiForbiddenResponse({
    description: 'GRANT.FORBIDDEN, or INVITATION.NO_PERSON for the bootstrap token',
  })
  @ApiNotFoundResponse({ description: 'BADGE.NOT_FOUND' })
  async create(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() dto: CreateInvitationDto,
  ) {
    return presentInvitation(await this.invitations.create(p, id, dto.expires_on), this.links);
  }

  @Get('invitations')
  @Authenticated()
  @ApiOperation({ summary: "The caller's invitations, newest first (admins: everyone's)" })
  @ApiOkResponse({ description: `{ items: [${SHAPE}], total, page, per_page, pages }` })
  async list(@CurrentPrincipal() p: Principal, @Query() q: InvitationsQueryDto) {
    const page = await this.invitations.list(p, {
      badgeId: q.badge,
      page: q.page,
      perPage: q.per_page,
    });
    return presentPage(page, (i) => presentInvitation(i, this.links));
  }

  @Get('invitations/:code')
  @Authenticated()
  @ApiOperation({ summary: 'One invitation (its creator or an admin)' })
  @ApiOkResponse({ description: SHAPE })
  @ApiNotFoundResponse({ description: 'INVITATION.NOT_FOUND' })
  async get(@CurrentPrincipal() p: Principal, @Param('code') code: string) {
    return presentInvitation(await this.invitations.getFor(p, code), this.links);
  }

  @Delete('invitations/:code')
  @Authenticated()
  @ApiOperation({ summary: 'Withdraw an invitation (its creator or an admin); idempotent' })
  @ApiOkResponse({ description: `${SHAPE}, state "revoked"` })
  @ApiNotFoundResponse({ description: 'INVITATION.NOT_FOUND' })
  async revoke(@CurrentPrincipal() p: Principal, @Param('code') code: string) {
    return presentInvitation(await this.invitations.revoke(p, code), this.links);
  }

  @Get('invitations/:code/qr.png')
  @Authenticated()
  @ApiOperation({ summary: "The QR code of the invitation's claim URL (its creator or an admin)" })
  @ApiProduces('image/png')
  @ApiOkResponse({
    description: 'A PNG image of the QR code',
    content: { 'image/png': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiNotFoundResponse({ description: 'INVITATION.NOT_FOUND' })
  async qr(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Res() res: Response) {
    const invitation = await this.invitations.getFor(p, code);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.type('png').send(await qrPng(invitation.claimUrl));
  }
}
