import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { invalid } from '../../common/errors/domain-error';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';
import { checkArt } from './art';

/**
 * Uploaded badge art, kept in ACCOLADES_DATA_DIR/art: the first directory `/pngs/` serves
 * (and the baked images read), so an upload is served like any other art. File names carry
 * a hash of the content: a changed image gets a new URL, never a stale cached one.
 */
@Injectable()
export class BadgeArtStore {
  readonly dir: string;

  constructor(@Inject(ENV) env: Env) {
    this.dir = resolve(env.ACCOLADES_DATA_DIR, 'art');
  }

  /** The file name the art will have, or a field error (`art`) when it is not badge art. */
  nameFor(badgeId: string, bytes: Buffer): string {
    const check = checkArt(bytes);
    if (!check.ok) {
      throw invalid('BADGE.ART_INVALID', `The art was refused: ${check.problem}`, [
        { field: 'art', errors: [check.problem] },
      ]);
    }
    const stem = badgeId
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
    return `${stem || 'badge'}-${hash}.${check.kind}`;
  }

  /** Writes the file whole or not at all (a temporary file renamed into place). */
  async write(name: string, bytes: Buffer): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(tmp, bytes, { flag: 'wx' });
      await rename(tmp, join(this.dir, name));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}
