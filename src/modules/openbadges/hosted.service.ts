import { Inject, Injectable } from '@nestjs/common';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';
import type { Assertion } from '../awards/assertion.entity';
import { AwardsService } from '../awards/awards.service';
import type { Badge } from '../badges/badge.entity';
import { BadgesService } from '../badges/badges.service';
import type { Issuer } from '../badges/issuer.entity';
import { IssuersService } from '../badges/issuers.service';
import {
  assertionDocument,
  badgeClass,
  issuerProfile,
  type JsonObject,
  revocationList,
  revokedDocument,
} from './ob2.documents';
import { assertionUnknown } from './openbadges.errors';
import { OpenBadgesLinks } from './openbadges.links';

export type HostedAssertion =
  | { revoked: false; document: JsonObject; assertion: Assertion }
  | { revoked: true; document: JsonObject; reason: string };

/** What the buttons of a profile or badge page need for one award. */
export interface AssertionShareLinks {
  /** The hosted assertion: what verifiers and backpacks take. */
  verificationUrl: string;
  /** The badge image with the assertion baked in. */
  bakedImageUrl: string;
  /** The same, served as an attachment ("Download"). */
  downloadUrl: string;
  /** The Open Badges 3.0 credential (a signed VC-JWT). */
  credentialUrl: string;
  /** A backpack's import page for this assertion, when ACCOLADES_BACKPACK_IMPORT_URL is set. */
  backpackImportUrl: string | null;
}

/** Open Badges 2.0 hosted verification: issuer profiles, badge classes, assertions. */
@Injectable()
export class HostedBadgesService {
  constructor(
    private readonly awards: AwardsService,
    private readonly badges: BadgesService,
    private readonly issuers: IssuersService,
    private readonly links: OpenBadgesLinks,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async issuer(id: number): Promise<{ issuer: Issuer; document: JsonObject }> {
    const issuer = await this.issuers.get(id);
    return { issuer, document: issuerProfile(issuer, this.links) };
  }

  async badge(id: string): Promise<{ badge: Badge; document: JsonObject }> {
    const badge = await this.badges.get(id);
    return { badge, document: badgeClass(badge, this.links) };
  }

  /** A live assertion, or the revocation notice of a revoked one; 404 for anything else. */
  async assertion(id: string): Promise<HostedAssertion> {
    const assertion = await this.awards.find(id);
    if (assertion) {
      return { revoked: false, assertion, document: assertionDocument(assertion, this.links) };
    }
    const revoked = await this.awards.findRevoked(id);
    if (revoked) {
      const document = revokedDocument(revoked, this.links);
      return { revoked: true, document, reason: String(document.revocationReason) };
    }
    throw assertionUnknown(id);
  }

  /** What the assertion page shows a person. */
  async assertionView(a: Assertion) {
    const badge = await this.badges.get(a.badgeId);
    const issuer = await this.issuers.get(badge.issuerId);
    return {
      badgeName: badge.name,
      badgeUrl: this.links.badgeClass(badge.id),
      image: this.links.art(badge.image),
      description: badge.description,
      issuerName: issuer.name,
      issuerUrl: this.links.issuer(issuer.id),
      issuedOn: a.issuedOn.toISOString().slice(0, 10),
      evidence: a.issuedFor,
      evidenceIsLink: /^https?:\/\//i.test(a.issuedFor ?? ''),
      share: this.shareLinks(a.id),
    };
  }

  async revocations(issuerId: number): Promise<JsonObject> {
    const issuer = await this.issuers.get(issuerId);
    return revocationList(issuer, await this.awards.revokedByIssuer(issuerId), this.links);
  }

  /** Tahrir's assertion URL (/assertions/<badge>/<recipient hash>) to the assertion id. */
  async legacyAssertionId(badgeId: string, recipient: string): Promise<string> {
    const hash = recipient.replace(/^sha256\$/, '').toLowerCase();
    const id = await this.awards.findIdByRecipient(badgeId, hash);
    if (!id) throw assertionUnknown(`${badgeId}/${recipient}`);
    return id;
  }

  /**
   * The links behind "Download", "Copy verification URL" and "Add to backpack" for one
   * award (no database access: pages call it for every badge they list).
   */
  shareLinks(assertionId: string): AssertionShareLinks {
    const verificationUrl = this.links.assertion(assertionId);
    const bakedImageUrl = this.links.bakedImage(assertionId);
    const template = this.env.ACCOLADES_BACKPACK_IMPORT_URL;
    return {
      verificationUrl,
      bakedImageUrl,
      downloadUrl: `${bakedImageUrl}?download=1`,
      credentialUrl: this.links.credential(assertionId),
      backpackImportUrl: template
        ? template.replace('{url}', encodeURIComponent(verificationUrl))
        : null,
    };
  }
}
