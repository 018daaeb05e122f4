import { Injectable } from '@nestjs/common';
import { Links } from '../../common/links';

const enc = encodeURIComponent;

/**
 * The Open Badges URLs, all on the service's own origin (the issuer's verification scope):
 * ids with spaces or '>' (Tahrir's "badge -> person") are percent-encoded.
 */
@Injectable()
export class OpenBadgesLinks {
  readonly base: string;

  constructor(private readonly links: Links) {
    this.base = links.base;
  }

  art(image: string): string {
    return this.links.badgeImage(image);
  }

  issuer(id: number): string {
    return `${this.base}/openbadges/v2/issuers/${id}`;
  }

  revocationList(issuerId: number): string {
    return `${this.issuer(issuerId)}/revocations`;
  }

  badgeClass(id: string): string {
    return `${this.base}/openbadges/v2/badges/${enc(id)}`;
  }

  assertion(id: string): string {
    return `${this.base}/openbadges/v2/assertions/${enc(id)}`;
  }

  bakedImage(assertionId: string): string {
    return `${this.assertion(assertionId)}/image`;
  }

  profile(issuerId: number): string {
    return `${this.base}/openbadges/v3/issuers/${issuerId}`;
  }

  achievement(badgeId: string): string {
    return `${this.base}/openbadges/v3/achievements/${enc(badgeId)}`;
  }

  credential(assertionId: string): string {
    return `${this.base}/openbadges/v3/credentials/${enc(assertionId)}`;
  }

  statusList(listId: number): string {
    return `${this.base}/openbadges/v3/status/${listId}`;
  }

  key(kid: string): string {
    return `${this.base}/openbadges/v3/keys/${enc(kid)}`;
  }

  /** The key URL prefix: a kid under it is one of ours. */
  get keyPrefix(): string {
    return `${this.base}/openbadges/v3/keys/`;
  }

  get statusPrefix(): string {
    return `${this.base}/openbadges/v3/status/`;
  }

  jwks(): string {
    return `${this.base}/.well-known/jwks.json`;
  }

  verify(): string {
    return `${this.base}/openbadges/v3/verify`;
  }
}
