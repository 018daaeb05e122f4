import { packageVersion } from '../../src/common/version';
import { createTestApp, type TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

describe('service basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('is live and ready with the database answering', async () => {
    await t.http().get('/healthz/live').expect(200, { status: 'ok' });
    const ready = await t.http().get('/healthz/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', checks: { database: { ok: true } } });
    expect(ready.body.version).toBe(packageVersion());
  });

  it('echoes a correlation id, or makes one', async () => {
    const given = await t.http().get('/healthz/live').set('X-Request-Id', 'abc-123').expect(200);
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await t.http().get('/healthz/live').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('documents the API with OpenAPI', async () => {
    const res = await t.http().get('/api/docs/openapi.json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/v1/badges',
      '/api/v1/badges/{id}',
      '/api/v1/badges/{id}/holders',
      '/api/v1/tags',
      '/api/v1/series',
      '/api/v1/series/{id}',
      '/api/v1/users/{nickname}',
      '/api/v1/users/{nickname}/assertions',
      '/api/v1/users/{nickname}/progress',
      '/api/v1/leaderboard',
      '/api/v1/assertions',
    ]) {
      expect(res.body.paths).toHaveProperty([path]);
    }
    expect(res.body.components.securitySchemes).toHaveProperty('bearer');
  });

  it('answers unknown API routes with a JSON 404 and pages with an HTML one', async () => {
    const api = await t.http().get('/api/v1/nothing-here').expect(404);
    expect(api.body).toMatchObject({ statusCode: 404, code: 'ROUTE.NOT_FOUND' });
    const page = await t.http().get('/nothing-here').set('Accept', 'text/html').expect(404);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('Not found');
  });

  it('refuses a body over the limit (2 MB) with a 413', async () => {
    const res = await t
      .http()
      .post('/api/v1/assertions')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ badge_id: 'x'.repeat(3_000_000), nickname: 'y' }));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('REQUEST.TOO_LARGE');
  });

  it('refuses malformed JSON with a 400, not a 500', async () => {
    const res = await t
      .http()
      .post('/api/v1/assertions')
      .set('Authorization', 'Bearer x')
      .set('Content-Type', 'application/json')
      .send('{"badge_id": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'REQUEST.INVALID' });
    expect(res.body.message).toMatch(/JSON/);
  });
});

describe('readiness when the database goes away', () => {
  it('answers 503 naming the database, and recovers when it returns', async () => {
    const db = await createTestDatabase('postgres');
    const t = await createTestApp({ db });
    try {
      await t.http().get('/healthz/ready').expect(200);
      // Point the app at a database that refuses connections by killing its sessions and
      // forbidding new ones, then allow them again.
      const { Client } = await import('pg');
      const admin = new Client({ connectionString: db.url!.replace(/\/[^/]+$/, '/postgres') });
      await admin.connect();
      const name = new URL(db.url!).pathname.slice(1);
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`,
        [name],
      );
      const down = await t.http().get('/healthz/ready').expect(503);
      expect(down.body.status).toBe('unavailable');
      expect(down.body.checks.database.ok).toBe(false);
      await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`);
      await admin.end();
      await t.http().get('/healthz/ready').expect(200);
    } finally {
      await t.close();
      await db.drop();
    }
  });
});
