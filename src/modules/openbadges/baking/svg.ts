import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { InvalidImageError } from './png';

export const OPENBADGES_NS = 'http://openbadges.org';
const SVG_NS = 'http://www.w3.org/2000/svg';

export function looksLikeSvg(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 1024))
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(
    head,
  );
}

type XmlDocument = ReturnType<DOMParser['parseFromString']>;
type XmlElement = NonNullable<XmlDocument['documentElement']>;

/** Parses SVG text with an XML parser that throws on any error; the root must be <svg>. */
function parseSvg(svg: string): XmlDocument {
  let doc: XmlDocument;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(svg, 'image/svg+xml');
  } catch (err) {
    throw new InvalidImageError(`not a valid SVG image: ${(err as Error).message}`);
  }
  const root = doc.documentElement;
  if (!root || root.localName !== 'svg' || (root.namespaceURI && root.namespaceURI !== SVG_NS)) {
    throw new InvalidImageError('not a valid SVG image: the root element is not <svg>');
  }
  return doc;
}

function assertionElements(root: XmlElement): XmlElement[] {
  return Array.from(root.getElementsByTagNameNS(OPENBADGES_NS, 'assertion'));
}

/**
 * Bakes a hosted assertion into SVG art (Badge Baking 2.0): the root declares
 * xmlns:openbadges, and its first child is one <openbadges:assertion verify="URL"> holding
 * the assertion JSON in CDATA. Any earlier Open Badges element is removed.
 */
export function bakeSvg(svg: string, verifyUrl: string, assertionJson: string): string {
  const doc = parseSvg(svg);
  const root = doc.documentElement as XmlElement;
  for (const old of assertionElements(root)) old.parentNode?.removeChild(old);
  root.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:openbadges', OPENBADGES_NS);
  const el = doc.createElementNS(OPENBADGES_NS, 'openbadges:assertion');
  el.setAttribute('verify', verifyUrl);
  // "]]>" would end the CDATA section; in JSON it can only occur inside a string, where
  // "\u003e" means the same ">".
  el.appendChild(doc.createCDATASection(assertionJson.replace(/]]>/g, ']]\\u003e')));
  root.insertBefore(el, root.firstChild);
  return new XMLSerializer().serializeToString(doc);
}

/** What a baked SVG carries: the verify URL and the JSON body (null when absent). */
export function unbakeSvg(svg: string): { verify: string; json: string | null } | null {
  const root = parseSvg(svg).documentElement as XmlElement;
  const el = assertionElements(root)[0];
  if (!el) return null;
  const json = el.textContent?.trim() ?? '';
  return { verify: el.getAttribute('verify') ?? '', json: json || null };
}

/** How many Open Badges elements an SVG holds (the spec allows exactly one). */
export function countSvgAssertions(svg: string): number {
  return assertionElements(parseSvg(svg).documentElement as XmlElement).length;
}

/** Validates SVG text; throws InvalidImageError. */
export function assertSvg(svg: string): void {
  parseSvg(svg);
}
