import { DOMParser } from '@xmldom/xmldom';

/** Largest badge art accepted from an upload (badge art is a few kilobytes to a few hundred). */
export const MAX_ART_BYTES = 1024 * 1024;

export type ArtKind = 'png' | 'svg';

export type ArtCheck = { ok: true; kind: ArtKind } | { ok: false; problem: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Whether uploaded bytes are badge art we can serve and bake: a PNG (signature, then the
 * IHDR chunk) or an SVG (an XML document whose root is <svg>) without anything active in
 * it. Judged by content, never by the file name or the browser's content type.
 */
export function checkArt(bytes: Buffer): ArtCheck {
  if (!bytes.length) return { ok: false, problem: 'The file is empty.' };
  if (bytes.length > MAX_ART_BYTES) {
    return { ok: false, problem: `The file is larger than ${MAX_ART_BYTES / 1024} KB.` };
  }
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    return bytes.length >= 33 && bytes.toString('latin1', 12, 16) === 'IHDR'
      ? { ok: true, kind: 'png' }
      : { ok: false, problem: 'The PNG file is damaged (no image header).' };
  }
  const problem = svgProblem(bytes);
  return problem === null ? { ok: true, kind: 'svg' } : { ok: false, problem };
}

type XmlElement = NonNullable<ReturnType<DOMParser['parseFromString']>['documentElement']>;

/** Null for a harmless SVG; otherwise why it is refused. */
function svgProblem(bytes: Buffer): string | null {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (!/^\s*<(\?xml|!--|!DOCTYPE|svg)[\s>]/i.test(text)) return NOT_AN_IMAGE;
  let root: XmlElement | null;
  try {
    root = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(text, 'image/svg+xml').documentElement;
  } catch {
    return 'The SVG file is not well-formed XML.';
  }
  if (!root || root.localName !== 'svg' || (root.namespaceURI && root.namespaceURI !== SVG_NS)) {
    return NOT_AN_IMAGE;
  }
  // The art is served from this site: anything that runs or loads would run here.
  if (/<!ENTITY/i.test(text)) return 'SVG files with entity declarations are not accepted.';
  return activeContent(root);
}

const NOT_AN_IMAGE = 'This is not a PNG or SVG image.';

function activeContent(el: XmlElement): string | null {
  const name = (el.localName ?? el.nodeName).toLowerCase();
  if (name === 'script' || name === 'foreignobject' || name === 'iframe') {
    return `SVG files with <${el.localName}> elements are not accepted.`;
  }
  for (const attr of Array.from(el.attributes)) {
    const attrName = (attr.localName ?? attr.name).toLowerCase();
    if (attrName.startsWith('on')) return 'SVG files with event handlers are not accepted.';
    if (attrName === 'href' && !/^\s*(#|data:image\/(png|jpeg|gif);)/i.test(attr.value)) {
      return 'SVG files may only link to their own parts (href="#...") or embedded images.';
    }
  }
  for (const child of Array.from(el.childNodes)) {
    if (child.nodeType === 1) {
      const problem = activeContent(child as unknown as XmlElement);
      if (problem) return problem;
    }
  }
  return null;
}
