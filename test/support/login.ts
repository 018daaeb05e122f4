import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import request from 'supertest';
import { providerFor, type TestAccount } from './oidc';
import type { TestApp } from './test-app';

export type Agent = ReturnType<typeof request.agent>;

/** A port free right now (for an app whose redirect URL must be known before it starts). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/**
 * Logs in through the real login: the app's /login redirects to the test provider, whose
 * login and consent forms are submitted like a browser would, and the provider's redirect
 * comes back to the app's callback. Returns a supertest agent holding the session cookie.
 */
export async function loginAs(
  t: TestApp,
  who: { username: string; groups?: string[]; sub?: string },
  opts: { agent?: Agent; next?: string } = {},
): Promise<Agent> {
  const provider = providerFor(t.env.OIDC_ISSUER);
  const account = await provider.addAccount(who);
  const agent = opts.agent ?? request.agent(t.app.getHttpServer());
  const authorize = await startLogin(agent, opts.next ?? '/');
  const callback = await passProvider(authorize, account, provider.redirectUrl);
  const back = await agent.get(pathOf(callback));
  if (back.status !== 302) {
    throw new Error(`login callback answered ${back.status}: ${back.text.slice(0, 500)}`);
  }
  return agent;
}

/** GET /login on the app: the provider's authorization URL it redirects to. */
export async function startLogin(agent: Agent, next = '/'): Promise<string> {
  const res = await agent.get(`/login?next=${encodeURIComponent(next)}`);
  if (res.status !== 302)
    throw new Error(`/login answered ${res.status}: ${res.text.slice(0, 300)}`);
  return res.headers.location as string;
}

/** The path and query of an absolute URL (what supertest requests). */
export function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/**
 * At the provider, from its authorization URL to the redirect back to the app: follows
 * redirects and submits the development login form (the account's subject, any password)
 * and the consent form. Returns the callback URL with code and state.
 */
export async function passProvider(
  authorizeUrl: string,
  account: Pick<TestAccount, 'sub'>,
  redirectUrl: string,
): Promise<string> {
  const jar = new Map<string, string>();
  let url = authorizeUrl;
  let init: RequestInit = { method: 'GET' };
  for (let step = 0; step < 20; step++) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (value) jar.set(name, value);
      else jar.delete(name);
    }
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, url).toString();
      if (next.startsWith(redirectUrl)) return next;
      url = next;
      init = { method: 'GET' };
      continue;
    }
    const html = await res.text();
    if (res.status !== 200)
      throw new Error(`provider answered ${res.status}: ${html.slice(0, 500)}`);
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
    if (!form) throw new Error(`no form on the provider's page: ${html.slice(0, 500)}`);
    const fields = new URLSearchParams();
    for (const m of form[2].matchAll(/<input[^>]*>/gi)) {
      const name = /name="([^"]+)"/.exec(m[0])?.[1];
      const value = /value="([^"]*)"/.exec(m[0])?.[1] ?? '';
      if (!name) continue;
      if (name === 'login') fields.set(name, account.sub);
      else if (name === 'password') fields.set(name, 'any password');
      else fields.set(name, value);
    }
    url = new URL(form[1].replace(/&amp;/g, '&'), url).toString();
    init = {
      method: 'POST',
      body: fields.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  }
  throw new Error('the provider did not redirect back within 20 steps');
}

/** The CSRF token of the form(s) on a page the agent can see. */
export async function csrf(agent: Agent, path: string): Promise<string> {
  const res = await agent.get(path);
  const m = /name="_csrf" value="([^"]+)"/.exec(res.text);
  if (!m) throw new Error(`no CSRF token on ${path} (status ${res.status})`);
  return m[1];
}
