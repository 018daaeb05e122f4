import { EXIT } from '../exit-codes';
import { ApiClient, ApiError, seg } from './api-client';

/** A fetch that answers every request with one response, and records what it was asked. */
function answering(status: number, body: unknown, contentType = 'application/json') {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: URL, init: RequestInit) => {
    calls.push({ url: String(url), init });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, {
      status,
      headers: { 'content-type': contentType },
    });
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

const failing = (cause: unknown) =>
  (async () => {
    throw Object.assign(new TypeError('fetch failed'), { cause });
  }) as unknown as typeof fetch;

describe('ApiClient', () => {
  const url = 'http://127.0.0.1:3000';

  it('sends the bearer token and JSON, and builds the query (lists joined by commas)', async () => {
    const { calls, fetchImpl } = answering(200, { ok: true });
    const api = new ApiClient({ url, token: 'acc_x' }, fetchImpl);
    await api.get('/api/v1/badges', { tag: ['qa', 'bodhi'], page: 2, q: undefined });
    await api.post('/api/v1/assertions', { badge_id: 'b' });
    expect(calls[0].url).toBe(`${url}/api/v1/badges?tag=qa%2Cbodhi&page=2`);
    expect(calls[0].init.headers).toEqual({
      accept: 'application/json',
      authorization: 'Bearer acc_x',
    });
    expect(calls[1].init).toMatchObject({ method: 'POST', body: '{"badge_id":"b"}' });
    expect(calls[1].init.headers).toMatchObject({ 'content-type': 'application/json' });
  });

  it.each([
    [404, 'BADGE.NOT_FOUND', EXIT.NOT_FOUND],
    [403, 'AUTH.FORBIDDEN', EXIT.FORBIDDEN],
    [409, 'BADGE.ALREADY_EXISTS', EXIT.CONFLICT],
    [500, 'INTERNAL', EXIT.SERVER],
  ])('turns HTTP %i into the API code and exit code %s', async (status, code, exit) => {
    const { fetchImpl } = answering(status, { statusCode: status, code, message: 'Nope.' });
    const err = await new ApiClient({ url, token: 't' }, fetchImpl).get('/x').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status, code, exitCode: exit, message: `Nope. (${code})` });
  });

  it('says how to log in on a 401 without a token, and to log in again with a refused one', async () => {
    const body = { statusCode: 401, code: 'AUTH.REQUIRED', message: 'Needs a token.' };
    const anonymous = new ApiClient({ url, token: null }, answering(401, body).fetchImpl);
    await expect(anonymous.get('/api/v1/me')).rejects.toThrow(
      `not logged in to ${url}: run accolades login, or set ACCOLADES_TOKEN (AUTH.REQUIRED)`,
    );
    const refused = {
      ...body,
      code: 'AUTH.INVALID_TOKEN',
      message: 'The bearer token is not valid.',
    };
    const stale = new ApiClient({ url, token: 'old' }, answering(401, refused).fetchImpl);
    await expect(stale.get('/api/v1/me')).rejects.toThrow(
      `the token was refused by ${url}: The bearer token is not valid. Run accolades login again. (AUTH.INVALID_TOKEN)`,
    );
  });

  it('lists the errors of each field instead of repeating them on one line', async () => {
    const { fetchImpl } = answering(400, {
      statusCode: 400,
      code: 'REQUEST.INVALID',
      message: 'Invalid request: name (too long), tags (not a list)',
      errors: [
        { field: 'name', errors: ['too long'] },
        { field: 'tags', errors: ['not a list', 'empty'] },
      ],
    });
    const err = (await new ApiClient({ url, token: 't' }, fetchImpl)
      .post('/x', {})
      .catch((e: unknown) => e)) as ApiError;
    expect(err.message).toBe(
      'the server refused the request (REQUEST.INVALID)\n  name: too long\n  tags: not a list; empty',
    );
    expect(err.exitCode).toBe(EXIT.USAGE);
  });

  it('reads the body of an accepted error status (readiness answers 503 with one)', async () => {
    const { fetchImpl } = answering(503, { status: 'unavailable' });
    const api = new ApiClient({ url, token: null }, fetchImpl);
    await expect(api.get('/healthz/ready', undefined, { accept: [503] })).resolves.toEqual({
      status: 'unavailable',
    });
  });

  it('says plainly when the server cannot be reached, or is not this API', async () => {
    const refused = new ApiClient({ url, token: null }, failing({ code: 'ECONNREFUSED' }));
    await expect(refused.get('/x')).rejects.toMatchObject({
      exitCode: EXIT.SERVER,
      message: `cannot reach ${url}: connection refused; is the service running?`,
    });
    const unknown = new ApiClient({ url, token: null }, failing({ code: 'ENOTFOUND' }));
    await expect(unknown.get('/x')).rejects.toThrow('unknown host');
    const html = new ApiClient(
      { url, token: null },
      answering(200, '<html>', 'text/html').fetchImpl,
    );
    await expect(html.get('/x')).rejects.toMatchObject({
      exitCode: EXIT.SERVER,
      message: `${url} did not answer as the Accolades API (HTTP 200, text/html)`,
    });
  });

  it('escapes path segments', () => {
    expect(seg('tester-i -> 12')).toBe('tester-i%20-%3E%2012');
  });
});
