import type { Assertion } from '../awards/assertion.entity';
import type { Badge } from '../badges/badge.entity';
import type { Issuer } from '../badges/issuer.entity';
import { assertionDocument, badgeClass, issuerProfile, isoSeconds } from './ob2.documents';
import type { OpenBadgesLinks } from './openbadges.links';

const links = {
  art: (image: string) => `https://b.example/pngs/${image}`,
  issuer: (id: number) => `https://b.example/openbadges/v2/issuers/${id}`,
  revocationList: (id: number) => `https://b.example/openbadges/v2/issuers/${id}/revocations`,
  badgeClass: (id: string) => `https://b.example/openbadges/v2/badges/${id}`,
  assertion: (id: string) => `https://b.example/openbadges/v2/assertions/${encodeURIComponent(id)}`,
  bakedImage: (id: string) =>
    `https://b.example/openbadges/v2/assertions/${encodeURIComponent(id)}/image`,
} as unknown as OpenBadgesLinks;

const assertion = (over: Partial<Assertion> = {}): Assertion => ({
  id: 'tester-i -> 12',
  badgeId: 'tester-i',
  personId: 12,
  salt: 'abc',
  recipient: 'f'.repeat(64),
  issuedOn: new Date('2013-07-01T12:34:56.789+02:00'),
  issuedFor: null,
  ...over,
});

describe('Open Badges 2.0 documents', () => {
  it('writes dates in UTC with a Z, to the second', () => {
    expect(isoSeconds(new Date('2013-07-01T12:34:56.789+02:00'))).toBe('2013-07-01T10:34:56Z');
    expect(assertionDocument(assertion(), links).issuedOn).toBe('2013-07-01T10:34:56Z');
  });

  it('publishes the stored hash as sha256$ with its salt, and an encoded id', () => {
    const doc = assertionDocument(assertion(), links);
    expect(doc.id).toBe('https://b.example/openbadges/v2/assertions/tester-i%20-%3E%2012');
    expect(doc.recipient).toEqual({
      type: 'email',
      hashed: true,
      salt: 'abc',
      identity: `sha256$${'f'.repeat(64)}`,
    });
  });

  it.each([
    ['https://bodhi.fedoraproject.org/updates/1', 'https://bodhi.fedoraproject.org/updates/1'],
    ['Helped at the booth', { narrative: 'Helped at the booth' }],
    [null, undefined],
    ['  ', undefined],
  ])('gives evidence %p as %p', (issuedFor, evidence) => {
    expect(assertionDocument(assertion({ issuedFor }), links).evidence).toEqual(evidence);
  });

  it('links criteria when they are a URL and narrates them otherwise', () => {
    const badge = (criteria: string) =>
      ({
        id: 'b',
        name: 'B',
        image: 'b.png',
        description: 'd',
        criteria,
        issuerId: 1,
        tags: [],
      }) as unknown as Badge;
    expect(badgeClass(badge('https://x.example/c'), links).criteria).toBe('https://x.example/c');
    expect(badgeClass(badge('Do the thing.'), links).criteria).toEqual({
      narrative: 'Do the thing.',
    });
  });

  it('gives the issuer email only when the contact is one', () => {
    const issuer = (contact: string) =>
      ({
        id: 1,
        name: 'Fedora',
        origin: 'https://fedoraproject.org',
        org: 'Fedora',
        contact,
        image: null,
      }) as Issuer;
    expect(issuerProfile(issuer('mailto:badges@fedoraproject.org'), links).email).toBe(
      'badges@fedoraproject.org',
    );
    expect(issuerProfile(issuer('#fedora-badges on Matrix'), links).email).toBeUndefined();
  });
});
