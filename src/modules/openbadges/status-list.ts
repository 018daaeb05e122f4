import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * W3C Bitstring Status List v1.0, the encoding only: a list of 131,072 one-bit entries
 * (the specification's 16 KB minimum, for herd privacy), bit 0 the most significant bit of
 * the first byte, GZIP-compressed and published as multibase base64url ("u" prefix, no
 * padding).
 */
export const STATUS_LIST_LENGTH = 131_072;

/** Refuse to inflate lists larger than this (a hostile list could be a zip bomb). */
const MAX_DECODED_BYTES = 16 * 1024 * 1024;

export function encodeStatusList(setBits: Iterable<number>, length = STATUS_LIST_LENGTH): string {
  const bytes = Buffer.alloc(Math.ceil(length / 8));
  for (const i of setBits) {
    if (!Number.isInteger(i) || i < 0 || i >= length) {
      throw new RangeError(`status index ${i} is outside the list (0..${length - 1})`);
    }
    bytes[i >> 3] |= 0x80 >> (i & 7);
  }
  return `u${gzipSync(bytes).toString('base64url')}`;
}

export function decodeStatusList(encoded: string): Buffer {
  if (typeof encoded !== 'string' || !encoded.startsWith('u')) {
    throw new Error('encodedList must be multibase base64url (start with "u")');
  }
  return gunzipSync(Buffer.from(encoded.slice(1), 'base64url'), {
    maxOutputLength: MAX_DECODED_BYTES,
  });
}

export function statusBit(bits: Buffer, index: number): boolean {
  if (!Number.isInteger(index) || index < 0 || index >= bits.length * 8) {
    throw new RangeError(`status index ${index} is outside the list`);
  }
  return (bits[index >> 3] & (0x80 >> (index & 7))) !== 0;
}
