import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../exit-codes';
import { badgeFromYaml, mergeDraft, pickIssuer, tagList } from './badge-file';

describe('badge files', () => {
  it('reads a badge description', () => {
    const text = [
      'name: Flock 2026',
      'description: Attended Flock 2026.',
      'image: flock-2026.png',
      'criteria: https://flocktofedora.org',
      'tags: [event, flock]',
      'issuer: 2',
    ].join('\n');
    expect(badgeFromYaml(text, 'flock.yml')).toEqual({
      name: 'Flock 2026',
      description: 'Attended Flock 2026.',
      image: 'flock-2026.png',
      criteria: 'https://flocktofedora.org',
      tags: ['event', 'flock'],
      issuer: 2,
    });
  });

  it('reads a rule file of the Collection as the rules loader would make its badge', () => {
    const file = join(__dirname, '../../demo/collection/rules/steady-tester.yml');
    expect(badgeFromYaml(readFileSync(file, 'utf8'), file)).toEqual({
      name: 'Steady Tester',
      description: 'Commented on 5 package updates in Bodhi.',
      image: 'steady-tester.svg',
      criteria: 'https://example.org/accolades/demo/steady-tester',
      issuer: 'accolades-demo',
    });
  });

  it('refuses what is not a YAML mapping', () => {
    expect(() => badgeFromYaml('- a\n- b\n', 'x.yml')).toThrow(
      expect.objectContaining({ exitCode: EXIT.USAGE, message: expect.stringContaining('x.yml') }),
    );
    expect(() => badgeFromYaml('name: [', 'x.yml')).toThrow(/x.yml: not YAML/);
  });

  it('lets flags win over the file', () => {
    expect(
      mergeDraft({ name: 'A', tags: ['x'] }, { name: undefined, tags: [], description: 'D' }),
    ).toEqual({ name: 'A', tags: [], description: 'D' });
  });

  it('splits comma tags', () => {
    expect(tagList('qa, bodhi,,')).toEqual(['qa', 'bodhi']);
    expect(tagList(undefined)).toBeUndefined();
  });
});

describe('pickIssuer', () => {
  const issuers = [
    { id: 1, name: 'Fedora Project' },
    { id: 7, name: 'Accolades Demo' },
  ];

  it('finds an issuer by id, name or slug', () => {
    expect(pickIssuer(7, issuers)).toBe(7);
    expect(pickIssuer('7', issuers)).toBe(7);
    expect(pickIssuer('fedora project', issuers)).toBe(1);
    expect(pickIssuer('accolades-demo', issuers)).toBe(7);
  });

  it('takes the only issuer when none is named, and otherwise asks', () => {
    expect(pickIssuer(undefined, [issuers[0]])).toBe(1);
    expect(() => pickIssuer(undefined, issuers)).toThrow(
      expect.objectContaining({
        exitCode: EXIT.USAGE,
        message: expect.stringContaining('1 (Fedora Project)'),
      }),
    );
    expect(() => pickIssuer('nope', issuers)).toThrow(
      expect.objectContaining({ exitCode: EXIT.NOT_FOUND }),
    );
  });
});
