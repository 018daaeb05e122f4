import { Inject, Injectable } from '@nestjs/common';
import { ENV } from '../config/config.module';
import { baseUrl, type Env } from '../config/env.schema';

/** Absolute URLs of the service's resources, from ACCOLADES_BASE_URL. */
@Injectable()
export class Links {
  readonly base: string;

  constructor(@Inject(ENV) env: Env) {
    this.base = baseUrl(env);
  }

  /** A badge image: absolute URLs stay, file names are served under /pngs/. */
  badgeImage(image: string): string {
    return /^https?:\/\//i.test(image) ? image : `${this.base}/pngs/${encodeURIComponent(image)}`;
  }

  badge(id: string): string {
    return `${this.base}/badge/${encodeURIComponent(id)}`;
  }

  user(nickname: string): string {
    return `${this.base}/user/${encodeURIComponent(nickname)}`;
  }

  /** Where an invitation is claimed (the rate limit in auth/http.ts guards `/claim`). */
  claim(code: string): string {
    return `${this.base}/claim/${encodeURIComponent(code)}`;
  }

  /** The QR code of an invitation's claim URL. */
  invitationQr(code: string): string {
    return `${this.base}/api/v1/invitations/${encodeURIComponent(code)}/qr.png`;
  }

  series(id: string): string {
    return `${this.base}/series/${encodeURIComponent(id)}`;
  }
}
