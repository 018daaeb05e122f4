import { deflateSync } from 'node:zlib';
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';
import {
  assertPng,
  bakePng,
  InvalidImageError,
  itxtData,
  looksLikePng,
  PNG_KEYWORD,
  pngChunkNames,
  unbakePng,
} from './png';
import { bakeSvg, countSvgAssertions, looksLikeSvg, OPENBADGES_NS, unbakeSvg } from './svg';

function png(extra: { name: string; data: Uint8Array }[] = []): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const idat = deflateSync(Buffer.from([0, 1, 2, 3, 4, 5, 6]));
  return Buffer.from(
    encodeChunks([
      { name: 'IHDR', data: ihdr },
      ...extra,
      { name: 'IDAT', data: idat },
      { name: 'IEND', data: new Uint8Array(0) },
    ]),
  );
}

const assertion = JSON.stringify({ id: 'https://b.example/a/1', name: 'Zoë ✓ <x> ]]> end' });

describe('PNG baking', () => {
  it('inserts one uncompressed openbadges iTXt chunk right after IHDR and reads it back', () => {
    const baked = bakePng(png(), assertion);
    expect(pngChunkNames(baked)).toEqual(['IHDR', 'iTXt', 'IDAT', 'IEND']);
    const itxt = extractChunks(baked)[1].data;
    // keyword, NUL, compression flag 0, method 0, empty language tag NUL, empty translated NUL
    const head = Buffer.from(itxt.subarray(0, PNG_KEYWORD.length + 5));
    expect(head.toString('latin1', 0, PNG_KEYWORD.length)).toBe('openbadges');
    expect([...head.subarray(PNG_KEYWORD.length)]).toEqual([0, 0, 0, 0, 0]);
    expect(unbakePng(baked)).toBe(assertion);
  });

  it('replaces an earlier openbadges chunk wherever it was, and keeps other text chunks', () => {
    const other = { name: 'iTXt', data: itxtData('Comment', 'keep me') };
    const old = { name: 'iTXt', data: itxtData(PNG_KEYWORD, '{"old":true}') };
    const baked = bakePng(png([other, old]), assertion);
    const texts = extractChunks(baked)
      .filter((c) => c.name === 'iTXt')
      .map((c) => Buffer.from(c.data).toString('utf8'));
    expect(texts.filter((t) => t.startsWith('openbadges\0'))).toHaveLength(1);
    expect(texts.some((t) => t.includes('keep me'))).toBe(true);
    expect(unbakePng(baked)).toBe(assertion);
    expect(unbakePng(bakePng(baked, '{"again":1}'))).toBe('{"again":1}');
  });

  it('answers null for a PNG with nothing baked', () => {
    expect(unbakePng(png())).toBeNull();
  });

  it.each([
    ['not a PNG at all', Buffer.from('GIF89a-------------')],
    ['a truncated PNG', png().subarray(0, 30)],
    [
      'a PNG with a corrupted chunk',
      (() => {
        const b = png();
        b[20] ^= 0xff; // inside IHDR: its CRC no longer matches
        return b;
      })(),
    ],
    [
      'a PNG whose first chunk is not IHDR',
      Buffer.from(encodeChunks([{ name: 'IEND', data: new Uint8Array(0) }])),
    ],
  ])('refuses %s', (_what, bytes) => {
    expect(() => bakePng(bytes, assertion)).toThrow(InvalidImageError);
    expect(() => assertPng(bytes)).toThrow(InvalidImageError);
  });

  it('tells PNG from SVG by content', () => {
    expect(looksLikePng(png())).toBe(true);
    expect(looksLikePng(Buffer.from('<svg/>'))).toBe(false);
  });
});

const SVG = `<?xml version="1.0" encoding="UTF-8"?>
<!-- art -->
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>`;

describe('SVG baking', () => {
  const url = 'https://b.example/openbadges/v2/assertions/a%20-%3E%201';

  it('adds xmlns:openbadges and one openbadges:assertion as first child, JSON in CDATA', () => {
    const baked = bakeSvg(SVG, url, assertion);
    expect(baked).toContain(`xmlns:openbadges="${OPENBADGES_NS}"`);
    expect(baked).toMatch(/<svg[^>]*>\s*<openbadges:assertion verify="[^"]+"><!\[CDATA\[/);
    const out = unbakeSvg(baked);
    expect(out?.verify).toBe(url);
    expect(JSON.parse(out?.json ?? '')).toEqual(JSON.parse(assertion));
    expect(baked).toContain('<circle r="4"/>');
  });

  it('replaces an earlier assertion element', () => {
    const twice = bakeSvg(bakeSvg(SVG, 'https://old.example/a', '{"old":1}'), url, assertion);
    expect(countSvgAssertions(twice)).toBe(1);
    expect(unbakeSvg(twice)?.verify).toBe(url);
  });

  it('answers null for an SVG with nothing baked', () => {
    expect(unbakeSvg(SVG)).toBeNull();
  });

  it.each([
    ['malformed XML', '<svg xmlns="http://www.w3.org/2000/svg"><g></svg>'],
    ['another root element', '<html><body/></html>'],
    ['not XML', 'hello'],
  ])('refuses %s', (_what, text) => {
    expect(() => bakeSvg(text, url, assertion)).toThrow(InvalidImageError);
  });

  it('recognizes SVG by content', () => {
    expect(looksLikeSvg(Buffer.from(SVG))).toBe(true);
    expect(looksLikeSvg(Buffer.from('<html></html>'))).toBe(false);
  });
});
