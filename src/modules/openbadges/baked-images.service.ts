import { createHash } from 'node:crypto';
import { type Stats, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { packageRoot } from '../../common/package-root';
import { ENV } from '../../config/config.module';
import { artDirs, type Env } from '../../config/env.schema';
import { DEMO_ART } from '../../demo/demo-collection';
import { AwardsService } from '../awards/awards.service';
import { bakePng, InvalidImageError, looksLikePng } from './baking/png';
import { bakeSvg, looksLikeSvg } from './baking/svg';
import { assertionDocument } from './ob2.documents';
import {
  artInvalid,
  artNotFound,
  artRemote,
  assertionRevoked,
  assertionUnknown,
} from './openbadges.errors';
import { OpenBadgesLinks } from './openbadges.links';

export interface BakedImage {
  body: Buffer;
  contentType: 'image/png' | 'image/svg+xml';
  /** A strong validator: changes exactly when the assertion or the art changes. */
  etag: string;
  filename: string;
}

/** Art larger than this is refused (badge art is a few kilobytes to a few hundred). */
const MAX_ART_BYTES = 8 * 1024 * 1024;

/**
 * Badge images with their assertion baked in (Open Badges Baking 2.0), made on demand from
 * the art served under /pngs/ and kept in memory. A cache entry is keyed by the baked
 * assertion JSON and the art file's path, size and modification time, so it is reused only
 * while neither changed; revocation is checked on every request (one indexed read).
 */
@Injectable()
export class BakedImagesService {
  private readonly dirs: string[];
  private readonly cache: LRUCache<string, BakedImage> | null;

  constructor(
    @Inject(ENV) env: Env,
    private readonly awards: AwardsService,
    private readonly links: OpenBadgesLinks,
  ) {
    this.dirs = artDirs(env, join(packageRoot(), DEMO_ART));
    const maxSize = env.ACCOLADES_BAKED_CACHE_MB * 1024 * 1024;
    this.cache = maxSize
      ? new LRUCache<string, BakedImage>({ maxSize, sizeCalculation: (v) => v.body.length + 256 })
      : null;
  }

  async baked(assertionId: string): Promise<BakedImage> {
    const found = await this.awards.findWithBadge(assertionId);
    if (!found) {
      const revoked = await this.awards.findRevoked(assertionId);
      if (revoked) throw assertionRevoked(assertionId, revoked.reason);
      throw assertionUnknown(assertionId);
    }
    const { assertion, badge } = found;
    const art = await this.locate(badge.id, badge.image);
    const json = JSON.stringify(assertionDocument(assertion, this.links));
    const key = createHash('sha256')
      .update(`${art.path}\0${art.size}\0${art.mtimeMs}\0${json}`)
      .digest('base64url');
    const hit = this.cache?.get(key);
    if (hit) return hit;
    const bytes = await readAll(art.path, art.size);
    const baked = this.bake(badge.id, bytes, json, this.links.assertion(assertion.id));
    const result: BakedImage = {
      ...baked,
      etag: `"${key.slice(0, 32)}"`,
      filename: `${badge.id}.${baked.contentType === 'image/png' ? 'png' : 'svg'}`,
    };
    this.cache?.set(key, result);
    return result;
  }

  private bake(
    badgeId: string,
    bytes: Buffer,
    json: string,
    verifyUrl: string,
  ): Pick<BakedImage, 'body' | 'contentType'> {
    try {
      if (looksLikePng(bytes)) return { body: bakePng(bytes, json), contentType: 'image/png' };
      if (looksLikeSvg(bytes)) {
        const svg = bakeSvg(bytes.toString('utf8'), verifyUrl, json);
        return { body: Buffer.from(svg, 'utf8'), contentType: 'image/svg+xml' };
      }
    } catch (err) {
      if (err instanceof InvalidImageError) throw artInvalid(badgeId, err.message);
      throw err;
    }
    throw artInvalid(badgeId, 'it is neither a PNG nor an SVG image');
  }

  /** The art file, first match in the art directories (as /pngs/ serves it). */
  private async locate(
    badgeId: string,
    image: string,
  ): Promise<{ path: string; size: number; mtimeMs: number }> {
    let name = image;
    const own = `${this.links.base}/pngs/`;
    if (/^https?:\/\//i.test(image)) {
      if (!image.startsWith(own)) throw artRemote(badgeId);
      name = decodeURIComponent(image.slice(own.length).split(/[?#]/)[0]);
    }
    for (const dir of this.dirs) {
      const path = resolve(dir, name);
      if (!path.startsWith(dir + sep)) continue;
      // Synchronous on purpose: a local stat takes microseconds, and the asynchronous one
      // throws (costly) for every directory that lacks the file.
      const s = statOrNull(path);
      if (!s?.isFile()) continue;
      if (s.size > MAX_ART_BYTES) throw artInvalid(badgeId, 'the file is too large');
      return { path, size: s.size, mtimeMs: s.mtimeMs };
    }
    throw artNotFound(badgeId, image);
  }
}

async function readAll(path: string, size: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(size);
    const { bytesRead } = await fh.read(buf, 0, size, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function statOrNull(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    // A file where a directory was expected ("art.png/x"): not there either.
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}
