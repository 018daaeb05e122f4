import { credentialProblems, DATE_TIME_Z, OB3_CONTEXT, VC_V2_CONTEXT } from './ob3.model';

function good(): Record<string, unknown> {
  return {
    '@context': [VC_V2_CONTEXT, OB3_CONTEXT],
    id: 'https://b.example/openbadges/v3/credentials/1',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Hello Fedora',
    issuer: { id: 'https://b.example/openbadges/v3/issuers/1', type: ['Profile'], name: 'Fedora' },
    validFrom: '2024-05-01T10:00:00Z',
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [
        {
          type: 'IdentityObject',
          identityHash: `sha256$${'ab'.repeat(32)}`,
          identityType: 'emailAddress',
          hashed: true,
          salt: 's',
        },
      ],
      achievement: {
        id: 'https://b.example/openbadges/v3/achievements/hello',
        type: ['Achievement'],
        name: 'Hello Fedora',
        description: 'Said hello',
        criteria: { id: 'https://b.example/criteria' },
        image: { id: 'https://b.example/pngs/hello.svg', type: 'Image' },
      },
    },
  };
}

type Edit = (c: Record<string, any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Open Badges 3.0 required fields', () => {
  it('finds nothing wrong with a complete credential', () => {
    expect(credentialProblems(good())).toEqual([]);
  });

  it.each<[string, Edit, RegExp]>([
    ['the VC 2.0 context first', (c) => (c['@context'] = [OB3_CONTEXT]), /start with/],
    ['the OB 3.0 context', (c) => (c['@context'] = [VC_V2_CONTEXT]), /Open Badges 3.0 context/],
    ['an id', (c) => delete c.id, /^id must/],
    ['VerifiableCredential', (c) => (c.type = ['OpenBadgeCredential']), /VerifiableCredential/],
    ['OpenBadgeCredential', (c) => (c.type = ['VerifiableCredential']), /OpenBadgeCredential/],
    ['a name', (c) => delete c.name, /name is required/],
    ['an issuer', (c) => delete c.issuer, /issuer is required/],
    ['a Profile issuer', (c) => (c.issuer.type = ['Issuer']), /Profile/],
    ['validFrom', (c) => delete c.validFrom, /validFrom/],
    ['a time zone in validFrom', (c) => (c.validFrom = '2024-05-01T10:00:00'), /time zone/],
    ['a subject type', (c) => (c.credentialSubject.type = ['Person']), /AchievementSubject/],
    ['an id or identifier', (c) => delete c.credentialSubject.identifier, /id or an identifier/],
    [
      'the sha256$ identity format',
      (c) => (c.credentialSubject.identifier[0].identityHash = 'abc'),
      /sha256\$/,
    ],
    [
      'hashed as a boolean',
      (c) => (c.credentialSubject.identifier[0].hashed = 'yes'),
      /hashed must be a boolean/,
    ],
    [
      'an identityType',
      (c) => delete c.credentialSubject.identifier[0].identityType,
      /identityType/,
    ],
    ['an achievement', (c) => delete c.credentialSubject.achievement, /achievement is required/],
    ['an achievement id', (c) => delete c.credentialSubject.achievement.id, /achievement.id/],
    [
      'an Achievement type',
      (c) => (c.credentialSubject.achievement.type = ['Badge']),
      /achievement.type/,
    ],
    ['an achievement name', (c) => delete c.credentialSubject.achievement.name, /achievement.name/],
    [
      'an achievement description',
      (c) => delete c.credentialSubject.achievement.description,
      /achievement.description/,
    ],
    ['criteria', (c) => (c.credentialSubject.achievement.criteria = {}), /criteria/],
    [
      'an Image type on the image',
      (c) => (c.credentialSubject.achievement.image = { id: 'https://x/y.png' }),
      /image.type must be Image/,
    ],
  ])('requires %s', (_what, edit, problem) => {
    const c = good();
    edit(c);
    const problems = credentialProblems(c);
    expect(problems.some((p) => problem.test(p))).toBe(true);
  });

  it.each([
    ['2024-05-01T10:00:00Z', true],
    ['2024-05-01T10:00:00.123Z', true],
    ['2024-05-01T12:00:00+02:00', true],
    ['2024-05-01T10:00:00', false],
    ['2024-05-01', false],
  ])('reads %s as a date-time with a time zone: %s', (value, ok) => {
    expect(DATE_TIME_Z.test(value)).toBe(ok);
  });
});
