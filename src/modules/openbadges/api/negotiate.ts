import type { Request, Response } from 'express';

export type Representation = 'ld' | 'json' | 'html';

/**
 * Content negotiation on one URL: JSON-LD for verifiers (also the default, for clients that
 * accept anything), plain JSON for clients that accept only that, a page for browsers.
 */
export function representation(req: Request): Representation {
  const type = req.accepts(['application/ld+json', 'application/json', 'text/html']);
  if (type === 'text/html') return 'html';
  if (type === 'application/json') return 'json';
  return 'ld';
}

/** Open Badges documents are public and read by verifiers running in other origins. */
export function publicHeaders(res: Response): Response {
  return res.set({
    Vary: 'Accept',
    'Access-Control-Allow-Origin': '*',
    // Revocation must show at once: caches revalidate (cheap, with the ETag Express adds).
    'Cache-Control': 'no-cache',
  });
}

export function sendDocument(
  res: Response,
  rep: Exclude<Representation, 'html'>,
  body: unknown,
  status = 200,
): void {
  publicHeaders(res)
    .status(status)
    .type(rep === 'json' ? 'application/json' : 'application/ld+json')
    .send(JSON.stringify(body));
}
