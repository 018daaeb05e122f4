import { Controller, Get, Param, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Viewer } from '../../../common/viewer';
import { sendFeed } from '../feeds';
import { pageParam, textParam } from '../params';
import { CurrentViewer } from '../viewer.decorator';
import { ExplorePresenter } from './explore.presenter';

/** Tahrir's /explore, /explore/badges (+ /rss) and /tags/<tags>/<any|all>. */
@ApiExcludeController()
@Controller()
export class ExplorePageController {
  constructor(private readonly explore: ExplorePresenter) {}

  @Get('explore')
  @Render('explore/index')
  index(@Query('q') q: unknown, @CurrentViewer() viewer: Viewer | null) {
    return this.explore.present(textParam(q), viewer);
  }

  @Get('explore/badges')
  @Render('explore/badges')
  badges(@CurrentViewer() viewer: Viewer | null) {
    return this.explore.byTag(viewer);
  }

  @Get('explore/badges/rss')
  async rss(@Res() res: Response) {
    sendFeed(res, 'rss', await this.explore.newBadgesFeed('rss'));
  }

  @Get('explore/badges/atom')
  async atom(@Res() res: Response) {
    sendFeed(res, 'atom', await this.explore.newBadgesFeed('atom'));
  }

  /** The tag form of the explore page: ?tags=a,b&match=all. */
  @Get('tags')
  tagForm(@Query('tags') tags: unknown, @Query('match') match: unknown, @Res() res: Response) {
    const t = textParam(tags);
    if (!t) return res.redirect(303, '/explore');
    res.redirect(303, `/tags/${encodeURIComponent(t)}/${match === 'all' ? 'all' : 'any'}`);
  }

  @Get('tags/:tags')
  @Render('explore/tags')
  anyTag(
    @Param('tags') tags: string,
    @Query('page') page: unknown,
    @CurrentViewer() viewer: Viewer | null,
  ) {
    return this.explore.tagPage(tags, 'any', pageParam(page), viewer);
  }

  @Get('tags/:tags/:match')
  @Render('explore/tags')
  tagPage(
    @Param('tags') tags: string,
    @Param('match') match: string,
    @Query('page') page: unknown,
    @CurrentViewer() viewer: Viewer | null,
  ) {
    return this.explore.tagPage(tags, match === 'all' ? 'all' : 'any', pageParam(page), viewer);
  }
}
