import {
  childrenOf,
  hashScheme,
  requiredSourceColumns,
  spec,
  TABLES,
  waitingLast,
} from './tahrir-tables';

describe('Tahrir table mapping', () => {
  it('lists parents before the rows that refer to them', () => {
    const order = TABLES.map((t) => t.target);
    for (const t of TABLES) {
      for (const ref of t.parents) {
        expect([t.target, order.indexOf(ref.target) < order.indexOf(t.target)]).toEqual([
          t.target,
          true,
        ]);
      }
    }
  });

  it('knows which tables refer to a badge or a person', () => {
    const kids = (source: string) =>
      childrenOf(spec(source))
        .map((c) => `${c.child.target}.${c.ref.cols.join(',')}`)
        .sort();
    expect(kids('badges')).toEqual([
      'assertions.badge_id',
      'authorizations.badge_id',
      'current_values.badge_id',
      'invitations.badge_id',
      'milestones.badge_id',
    ]);
    expect(kids('persons')).toEqual([
      'assertions.person_id',
      'authorizations.person_id',
      'current_values.person_id',
      'invitations.created_by',
    ]);
  });

  it("reads Tahrir's own columns, _avatar included, rank not", () => {
    const cols = requiredSourceColumns();
    expect(cols.persons).toContain('_avatar');
    expect(cols.persons).not.toContain('rank');
    expect(cols.badges).toContain('tags');
    expect(cols.current_values.sort()).toEqual(['badge_id', 'last_update', 'person_id', 'value']);
  });

  it('keys a current value by person and badge, and splits the key back', () => {
    const cv = spec('current_values');
    expect(cv.pkOfKey('k')).toEqual([
      `substr(k, strpos(k, ':') + 1)`,
      `split_part(k, ':', 1)::integer`,
    ]);
    expect(cv.pk).toEqual(['badge_id', 'person_id']);
  });

  it('hashes rows from their values on PostgreSQL 14+, from their text before', () => {
    const t = spec('team');
    expect(hashScheme(150004)).toMatchObject({ combine: 'bit_xor' });
    expect(hashScheme(150004).row(t)).toBe(
      'hash_record_extended(ROW(x.id, x.name, x.created_on), 0)',
    );
    expect(hashScheme(130011)).toMatchObject({ combine: 'sum' });
    expect(hashScheme(130011).row(t)).toContain('::text');
  });

  it('leaves the tables that wait for the source last, after their parents', () => {
    const items = TABLES.map((t) => ({ t }));
    const waiting = new Set(['persons', 'assertions']);
    const order = waitingLast(items, (x) => waiting.has(x.t.source)).map((x) => x.t.source);
    expect(order).toEqual([
      'issuers',
      'badges',
      'team',
      'series',
      'milestone',
      'persons',
      'authorizations',
      'invitations',
      'current_values',
      'assertions',
    ]);
    expect(waitingLast(items, () => false)).toEqual(items);
  });
});
