import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import rateLimit from 'express-rate-limit';
import session from 'express-session';
import { baseUrl, type Env } from '../../config/env.schema';
import { viewerOf } from '../../common/viewer';
import { wantsJson } from '../../common/filters/http-error.filter';
import { csrfTokenOf, SESSION_COOKIE } from './csrf';
import { loginUrlFor } from './page-access';
import { DbSessionStore } from './session-store';
import './session-data';

/**
 * The HTTP side of login, installed by configureApp before any route (so the page cache
 * sees `req.user`): the database session, `req.user` from it, what every view needs
 * (viewer, CSRF token, login link), and the rate limits of login, claims and tokens.
 */
export function installAuth(app: NestExpressApplication, env: Env): void {
  const store = app.get(DbSessionStore);
  store.startPruning();
  let secret = env.ACCOLADES_SESSION_SECRET;
  if (!secret) {
    secret = randomBytes(32).toString('hex');
    if (env.OIDC_ISSUER) {
      new Logger('Sessions').warn(
        'ACCOLADES_SESSION_SECRET is not set: logins end at every restart and do not carry across replicas',
      );
    }
  }
  app.use(
    session({
      name: SESSION_COOKIE,
      secret,
      store,
      resave: false,
      // No row and no cookie for visitors who never log in.
      saveUninitialized: false,
      proxy: env.NODE_ENV === 'production' ? true : undefined,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: baseUrl(env).startsWith('https:'),
        maxAge: env.ACCOLADES_SESSION_HOURS * 3600 * 1000,
        path: '/',
      },
    }),
  );
  app.use(viewerLocals);

  const minute = 60 * 1000;
  // '/login' also covers /login/callback (a path prefix).
  app.use('/login', limiter(minute, env.ACCOLADES_RATE_LIMIT_LOGIN));
  app.use('/claim', limiter(minute, env.ACCOLADES_RATE_LIMIT_CLAIM));
  const tokens = limiter(60 * minute, env.ACCOLADES_RATE_LIMIT_TOKENS);
  app.use(
    ['/api/v1/tokens', '/settings/tokens'],
    (req: Request, res: Response, next: NextFunction) =>
      req.method === 'POST' && (req.path === '/' || req.path === '')
        ? tokens(req, res, next)
        : next(),
  );
}

/** `req.user` from the session, and the layout's account corner for every view. */
function viewerLocals(req: Request, res: Response, next: NextFunction): void {
  const viewer = req.session?.viewer;
  if (viewer) (req as { user?: unknown }).user = viewer;
  const v = viewerOf(req);
  if (v) {
    res.locals.viewer = v;
    res.locals.viewerUrl = `/user/${encodeURIComponent(v.nickname)}`;
    // Only sessions that exist get a token: anonymous visitors keep no session at all.
    res.locals.csrfToken = csrfTokenOf(req);
  } else if (req.session?.csrfToken) {
    res.locals.csrfToken = req.session.csrfToken;
  }
  if (req.method === 'GET' && !req.path.startsWith('/login'))
    res.locals.loginUrl = loginUrlFor(req);
  else res.locals.loginUrl = '/login';
  next();
}

function limiter(windowMs: number, limit: number): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res) => {
      const body = {
        statusCode: 429,
        code: 'RATE.LIMITED',
        message: 'Too many requests: wait a minute and try again.',
      };
      res.status(429);
      // Mounted middleware sees a path relative to its mount point: judge by the full URL.
      if (req.originalUrl.startsWith('/api/') || wantsJson(req)) {
        res.json(body);
        return;
      }
      res.render('errors/error', { title: 'Too many requests', error: body }, (err, html) => {
        if (err) res.type('text/plain').send(`429 ${body.message}`);
        else res.type('html').send(html);
      });
    },
  });
}
