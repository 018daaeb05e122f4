import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { describeError } from '../errors/describe-error';

/** Requests for machines get JSON; everything else is a person with a browser. */
export function wantsJson(req: Request): boolean {
  const path = req.path ?? req.url;
  if (/^\/(api|healthz|metrics)(\/|$)/.test(path) || /\/json$/.test(path)) return true;
  const accept = req.headers.accept ?? '';
  // Open Badges URLs are read by verifiers: JSON unless a browser asks for a page.
  if (/^\/(openbadges|\.well-known)\//.test(path)) return !accept.includes('text/html');
  return !accept.includes('text/html') && accept.includes('json');
}

/**
 * The one place HTTP errors are translated: `{ statusCode, code, message }` for the API,
 * an error page that looks like the site for people. Internal details stay in the logs.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request & { id?: string }>();
    const res = http.getResponse<Response>();
    const { body, internal } = describeError(err, String(req.id ?? ''));
    if (internal) this.logger.error({ err, requestId: req.id, path: req.url }, 'request failed');
    if (res.headersSent) return;
    res.status(body.statusCode);
    if (wantsJson(req)) {
      // Tahrir's JSON URLs answered errors as { "error": "..." }: keep that field for them.
      res.json(isTahrirJson(req) ? { error: body.message, ...body } : body);
      return;
    }
    res.render(
      'errors/error',
      { title: titleOf(body.statusCode), error: body },
      (renderErr, html) => {
        if (renderErr) {
          this.logger.error({ err: renderErr }, 'error page failed to render');
          res.type('text/plain').send(`${body.statusCode} ${body.message}`);
        } else {
          res.type('html').send(html);
        }
      },
    );
  }
}

/** Tahrir's JSON documents: /user/<nick>/json, /badge/<id>/json, /leaderboard[/<nick>]/json. */
function isTahrirJson(req: Request): boolean {
  return /^\/(user\/[^/]+|badge\/[^/]+|leaderboard(\/[^/]+)?)\/json$/.test(req.path ?? '');
}

function titleOf(status: number): string {
  if (status === 404) return 'Not found';
  if (status === 403) return 'Not allowed';
  if (status === 401) return 'Please log in';
  if (status === 410) return 'Gone';
  if (status >= 500) return 'Something went wrong';
  return 'That did not work';
}
