import { basename } from 'node:path';

/**
 * The file name of a badge image URL (or path): badge art is served from /pngs/<file>, so a
 * rule's `image_url: https://badges.fedoraproject.org/pngs/tester.png` is `tester.png` here.
 */
export function artFileName(url: string): string {
  try {
    return basename(new URL(url).pathname);
  } catch {
    return basename(url);
  }
}
