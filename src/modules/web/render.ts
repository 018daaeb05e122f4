import type { Response } from 'express';

/**
 * Renders a view into the response, rejecting on a template error so that Nest's
 * exception filter (and its error page) handles it, as with `@Render`. For handlers that
 * must sometimes redirect instead of rendering.
 */
export function renderPage(res: Response, view: string, model: object): Promise<void> {
  return new Promise((resolve, reject) => {
    res.render(view, model, (err, html) => {
      if (err) return reject(err);
      res.type('html').send(html);
      resolve();
    });
  });
}
