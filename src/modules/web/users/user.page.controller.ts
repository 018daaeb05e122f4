import { Controller, Get, Param, Query, Render, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Viewer } from '../../../common/viewer';
import { sendFeed } from '../feeds';
import { textParam } from '../params';
import { renderPage } from '../render';
import { CurrentViewer } from '../viewer.decorator';
import { UserPresenter } from './user.presenter';

/** Tahrir's person URLs: /user/<nick>, its /json, /rss (and Atom), and /diff/<a>/<b>. */
@ApiExcludeController()
@Controller()
export class UserPageController {
  constructor(private readonly users: UserPresenter) {}

  @Get('user/:id')
  async profile(
    @Param('id') id: string,
    @CurrentViewer() viewer: Viewer | null,
    @Res() res: Response,
  ): Promise<void> {
    const person = await this.users.find(id);
    // Tahrir also answered /user/<numeric id>: send those to the nickname URL.
    if (person.nickname !== id) {
      return res.redirect(301, `/user/${encodeURIComponent(person.nickname ?? '')}`);
    }
    await renderPage(res, 'users/profile', await this.users.present(id, viewer));
  }

  @Get('user/:id/json')
  json(@Param('id') id: string, @Query('size') size: unknown) {
    const n = Number(textParam(size));
    return this.users.json(id, Number.isInteger(n) && n >= 16 && n <= 512 ? n : 100);
  }

  @Get('user/:id/rss')
  async rss(@Param('id') id: string, @Res() res: Response) {
    sendFeed(res, 'rss', await this.users.feed(id, 'rss'));
  }

  @Get('user/:id/atom')
  async atom(@Param('id') id: string, @Res() res: Response) {
    sendFeed(res, 'atom', await this.users.feed(id, 'atom'));
  }

  @Get('diff/:a/:b')
  @Render('users/diff')
  diff(@Param('a') a: string, @Param('b') b: string, @CurrentViewer() viewer: Viewer | null) {
    return this.users.compare(a, b, viewer);
  }

  /** The "compare with" form on a profile. */
  @Get('compare')
  compare(@Query('a') a: unknown, @Query('b') b: unknown, @Res() res: Response) {
    const first = textParam(a, 255);
    const second = textParam(b, 255);
    if (!first) return res.redirect(303, '/explore');
    if (!second) return res.redirect(303, `/user/${encodeURIComponent(first)}`);
    res.redirect(303, `/diff/${encodeURIComponent(first)}/${encodeURIComponent(second)}`);
  }
}
