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
import type { Viewer } from '../../../common/viewer';
import { CurrentPrincipal } from '../../auth/auth.decorators';
import { AdminPage } from '../../auth/page-access';
import type { Principal } from '../../auth/principal';
import { CreateIssuerDto } from '../../badges/api/dto/issuer.dto';
import { IssuersService } from '../../badges/issuers.service';
import { textField } from '../account/form-values';
import { renderPage } from '../render';
import { Site } from '../site';
import { CurrentViewer } from '../viewer.decorator';
import { formDto, formFailure } from './form-dto';

type IssuerForm = Record<'name' | 'origin' | 'org' | 'contact' | 'image', string>;

const DUPLICATE = { 'ISSUER.ALREADY_EXISTS': 'name' };

/** Admin pages: the issuers, a form to create one and one to edit each. */
@ApiExcludeController()
@Controller('admin')
@AdminPage()
export class IssuersAdminController {
  constructor(
    private readonly site: Site,
    private readonly issuers: IssuersService,
  ) {}

  @Get()
  async index(@CurrentViewer() viewer: Viewer, @Res() res: Response) {
    await renderPage(res, 'admin/index', {
      ...this.site.layout({ title: 'Admin', active: 'none', viewer, path: '/admin' }),
    });
  }

  @Get('issuers')
  async list(@CurrentViewer() viewer: Viewer, @Res() res: Response) {
    await renderPage(res, 'admin/issuers', {
      ...this.site.layout({ title: 'Issuers', active: 'none', viewer, path: '/admin/issuers' }),
      issuers: await this.issuers.list(),
    });
  }

  @Get('issuers/new')
  async newForm(@CurrentViewer() viewer: Viewer, @Res() res: Response) {
    await renderPage(res, 'admin/issuer-form', this.model(viewer, null, EMPTY, {}));
  }

  @Post('issuers')
  @HttpCode(303)
  async create(
    @CurrentViewer() viewer: Viewer,
    @CurrentPrincipal() p: Principal,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const form = issuerForm(body);
    try {
      const dto = await formDto(CreateIssuerDto, { ...form, image: form.image || undefined });
      const issuer = await this.issuers.create(dto, undefined, p);
      res.redirect(303, `/admin/issuers/${issuer.id}?saved=1`);
    } catch (err) {
      const failure = formFailure(err, DUPLICATE);
      if (!failure) throw err;
      res.status(failure.status);
      await renderPage(res, 'admin/issuer-form', this.model(viewer, null, form, failure.errors));
    }
  }

  @Get('issuers/:id')
  async editForm(
    @CurrentViewer() viewer: Viewer,
    @Param('id', ParseIntPipe) id: number,
    @Query('saved') saved: unknown,
    @Res() res: Response,
  ) {
    const i = await this.issuers.get(id);
    const form = {
      name: i.name,
      origin: i.origin,
      org: i.org,
      contact: i.contact,
      image: i.image ?? '',
    };
    const model = this.model(viewer, id, form, {});
    await renderPage(res, 'admin/issuer-form', { ...model, saved: saved === '1' });
  }

  @Post('issuers/:id')
  @HttpCode(303)
  async update(
    @CurrentViewer() viewer: Viewer,
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseIntPipe) id: number,
    @Body() body: Record<string, unknown>,
    @Res() res: Response,
  ) {
    const form = issuerForm(body);
    try {
      const dto = await formDto(CreateIssuerDto, form);
      await this.issuers.update(id, { ...dto, image: form.image || null }, p);
      res.redirect(303, `/admin/issuers/${id}?saved=1`);
    } catch (err) {
      const failure = formFailure(err, DUPLICATE);
      if (!failure) throw err;
      res.status(failure.status);
      await renderPage(res, 'admin/issuer-form', this.model(viewer, id, form, failure.errors));
    }
  }

  private model(
    viewer: Viewer,
    id: number | null,
    form: IssuerForm,
    errors: Record<string, string>,
  ) {
    const title = id === null ? 'New issuer' : `Issuer ${form.name}`;
    const path = id === null ? '/admin/issuers/new' : `/admin/issuers/${id}`;
    return {
      ...this.site.layout({ title, active: 'none', viewer, path }),
      id,
      action: id === null ? '/admin/issuers' : `/admin/issuers/${id}`,
      form,
      errors,
      invalid: Object.keys(errors).length > 0,
    };
  }
}

const EMPTY: IssuerForm = { name: '', origin: '', org: '', contact: '', image: '' };

function issuerForm(body: Record<string, unknown>): IssuerForm {
  const f = (k: keyof IssuerForm) => textField(body[k], 3000).trim();
  return {
    name: f('name'),
    origin: f('origin'),
    org: f('org'),
    contact: f('contact'),
    image: f('image'),
  };
}
