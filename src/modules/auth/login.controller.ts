import { Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { viewerOf } from '../../common/viewer';
import { AccountsService } from './accounts.service';
import { SESSION_COOKIE } from './csrf';
import { OidcLoginService } from './oidc/oidc-login.service';
import { safeNext } from './page-access';

/** Login with a Fedora account (OpenID Connect) and logout. */
@ApiExcludeController()
@Controller()
export class LoginController {
  constructor(
    private readonly oidc: OidcLoginService,
    private readonly accounts: AccountsService,
  ) {}

  @Get('login')
  async login(@Query('next') next: unknown, @Req() req: Request, @Res() res: Response) {
    const target = safeNext(next);
    if (viewerOf(req)) return res.redirect(302, target);
    await this.oidc.start(req, res, target);
  }

  @Get('login/callback')
  async callback(@Req() req: Request, @Res() res: Response) {
    let result;
    try {
      result = await this.oidc.callback(req, res);
    } catch (err) {
      // A failed login leaves no session behind (nor a half-started one).
      if (!viewerOf(req)) await destroy(req, res);
      throw err;
    }
    const { viewer } = await this.accounts.login(result.identity);
    // A new session id at login, so one planted before it (session fixation) is worthless.
    await regenerate(req);
    req.session.viewer = viewer;
    await save(req);
    res.redirect(302, safeNext(result.next));
  }

  @Post('logout')
  @HttpCode(303)
  async logout(@Req() req: Request, @Res() res: Response) {
    await destroy(req, res);
    res.redirect(303, '/');
  }
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((err) => (err ? reject(err) : resolve())),
  );
}

function save(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.save((err) => (err ? reject(err) : resolve())),
  );
}

async function destroy(req: Request, res: Response): Promise<void> {
  if (req.session) {
    await new Promise<void>((resolve, reject) =>
      req.session.destroy((err) => (err ? reject(err) : resolve())),
    );
  }
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}
