import { Controller, Get, Param, ParseIntPipe, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { BakedImagesService } from '../baked-images.service';
import { HostedBadgesService } from '../hosted.service';
import { isHttpUrl } from '../ob2.documents';
import { OpenBadgesLinks } from '../openbadges.links';
import { publicHeaders, representation, sendDocument } from './negotiate';

/**
 * Open Badges 2.0 hosted verification: the issuer Profile, BadgeClasses, Assertions (410
 * Gone once revoked), the RevocationList and baked images, as JSON-LD for verifiers and
 * pages for people on the same URLs.
 */
@ApiExcludeController()
@Controller()
export class HostedController {
  constructor(
    private readonly hosted: HostedBadgesService,
    private readonly baked: BakedImagesService,
    private readonly links: OpenBadgesLinks,
  ) {}

  @Get('openbadges/v2/issuers/:id')
  async issuer(@Param('id', ParseIntPipe) id: number, @Req() req: Request, @Res() res: Response) {
    const { issuer, document } = await this.hosted.issuer(id);
    const rep = representation(req);
    if (rep !== 'html') return sendDocument(res, rep, document);
    publicHeaders(res).render('openbadges/document', {
      title: issuer.name,
      kind: 'Open Badges issuer',
      description: issuer.org,
      homepage: isHttpUrl(issuer.origin) ? issuer.origin : null,
      json: JSON.stringify(document, null, 2),
    });
  }

  @Get('openbadges/v2/issuers/:id/revocations')
  async revocations(
    @Param('id', ParseIntPipe) id: number,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const document = await this.hosted.revocations(id);
    const rep = representation(req);
    if (rep !== 'html') return sendDocument(res, rep, document);
    publicHeaders(res).render('openbadges/document', {
      title: 'Revoked assertions',
      kind: 'Open Badges revocation list',
      json: JSON.stringify(document, null, 2),
    });
  }

  @Get('openbadges/v2/badges/:id')
  async badge(@Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    const { badge, document } = await this.hosted.badge(id);
    const rep = representation(req);
    if (rep !== 'html') return sendDocument(res, rep, document);
    publicHeaders(res).render('openbadges/document', {
      title: badge.name,
      kind: 'Open Badges badge class',
      image: this.links.art(badge.image),
      description: badge.description,
      json: JSON.stringify(document, null, 2),
    });
  }

  @Get('openbadges/v2/assertions/:id')
  async assertion(@Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    const hosted = await this.hosted.assertion(id);
    const rep = representation(req);
    const status = hosted.revoked ? 410 : 200;
    if (rep !== 'html') return sendDocument(res, rep, hosted.document, status);
    if (hosted.revoked) {
      return publicHeaders(res)
        .status(410)
        .render('openbadges/document', {
          title: 'Revoked',
          kind: 'Open Badges assertion',
          description: `This award was revoked: ${hosted.reason}`,
          json: JSON.stringify(hosted.document, null, 2),
        });
    }
    const view = await this.hosted.assertionView(hosted.assertion);
    publicHeaders(res).render('openbadges/assertion', {
      ...view,
      title: view.badgeName,
      json: JSON.stringify(hosted.document, null, 2),
    });
  }

  @Get('openbadges/v2/assertions/:id/image')
  async image(
    @Param('id') id: string,
    @Query('download') download: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const image = await this.baked.baked(id);
    publicHeaders(res).set({
      ETag: image.etag,
      'Content-Disposition': `${download !== undefined ? 'attachment' : 'inline'}; filename="${image.filename}"`,
      'X-Content-Type-Options': 'nosniff',
    });
    if (image.contentType === 'image/svg+xml') {
      // Badge art is shown, never run: no scripts from an SVG opened directly.
      res.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    }
    if (req.headers['if-none-match'] === image.etag) return res.status(304).end();
    res.type(image.contentType).send(image.body);
  }

  /** Tahrir's assertion URLs (/assertions/<badge>/<recipient hash>) keep working. */
  @Get('assertions/:badgeId/:recipient')
  async legacy(
    @Param('badgeId') badgeId: string,
    @Param('recipient') recipient: string,
    @Res() res: Response,
  ) {
    const id = await this.hosted.legacyAssertionId(badgeId, recipient);
    res.redirect(301, this.links.assertion(id));
  }
}
