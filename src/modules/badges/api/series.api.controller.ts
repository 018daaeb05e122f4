import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Links } from '../../../common/links';
import { AdminOnly, CurrentPrincipal } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { SeriesService } from '../series.service';
import { presentSeries, presentSeriesDetail } from './badges.presenter';
import { CreateSeriesDto, CreateTeamDto, MilestoneDto, UpdateSeriesDto } from './dto/series.dto';

@ApiTags('series')
@Controller('api/v1')
export class SeriesApiController {
  constructor(
    private readonly series: SeriesService,
    private readonly links: Links,
  ) {}

  @Get('series')
  @ApiOperation({ summary: 'List the badge ladders' })
  async list() {
    return (await this.series.list()).map((s) => presentSeries(s, this.links));
  }

  @Get('series/:id')
  @ApiOperation({ summary: 'A ladder with its badges in order' })
  async get(@Param('id') id: string) {
    return presentSeriesDetail(await this.series.detail(id), this.links);
  }

  @Post('series')
  @AdminOnly()
  async create(@CurrentPrincipal() p: Principal, @Body() dto: CreateSeriesDto) {
    const { team_id, ...rest } = dto;
    const series = await this.series.create({ ...rest, teamId: team_id }, undefined, p);
    return presentSeries(series, this.links);
  }

  @Patch('series/:id')
  @AdminOnly()
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() dto: UpdateSeriesDto,
  ) {
    const { team_id, ...rest } = dto;
    return presentSeries(await this.series.update(id, { ...rest, teamId: team_id }, p), this.links);
  }

  @Delete('series/:id')
  @AdminOnly()
  @HttpCode(204)
  async remove(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    await this.series.remove(id, p);
  }

  @Put('series/:id/milestones/:badgeId')
  @AdminOnly()
  @ApiOperation({ summary: 'Put a badge in the ladder at a position (or move it)' })
  async setMilestone(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('badgeId') badgeId: string,
    @Body() dto: MilestoneDto,
  ) {
    const m = await this.series.setMilestone(id, badgeId, dto.position ?? null, true, undefined, p);
    return { series_id: m.seriesId, badge_id: m.badgeId, position: m.position };
  }

  @Delete('series/:id/milestones/:badgeId')
  @AdminOnly()
  @HttpCode(204)
  async removeMilestone(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Param('badgeId') badgeId: string,
  ): Promise<void> {
    await this.series.removeMilestone(id, badgeId, p);
  }

  @Get('teams')
  async teams() {
    return (await this.series.listTeams()).map((t) => ({ id: t.id, name: t.name }));
  }

  @Post('teams')
  @AdminOnly()
  async createTeam(@Body() dto: CreateTeamDto) {
    const t = await this.series.createTeam(dto.name, dto.id);
    return { id: t.id, name: t.name };
  }
}
