import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { presentPage } from '../../../common/api/page.presenter';
import { Links } from '../../../common/links';
import { AdminOnly, CurrentPrincipal } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { BadgesService } from '../badges.service';
import { presentBadge, presentBadgeDetail } from './badges.presenter';
import { BadgeQueryDto, CreateBadgeDto, UpdateBadgeDto } from './dto/badge.dto';

@ApiTags('badges')
@Controller('api/v1')
export class BadgesApiController {
  constructor(
    private readonly badges: BadgesService,
    private readonly links: Links,
  ) {}

  @Get('badges')
  @ApiOperation({ summary: 'Search and list badges' })
  async list(@Query() q: BadgeQueryDto) {
    const page = await this.badges.list({
      q: q.q,
      tags: q.tag,
      tagMode: q.match,
      sort: q.sort,
      page: q.page,
      perPage: q.per_page,
    });
    return presentPage(page, (b) => presentBadge(b, this.links));
  }

  @Get('badges/:id')
  @ApiOperation({ summary: 'A badge with how often and when it was awarded' })
  @ApiNotFoundResponse({ description: 'BADGE.NOT_FOUND' })
  async get(@Param('id') id: string) {
    return presentBadgeDetail(await this.badges.detail(id), this.links);
  }

  @Get('tags')
  @ApiOperation({ summary: 'Every tag with its number of badges' })
  tags() {
    return this.badges.tags();
  }

  @Post('badges')
  @AdminOnly()
  @ApiOperation({ summary: 'Create a badge' })
  async create(@CurrentPrincipal() p: Principal, @Body() dto: CreateBadgeDto) {
    const { issuer_id, art, ...rest } = dto;
    const badge = await this.badges.create(
      { ...rest, issuerId: issuer_id, art: artBytes(art) },
      undefined,
      p,
    );
    return presentBadge(badge, this.links);
  }

  @Patch('badges/:id')
  @AdminOnly()
  @ApiOperation({ summary: 'Change a badge (its id stays)' })
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() dto: UpdateBadgeDto,
  ) {
    const { issuer_id, art, ...rest } = dto;
    const badge = await this.badges.update(
      id,
      { ...rest, issuerId: issuer_id, art: artBytes(art) },
      undefined,
      p,
    );
    return presentBadge(badge, this.links);
  }

  @Delete('badges/:id')
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a badge and its awards' })
  async remove(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    await this.badges.remove(id, p);
  }
}

const artBytes = (base64?: string) =>
  base64 === undefined ? undefined : Buffer.from(base64, 'base64');
