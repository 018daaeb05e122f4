import { checkArt, MAX_ART_BYTES } from './art';

const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const png = (size = 64) => {
  const b = Buffer.alloc(size);
  PNG_HEAD.copy(b);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  return b;
};
const svg = (body: string, root = '<svg xmlns="http://www.w3.org/2000/svg">') =>
  Buffer.from(`<?xml version="1.0"?>\n${root}${body}</svg>`);

describe('checkArt', () => {
  it('accepts a PNG and a plain SVG', () => {
    expect(checkArt(png())).toEqual({ ok: true, kind: 'png' });
    expect(checkArt(svg('<circle r="4"/><use href="#a"/>'))).toEqual({ ok: true, kind: 'svg' });
    expect(checkArt(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({
      ok: true,
      kind: 'svg',
    });
  });

  it.each([
    ['empty', Buffer.alloc(0), 'empty'],
    ['text', Buffer.from('hello, I am a text file'), 'not a PNG or SVG'],
    ['a JPEG', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]), 'not a PNG or SVG'],
    ['a truncated PNG', PNG_HEAD, 'damaged'],
    ['HTML', Buffer.from('<html><body>hi</body></html>'), 'not a PNG or SVG'],
    ['broken XML', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>'), 'well-formed'],
    ['a script', svg('<script>alert(1)</script>'), '<script>'],
    ['a handler', svg('<rect onload="alert(1)"/>'), 'event handlers'],
    ['foreignObject', svg('<foreignObject><p/></foreignObject>'), 'foreignObject'],
    ['an outside link', svg('<image href="https://evil.example/x.png"/>'), 'link'],
    ['javascript: links', svg('<a href="javascript:alert(1)"><rect/></a>'), 'link'],
    [
      'entities',
      Buffer.from('<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>'),
      'entity',
    ],
  ])('refuses %s', (_, bytes, problem) => {
    const result = checkArt(bytes);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.problem).toContain(problem);
  });

  it('refuses files over the size limit, whatever they hold', () => {
    const big = png(MAX_ART_BYTES + 1);
    expect(checkArt(big)).toEqual({ ok: false, problem: 'The file is larger than 1024 KB.' });
    expect(checkArt(png(MAX_ART_BYTES)).ok).toBe(true);
  });
});
