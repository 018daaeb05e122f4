import type { ExecutionContext } from '@nestjs/common';
import { DomainError } from '../../common/errors/domain-error';
import { CsrfGuard } from './csrf';

function ctx(req: object): ExecutionContext {
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

const COOKIE = { cookie: 'other=1; accolades.sid=s%3Aabc' };

function request(o: {
  method?: string;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
  query?: Record<string, unknown>;
  session?: { csrfToken?: string };
}) {
  return {
    method: o.method ?? 'POST',
    headers: o.headers ?? {},
    body: o.body,
    query: o.query ?? {},
    session: o.session,
  };
}

describe('CsrfGuard', () => {
  const guard = new CsrfGuard();
  const session = { csrfToken: 'tok-123' };

  it.each([
    ['a GET', request({ method: 'GET', headers: COOKIE, session })],
    ['a POST without the session cookie', request({ headers: {}, session })],
    [
      'a bearer-token POST',
      request({ headers: { ...COOKIE, authorization: 'Bearer x' }, session }),
    ],
    ['the body field', request({ headers: COOKIE, body: { _csrf: 'tok-123' }, session })],
    ['the header', request({ headers: { ...COOKIE, 'x-csrf-token': 'tok-123' }, session })],
    ['the query', request({ headers: COOKIE, query: { _csrf: 'tok-123' }, session })],
  ])('lets through %s', (_, req) => {
    expect(guard.canActivate(ctx(req))).toBe(true);
  });

  it.each([
    ['no token', request({ headers: COOKIE, session })],
    ['a wrong token', request({ headers: COOKIE, body: { _csrf: 'tok-999' }, session })],
    ['a token of another length', request({ headers: COOKIE, body: { _csrf: 'tok' }, session })],
    ['a cookie whose session is gone', request({ headers: COOKIE, body: { _csrf: 'tok-123' } })],
    ['a DELETE without token', request({ method: 'DELETE', headers: COOKIE, session })],
  ])('refuses %s with AUTH.CSRF', (_, req) => {
    let err: unknown;
    try {
      guard.canActivate(ctx(req));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('AUTH.CSRF');
    expect((err as DomainError).kind).toBe('forbidden');
  });

  it('removes the checked token so DTOs never see it', () => {
    const req = request({
      headers: COOKIE,
      body: { _csrf: 'tok-123', name: 'x' },
      query: { _csrf: 'tok-123', page: '2' },
      session,
    });
    guard.canActivate(ctx(req));
    expect(req.body).toEqual({ name: 'x' });
    expect(req.query).toEqual({ page: '2' });
  });
});
