import { Controller, Get, Param, Query, Redirect, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Viewer } from '../../../common/viewer';
import { pageParam, textParam } from '../params';
import { CurrentViewer } from '../viewer.decorator';
import { isPeriod, LeaderboardPresenter } from './leaderboard.presenter';
import { reportPath, reportPeriod } from './report-period';
import { periodStart } from '../../users/ranking';

/**
 * /leaderboard (all time or ?period=year|month|week|day), Tahrir's /leaderboard/json and
 * /leaderboard/<nick>/json, and the dated reports under /report (rising stars).
 * Route order matters: literal segments before parameters of the same length.
 */
@ApiExcludeController()
@Controller()
export class LeaderboardPageController {
  constructor(private readonly boards: LeaderboardPresenter) {}

  @Get('leaderboard')
  @Render('leaderboard/index')
  board(
    @Query('period') period: unknown,
    @Query('page') page: unknown,
    @CurrentViewer() viewer: Viewer | null,
  ) {
    return this.boards.current(isPeriod(period) ? period : 'all', pageParam(page), viewer);
  }

  @Get('leaderboard/json')
  json(@Query('limit') limit: unknown) {
    const n = Number(textParam(limit));
    return this.boards.json(Number.isInteger(n) && n >= 1 && n <= 200 ? n : 25);
  }

  @Get('leaderboard/:id/json')
  around(@Param('id') id: string) {
    return this.boards.jsonAround(id);
  }

  @Get('report')
  @Render('leaderboard/index')
  thisWeek(@Query('page') page: unknown, @CurrentViewer() viewer: Viewer | null) {
    return this.boards.current('week', pageParam(page), viewer);
  }

  @Get('report/this/month')
  @Redirect()
  thisMonth() {
    return {
      url: reportPath({ period: 'month', start: periodStart('month', new Date()) }),
      statusCode: 302,
    };
  }

  @Get('report/:year')
  @Render('leaderboard/index')
  year(
    @Param('year') year: string,
    @Query('page') page: unknown,
    @CurrentViewer() viewer: Viewer | null,
  ) {
    return this.boards.report(reportPeriod({ year }), pageParam(page), viewer);
  }

  @Get('report/:year/week/:week')
  @Render('leaderboard/index')
  week(
    @Param('year') year: string,
    @Param('week') week: string,
    @Query('page') page: unknown,
    @CurrentViewer() viewer: Viewer | null,
  ) {
    return this.boards.report(reportPeriod({ year, week }), pageParam(page), viewer);
  }

  @Get('report/:year/:month')
  @Render('leaderboard/index')
  month(
    @Param('year') year: string,
    @Param('month') month: string,
    @Query('page') page: unknown,
    @CurrentViewer() viewer: Viewer | null,
  ) {
    return this.boards.report(reportPeriod({ year, month }), pageParam(page), viewer);
  }

  @Get('report/:year/:month/:day')
  @Render('leaderboard/index')
  day(
    @Param('year') year: string,
    @Param('month') month: string,
    @Param('day') day: string,
    @Query('page') page: unknown,
    @CurrentViewer() viewer: Viewer | null,
  ) {
    return this.boards.report(reportPeriod({ year, month, day }), pageParam(page), viewer);
  }
}
