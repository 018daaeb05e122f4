import { Controller, Get, Param, Query, Redirect, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Viewer } from '../../../common/viewer';
import { sendFeed } from '../feeds';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { pageParam, textParam } from '../params';
import { CurrentViewer } from '../viewer.decorator';
import { BadgePresenter } from './badge.presenter';

/** Tahrir's badge URLs: /badge/<id>, /badge/<id>/json, /badge/<id>/rss (and Atom). */
@ApiExcludeController()
@Controller('badge')
export class BadgePageController {
  constructor(private readonly badge: BadgePresenter) {}

  @Get(':id')
  @Render('badges/badge')
  page(
    @Param('id') id: string,
    @Query('page') page: unknown,
    @Query('granted') granted: unknown,
    @Query('claimed') claimed: unknown,
    @CurrentViewer() viewer: Viewer | null,
    @CurrentPrincipal() principal: Principal | null,
  ) {
    // The notices only show to a viewer (anonymous pages are cached per URL).
    const notice = viewer
      ? { granted: textParam(granted) || undefined, claimed: claimed === '1' }
      : {};
    return this.badge.present(id, pageParam(page), viewer, principal, notice);
  }

  @Get(':id/json')
  json(@Param('id') id: string) {
    return this.badge.json(id);
  }

  @Get(':id/rss')
  async rss(@Param('id') id: string, @Res() res: Response) {
    sendFeed(res, 'rss', await this.badge.feed(id, 'rss'));
  }

  @Get(':id/atom')
  async atom(@Param('id') id: string, @Res() res: Response) {
    sendFeed(res, 'atom', await this.badge.feed(id, 'atom'));
  }

  /** Tahrir's "full" view of a badge is the badge page here. */
  @Get(':id/full')
  @Redirect()
  full(@Param('id') id: string) {
    return { url: `/badge/${encodeURIComponent(id)}`, statusCode: 301 };
  }
}
