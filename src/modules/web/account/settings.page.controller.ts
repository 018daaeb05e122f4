import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { DomainError } from '../../../common/errors/domain-error';
import type { Viewer } from '../../../common/viewer';
import { ApiTokensService } from '../../auth/api-tokens.service';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { SignedIn } from '../../auth/page-access';
import type { Principal, Scope } from '../../auth/principal';
import { UsersService } from '../../users/users.service';
import { renderPage } from '../render';
import { Site } from '../site';
import { CurrentViewer } from '../viewer.decorator';
import { errorsByField, listField, textField } from './form-values';

interface ProfileForm {
  website: string;
  bio: string;
  optOut: boolean;
}

/** A person's own settings: profile (website, bio, opt-out) and personal API tokens. */
@ApiExcludeController()
@Controller('settings')
@SignedIn()
export class SettingsPageController {
  constructor(
    private readonly site: Site,
    private readonly users: UsersService,
    private readonly tokens: ApiTokensService,
  ) {}

  @Get()
  index(@Res() res: Response) {
    res.redirect(302, '/settings/profile');
  }

  @Get('profile')
  async profile(
    @CurrentViewer() viewer: Viewer,
    @Query('saved') saved: unknown,
    @Res() res: Response,
  ) {
    const person = await this.users.findById(viewer.personId);
    const form = {
      website: person?.website ?? '',
      bio: person?.bio ?? '',
      optOut: person?.optOut ?? false,
    };
    await renderPage(res, 'settings/profile', this.profileModel(viewer, form, {}, saved === '1'));
  }

  @Post('profile')
  @HttpCode(303)
  async saveProfile(
    @CurrentViewer() viewer: Viewer,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const form: ProfileForm = {
      website: textField(body.website),
      bio: textField(body.bio),
      optOut: body.optOut === 'on',
    };
    try {
      await this.users.updateProfile(viewer.personId, form);
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind !== 'invalid') throw err;
      res.status(400);
      return renderPage(
        res,
        'settings/profile',
        this.profileModel(viewer, form, errorsByField(err.fields), false),
      );
    }
    res.redirect(303, '/settings/profile?saved=1');
  }

  @Get('tokens')
  async tokensPage(@CurrentViewer() viewer: Viewer, @Res() res: Response) {
    await renderPage(res, 'settings/tokens', await this.tokensModel(viewer, {}));
  }

  @Post('tokens')
  async createToken(
    @CurrentViewer() viewer: Viewer,
    @CurrentPrincipal() principal: Principal,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const name = textField(body.name, 200);
    const scopes = listField(body.scopes) as Scope[];
    const expires = textField(body.expiresOn, 20);
    const form = { name, scopes, expiresOn: expires };
    try {
      if (expires && !/^\d{4}-\d{2}-\d{2}$/.test(expires)) {
        throw new DomainError('invalid', 'TOKEN.INVALID', 'The token was not created.', [
          { field: 'expiresOn', errors: ['Give a date (YYYY-MM-DD).'] },
        ]);
      }
      // A date means "usable through that day" (UTC).
      const expiresOn = expires ? new Date(`${expires}T23:59:59Z`) : null;
      const created = await this.tokens.create(principal, { name, scopes, expiresOn });
      // Shown once, on this answer only: no redirect, and never cached.
      res.setHeader('Cache-Control', 'no-store');
      res.status(201);
      await renderPage(
        res,
        'settings/tokens',
        await this.tokensModel(viewer, {}, { token: created.token, name: created.info.name }),
      );
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind !== 'invalid') throw err;
      res.status(400);
      await renderPage(
        res,
        'settings/tokens',
        await this.tokensModel(viewer, errorsByField(err.fields), null, form),
      );
    }
  }

  @Post('tokens/:id/revoke')
  @HttpCode(303)
  async revokeToken(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIntPipe) id: number,
    @Res() res: Response,
  ) {
    await this.tokens.revoke(principal, id);
    res.redirect(303, '/settings/tokens');
  }

  private profileModel(
    viewer: Viewer,
    form: ProfileForm,
    errors: Record<string, string>,
    saved: boolean,
  ) {
    return {
      ...this.site.layout({
        title: 'Your profile',
        active: 'none',
        viewer,
        path: '/settings/profile',
      }),
      form,
      errors,
      saved,
      profileUrl: this.site.userUrl(viewer.nickname),
    };
  }

  private async tokensModel(
    viewer: Viewer,
    errors: Record<string, string>,
    created: { token: string; name: string } | null = null,
    form: { name: string; scopes: string[]; expiresOn: string } = {
      name: '',
      scopes: ['read'],
      expiresOn: '',
    },
  ) {
    const tokens = await this.tokens.list(viewer.personId);
    const now = Date.now();
    return {
      ...this.site.layout({
        title: 'API tokens',
        active: 'none',
        viewer,
        path: '/settings/tokens',
      }),
      created,
      errors,
      form,
      scopes: SCOPE_CHOICES.filter((s) => s.value !== 'admin' || viewer.isAdmin).map((s) => ({
        ...s,
        checked: form.scopes.includes(s.value),
      })),
      tokens: tokens.map((t) => ({
        ...t,
        scopes: t.scopes.join(', '),
        state: t.revokedOn
          ? 'revoked'
          : t.expiresOn && t.expiresOn.getTime() <= now
            ? 'expired'
            : 'active',
        active: !t.revokedOn && !(t.expiresOn && t.expiresOn.getTime() <= now),
      })),
    };
  }
}

const SCOPE_CHOICES = [
  { value: 'read', label: 'read', help: 'see your account and tokens (/api/v1/me)' },
  { value: 'grant', label: 'grant', help: 'grant, revoke and invite for the badges you may grant' },
  { value: 'admin', label: 'admin', help: 'everything an admin may do' },
];
