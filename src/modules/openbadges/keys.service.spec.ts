import { generateKeyPairSync } from 'node:crypto';
import type { JWK } from 'jose';
import { algOf, parseConfiguredKey, publicJwkOf } from './keys.service';

const pem = (type: 'rsa' | 'ec' | 'ed25519', opts: object = {}) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (generateKeyPairSync as any)(type, opts)
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString() as string;

describe('configured signing keys', () => {
  it.each([
    ['an RSA 2048 PEM', pem('rsa', { modulusLength: 2048 }), 'RS256'],
    ['a P-256 PEM', pem('ec', { namedCurve: 'P-256' }), 'ES256'],
    ['an Ed25519 PEM', pem('ed25519'), 'EdDSA'],
  ])('reads %s and signs with %s', (_what, text, alg) => {
    const jwk = parseConfiguredKey(text);
    expect(algOf(jwk)).toBe(alg);
    expect(jwk.d).toEqual(expect.any(String));
  });

  it('reads a private JWK', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = privateKey.export({ format: 'jwk' });
    expect(parseConfiguredKey(`  ${JSON.stringify(jwk)}\n`)).toEqual(jwk);
  });

  it.each([
    ['an RSA key under 2048 bits', pem('rsa', { modulusLength: 1024 }), /2048 bits or more/],
    ['a P-384 key', pem('ec', { namedCurve: 'P-384' }), /unsupported key type EC \(P-384\)/],
    ['a public key', JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'abc' }), /no private key/],
    ['garbage', 'not a key', /./],
  ])('refuses %s', (_what, text, message) => {
    expect(() => parseConfiguredKey(text)).toThrow(message);
  });

  it('never publishes private members', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pub = publicJwkOf(privateKey.export({ format: 'jwk' }) as JWK);
    expect(Object.keys(pub).sort()).toEqual(['e', 'kty', 'n']);
  });
});
