import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CredentialsService } from '../credentials.service';
import { KeysService } from '../keys.service';
import { publicHeaders, sendDocument } from './negotiate';
import { VerifyCredentialDto } from './verify.dto';

const JWT_TYPES = ['application/vc+jwt', 'application/jwt'];

/**
 * Open Badges 3.0: credentials (VC-JWT by default; the credential JSON on request), the
 * issuers' status lists, profiles, achievements, published keys and verification.
 */
@ApiTags('open badges')
@Controller()
export class CredentialsController {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly keys: KeysService,
  ) {}

  @Get('openbadges/v3/credentials/:id')
  @ApiExcludeEndpoint()
  async credential(
    @Param('id') id: string,
    @Query('download') download: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const signed = await this.credentials.credential(id);
    const type = req.accepts([
      ...JWT_TYPES,
      'application/ld+json',
      'application/json',
      'text/html',
    ]);
    publicHeaders(res);
    if (type === 'text/html') {
      return res.render('openbadges/document', {
        title: String(signed.credential.name),
        kind: 'Open Badges 3.0 credential',
        description: 'Verifiable credential, signed as a VC-JWT.',
        json: JSON.stringify(signed.credential, null, 2),
      });
    }
    if (type === 'application/ld+json' || type === 'application/json') {
      return sendDocument(res, type === 'application/json' ? 'json' : 'ld', signed.credential);
    }
    if (download !== undefined) {
      const name = id.replace(/[^\w.-]+/g, '_');
      res.set('Content-Disposition', `attachment; filename="${name}.jwt"`);
    }
    res
      .type(type === 'application/jwt' ? 'application/jwt' : 'application/vc+jwt')
      .send(signed.jwt);
  }

  @Get('openbadges/v3/status/:id')
  @ApiExcludeEndpoint()
  async statusList(
    @Param('id', ParseIntPipe) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const signed = await this.credentials.statusList(id);
    const type = req.accepts([...JWT_TYPES, 'application/ld+json', 'application/json']);
    if (type === 'application/ld+json' || type === 'application/json') {
      return sendDocument(res, type === 'application/json' ? 'json' : 'ld', signed.credential);
    }
    publicHeaders(res)
      .type(type === 'application/jwt' ? 'application/jwt' : 'application/vc+jwt')
      .send(signed.jwt);
  }

  @Get('openbadges/v3/issuers/:id')
  @ApiExcludeEndpoint()
  async profile(@Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const json = req.accepts(['application/ld+json', 'application/json']) === 'application/json';
    sendDocument(res, json ? 'json' : 'ld', await this.credentials.profile(id));
  }

  @Get('openbadges/v3/achievements/:id')
  @ApiExcludeEndpoint()
  async achievement(@Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    const json = req.accepts(['application/ld+json', 'application/json']) === 'application/json';
    sendDocument(res, json ? 'json' : 'ld', await this.credentials.achievement(id));
  }

  @Get('openbadges/v3/keys/:kid')
  @ApiExcludeEndpoint()
  async key(@Param('kid') kid: string, @Res() res: Response) {
    const jwk = await this.keys.publicKey(kid);
    publicHeaders(res).type('application/jwk+json').send(JSON.stringify(jwk));
  }

  @Get('.well-known/jwks.json')
  @ApiExcludeEndpoint()
  async jwks(@Res() res: Response) {
    publicHeaders(res)
      .type('application/jwk-set+json')
      .send(JSON.stringify({ keys: await this.keys.published() }));
  }

  @Get('.well-known/did.json')
  @ApiExcludeEndpoint()
  async did(@Res() res: Response) {
    publicHeaders(res)
      .type('application/did+json')
      .send(JSON.stringify(await this.keys.didDocument()));
  }

  @Post('openbadges/v3/verify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Verify an Open Badges 3.0 credential issued by this service',
    description:
      'Checks the VC-JWT signature against the published key, the required fields, the JWT ' +
      'claims, the validity period and the revocation bit. Answers { verified, checks, errors }.',
  })
  verify(@Body() dto: VerifyCredentialDto) {
    return this.credentials.verify(dto.credential);
  }
}
