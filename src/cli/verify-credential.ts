import { readFile } from 'node:fs/promises';
import type { JWK } from 'jose';
import type { VerificationResult } from '../modules/openbadges/verifier';
import { CliError, EXIT } from './exit-codes';

const MAX_BYTES = 1024 * 1024;
const TIMEOUT_MS = 10_000;

/** Loopback hosts may use plain HTTP (a service under test); anything else needs HTTPS. */
function checkUrl(url: string, allowHttp: boolean): URL {
  const u = new URL(url);
  const loopback = /^(localhost|127(\.\d+){3}|\[::1\])$/.test(u.hostname);
  if (u.protocol === 'https:' || (u.protocol === 'http:' && (loopback || allowHttp))) return u;
  throw new Error(`refusing to fetch ${url}: only https (or http on this machine)`);
}

async function fetchText(url: string, accept: string, allowHttp: boolean): Promise<string> {
  const res = await fetch(checkUrl(url, allowHttp), {
    headers: { Accept: accept },
    redirect: 'follow',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_BYTES) throw new Error(`${url} is too large`);
  return text;
}

/** What a file or URL holds: a compact JWS, or JSON around one. */
function parseCredential(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const json = JSON.parse(trimmed) as { credential?: unknown };
    return json.credential ?? json;
  }
  return trimmed;
}

/**
 * Verifies a credential the way any verifier would: the issuer's key and status list are
 * fetched from the URLs the credential names (HTTPS, or HTTP on this machine).
 */
export async function verifyFromSource(
  source: string,
  opts: { allowHttp: boolean },
): Promise<VerificationResult> {
  const { verifyCredential } = await import('../modules/openbadges/verifier');
  let text: string;
  try {
    text = /^https?:\/\//i.test(source)
      ? await fetchText(source, 'application/vc+jwt, application/jwt', opts.allowHttp)
      : await readFile(source, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${source}: ${(err as Error).message}`, EXIT.NOT_FOUND);
  }
  return verifyCredential(parseCredential(text), {
    publicKey: async (kid) =>
      JSON.parse(
        await fetchText(kid, 'application/jwk+json, application/json', opts.allowHttp),
      ) as JWK,
    statusList: (url) => fetchText(url, 'application/vc+jwt, application/jwt', opts.allowHttp),
  });
}
