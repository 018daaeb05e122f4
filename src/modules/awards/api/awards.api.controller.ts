import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto } from '../../../common/api/page-query.dto';
import { presentPage } from '../../../common/api/page.presenter';
import { Links } from '../../../common/links';
import { AdminOnly, Authenticated, CurrentPrincipal } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { AuthorizationsService } from '../authorizations.service';
import { AwardsService } from '../awards.service';
import { GrantingService } from '../granting.service';
import { ProgressService } from '../progress.service';
import { presentAward, presentHeld, presentHolder, presentProgress } from './awards.presenter';
import {
  AuthorizationDto,
  CreateAssertionDto,
  HoldersQueryDto,
  RevokeDto,
} from './dto/assertion.dto';

@ApiTags('awards')
@Controller('api/v1')
export class AwardsApiController {
  constructor(
    private readonly awards: AwardsService,
    private readonly progress: ProgressService,
    private readonly authorizations: AuthorizationsService,
    private readonly granting: GrantingService,
    private readonly links: Links,
  ) {}

  @Post('assertions')
  @Authenticated()
  @ApiOperation({
    summary: 'Award a badge to a person (admins; granters of the badge with the grant scope)',
  })
  @ApiForbiddenResponse({ description: 'GRANT.FORBIDDEN: not a granter of this badge' })
  @ApiNotFoundResponse({ description: 'BADGE.NOT_FOUND or USER.NOT_FOUND' })
  @ApiConflictResponse({ description: 'ASSERTION.ALREADY_EXISTS' })
  async award(@CurrentPrincipal() p: Principal, @Body() dto: CreateAssertionDto) {
    const result = await this.granting.grant(p, {
      badgeId: dto.badge_id,
      nickname: dto.nickname,
      issuedFor: dto.issued_for,
    });
    return presentAward(result);
  }

  @Delete('badges/:id/holders/:nickname')
  @Authenticated()
  @ApiOperation({
    summary: 'Revoke a badge from a person (admins; granters of the badge with the grant scope)',
  })
  @ApiForbiddenResponse({ description: 'GRANT.FORBIDDEN: not a granter of this badge' })
  @ApiNotFoundResponse({ description: 'BADGE.NOT_FOUND, USER.NOT_FOUND or ASSERTION.NOT_FOUND' })
  async revoke(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('nickname') nickname: string,
    @Body() dto: RevokeDto,
  ) {
    const r = await this.granting.revoke(p, id, nickname, dto?.reason ?? '');
    return { id: r.id, badge_id: r.badgeId, nickname, revoked: true, reason: r.reason };
  }

  @Get('badges/:id/holders')
  @ApiOperation({ summary: 'Who holds a badge (people who opted out are hidden)' })
  async holders(@Param('id') id: string, @Query() q: HoldersQueryDto) {
    const page = await this.awards.holders(id, {
      page: q.page,
      perPage: q.per_page,
      order: q.order,
    });
    return presentPage(page, presentHolder);
  }

  @Get('users/:nickname/assertions')
  @ApiOperation({ summary: "A person's badges, newest first" })
  async held(@Param('nickname') nickname: string, @Query() q: PageQueryDto) {
    const page = await this.awards.heldBy(nickname, { page: q.page, perPage: q.per_page });
    return presentPage(page, (h) => presentHeld(h, this.links));
  }

  @Get('users/:nickname/progress')
  @ApiOperation({ summary: "A person's progress towards badges not yet held" })
  async progressOf(@Param('nickname') nickname: string) {
    return (await this.progress.of(nickname)).map((p) => presentProgress(p, this.links));
  }

  @Get('badges/:id/authorizations')
  @ApiOperation({ summary: 'Who may grant this badge' })
  async granters(@Param('id') id: string) {
    return (await this.authorizations.list(id)).map((g) => ({ nickname: g.nickname }));
  }

  @Post('badges/:id/authorizations')
  @AdminOnly()
  @ApiOperation({ summary: 'Let a person grant this badge (admins)' })
  @ApiConflictResponse({ description: 'AUTHORIZATION.ALREADY_EXISTS' })
  async authorize(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() dto: AuthorizationDto,
  ) {
    const g = await this.authorizations.add(id, dto.nickname, p);
    return { badge_id: id, nickname: g.nickname };
  }

  @Delete('badges/:id/authorizations/:nickname')
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop a person granting this badge (admins)' })
  async deauthorize(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('nickname') nickname: string,
  ): Promise<void> {
    await this.authorizations.remove(id, nickname, p);
  }
}
