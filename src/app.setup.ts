import { dirname, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import hbs from 'hbs';
import { Logger } from 'nestjs-pino';
import { HttpErrorFilter } from './common/filters/http-error.filter';
import { packageRoot } from './common/package-root';
import { packageVersion } from './common/version';
import { validationPipe } from './common/validation';
import { artDirs, type Env } from './config/env.schema';
import { DEMO_ART } from './demo/demo-collection';
import { installAuth } from './modules/auth/http';
import { registerViewHelpers } from './modules/web/view-helpers';

/**
 * Everything between "the module graph exists" and "listen": used by main.ts and by every
 * end-to-end test, so the tests run the service exactly as it is deployed.
 */
export function configureApp(app: NestExpressApplication, env: Env): NestExpressApplication {
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  app.disable('x-powered-by');
  // 2 MB: a badge's art (up to 1 MB) travels base64 in its JSON.
  app.useBodyParser('json', { limit: '2mb' });
  app.useBodyParser('urlencoded', { limit: '1mb', extended: false });
  if (env.NODE_ENV === 'production') app.set('trust proxy', 1);

  const root = packageRoot();
  app.setBaseViewsDir(join(root, 'views'));
  app.setViewEngine('hbs');
  hbs.registerPartials(join(root, 'views', 'partials'));
  registerViewHelpers(hbs);
  app.set('view options', { layout: 'layouts/main' });
  // Compiled templates are kept in memory except while developing them.
  app.set('view cache', env.NODE_ENV !== 'development');
  app.useStaticAssets(join(root, 'views', 'assets'), { prefix: '/assets/', maxAge: '1d' });
  // Fedora's typefaces, self-hosted from their npm packages (no font CDN).
  for (const font of ['red-hat-display', 'red-hat-text']) {
    app.useStaticAssets(
      join(dirname(require.resolve(`@fontsource/${font}/package.json`)), 'files'),
      {
        prefix: `/assets/fonts/${font}/`,
        maxAge: '30d',
        immutable: true,
      },
    );
  }
  // Badge art keeps Tahrir's URLs: /pngs/<file> (PNG or SVG). Uploaded SVG is served from
  // this origin: opened on its own it must not run anything (uploads are checked too).
  for (const dir of artDirs(env, join(root, DEMO_ART))) {
    app.useStaticAssets(dir, {
      prefix: '/pngs/',
      maxAge: '1h',
      fallthrough: true,
      setHeaders: (res) => {
        res.setHeader(
          'Content-Security-Policy',
          "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        );
        res.setHeader('X-Content-Type-Options', 'nosniff');
      },
    });
  }

  // Sessions, `req.user`, view locals and rate limits: after static files (which need no
  // session), before every route (the page cache must see who is logged in).
  installAuth(app, env);

  const docs = new DocumentBuilder()
    .setTitle('Accolades API')
    .setDescription(
      'Fedora Badges: badges, people, awards and leaderboards. Reads are public; writes need ' +
        '`Authorization: Bearer <token>`. Errors are `{ statusCode, code, message }`.',
    )
    .setVersion(packageVersion())
    .addBearerAuth()
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, docs), {
    jsonDocumentUrl: 'api/docs/openapi.json',
  });
  return app;
}
