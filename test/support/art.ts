import { deflateSync } from 'node:zlib';
import encodeChunks from 'png-chunks-encode';

/** A valid 1x1 RGBA PNG made from scratch, optionally with extra chunks after IHDR. */
export function tinyPng(extra: { name: string; data: Uint8Array }[] = []): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const idat = deflateSync(Buffer.from([0, 0x3c, 0x6e, 0xb4, 0xff]));
  return Buffer.from(
    encodeChunks([
      { name: 'IHDR', data: ihdr },
      ...extra,
      { name: 'IDAT', data: idat },
      { name: 'IEND', data: new Uint8Array(0) },
    ]),
  );
}
