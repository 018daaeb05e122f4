import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';

/** The keyword of the Open Badges iTXt chunk (Badge Baking 2.0). */
export const PNG_KEYWORD = 'openbadges';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export class InvalidImageError extends Error {}

interface Chunk {
  name: string;
  data: Uint8Array;
}

export function looksLikePng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && Buffer.from(bytes.subarray(0, 8)).equals(SIGNATURE);
}

/** The chunks of a PNG, parsed (and CRC-checked) by png-chunks-extract; throws InvalidImageError. */
function chunksOf(png: Uint8Array): Chunk[] {
  try {
    const chunks = extractChunks(png);
    if (chunks[0]?.name !== 'IHDR' || chunks[0].data.length !== 13) {
      throw new Error('the first chunk is not a valid IHDR');
    }
    return chunks;
  } catch (err) {
    throw new InvalidImageError(`not a valid PNG image: ${(err as Error).message}`);
  }
}

/**
 * The data of an uncompressed iTXt chunk (PNG 1.2, 11.3.4.5): keyword, NUL, compression
 * flag 0, compression method 0, empty language tag, NUL, empty translated keyword, NUL,
 * then the UTF-8 text.
 */
export function itxtData(keyword: string, text: string): Uint8Array {
  return Buffer.concat([
    Buffer.from(keyword, 'latin1'),
    Buffer.from([0, 0, 0, 0, 0]),
    Buffer.from(text, 'utf8'),
  ]);
}

/** Reads an iTXt chunk's keyword and, when uncompressed, its text. */
function readItxt(data: Uint8Array): { keyword: string; text: string | null } {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const kwEnd = buf.indexOf(0);
  if (kwEnd < 1) return { keyword: '', text: null };
  const keyword = buf.toString('latin1', 0, kwEnd);
  const compressed = buf[kwEnd + 1] !== 0;
  const langEnd = buf.indexOf(0, kwEnd + 3);
  const transEnd = langEnd < 0 ? -1 : buf.indexOf(0, langEnd + 1);
  if (compressed || transEnd < 0) return { keyword, text: null };
  return { keyword, text: buf.toString('utf8', transEnd + 1) };
}

/**
 * Bakes text into a PNG: exactly one uncompressed iTXt chunk with the keyword `openbadges`,
 * right after IHDR; any earlier Open Badges chunk is dropped first.
 */
export function bakePng(png: Uint8Array, text: string): Buffer {
  const chunks = chunksOf(png).filter(
    (c) => !(c.name === 'iTXt' && readItxt(c.data).keyword === PNG_KEYWORD),
  );
  chunks.splice(1, 0, { name: 'iTXt', data: itxtData(PNG_KEYWORD, text) });
  return Buffer.from(encodeChunks(chunks));
}

/** The text of the first `openbadges` iTXt chunk, or null when there is none. */
export function unbakePng(png: Uint8Array): string | null {
  for (const c of chunksOf(png)) {
    if (c.name !== 'iTXt') continue;
    const { keyword, text } = readItxt(c.data);
    if (keyword === PNG_KEYWORD) return text;
  }
  return null;
}

/** Every chunk name in order (for tests and diagnostics). */
export function pngChunkNames(png: Uint8Array): string[] {
  return chunksOf(png).map((c) => c.name);
}

/** Validates a PNG (signature, IHDR first, CRCs, IEND); throws InvalidImageError. */
export function assertPng(png: Uint8Array): void {
  chunksOf(png);
}
