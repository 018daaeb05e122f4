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

  series(id: string): string {
    return `${this.base}/series/${encodeURIComponent(id)}`;
  }
}
