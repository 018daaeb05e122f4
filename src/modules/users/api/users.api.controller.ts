import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Links } from '../../../common/links';
import { AdminOnly } from '../../auth/auth.decorators';
import { RankingService } from '../ranking.service';
import { UsersService } from '../users.service';
import { CreateUserDto, LeaderboardQueryDto } from './dto/user.dto';
import { presentLeaderboard, presentPerson, presentProfile } from './users.presenter';

@ApiTags('users')
@Controller('api/v1')
export class UsersApiController {
  constructor(
    private readonly users: UsersService,
    private readonly ranking: RankingService,
    private readonly links: Links,
  ) {}

  @Get('users/:nickname')
  @ApiOperation({ summary: 'A person with rank, badge count and percentile' })
  @ApiNotFoundResponse({ description: 'USER.NOT_FOUND (also for people who opted out)' })
  async get(@Param('nickname') nickname: string) {
    return presentProfile(await this.users.profile(nickname), this.links);
  }

  @Post('users')
  @AdminOnly()
  @ApiOperation({ summary: 'Create a person (logins and rules create them on first sight)' })
  async create(@Body() dto: CreateUserDto) {
    return presentPerson(await this.users.create(dto), this.links);
  }

  @Get('leaderboard')
  @ApiOperation({
    summary: 'Top collectors of all time, or of the current year, month, week or day',
  })
  async leaderboard(@Query() q: LeaderboardQueryDto) {
    const board = await this.ranking.leaderboard({
      period: q.period ?? 'all',
      limit: q.limit ?? 25,
      offset: q.offset ?? 0,
    });
    return presentLeaderboard(board);
  }
}
