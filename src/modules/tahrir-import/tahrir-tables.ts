/**
 * How each Tahrir table maps onto Accolades: the key that identifies a source row, the
 * columns (with the SQL, run on the source, that converts each value), what the import owns
 * in a target row, which rows it refers to, and which target constraints it may meet.
 *
 * Source expressions use the alias `x` for the Tahrir row. Target expressions use the alias
 * given to the helper. Values travel as COPY text, so every source expression yields a value
 * whose text the target column type accepts.
 */

export interface ColumnSpec {
  /** Target column. */
  name: string;
  /** Its type in the target (the staging table uses it, so both render alike). */
  type: string;
  /** Source SQL (alias x) for the value written. */
  src: string;
  /**
   * The import owns the column: it writes it on updates and hashes it to detect edits made
   * in Accolades. Columns Tahrir does not have (badges.updated_on, issuers.image) or that
   * Accolades keeps current itself (persons.last_login) are not owned.
   */
  owned?: boolean;
}

export interface ParentRef {
  /** Columns of this table... */
  cols: string[];
  /** ...referring to this target table's... */
  target: string;
  /** ...columns. */
  refCols: string[];
  /** For messages: "badge", "person". */
  what: string;
}

export interface TableSpec {
  /** Tahrir's table. */
  source: string;
  /** Accolades' table. */
  target: string;
  /** For messages, singular. */
  label: string;
  /** Source SQL (alias x) of the row's key, as text. Tahrir's ids are kept as they are. */
  key: string;
  /**
   * The key is Tahrir's primary key column `id`, of this type: rows are then looked up by
   * key through its index (other tables are scanned to find them).
   */
  sourceId?: 'integer' | 'text';
  /** Target primary key columns. */
  pk: string[];
  /** Target SQL giving the key text of a target row. */
  keyOf(alias: string): string;
  /** Target SQL giving each primary key column from a key text expression. */
  pkOfKey(key: string): string[];
  /** Tahrir columns that make up the row hash: the ones imported (persons.rank is not). */
  hashed: string[];
  columns: ColumnSpec[];
  /** Extra assignments on update (aliases t = target row, s = staged row). */
  onUpdate?: Record<string, string>;
  parents: ParentRef[];
  /**
   * Unique columns naming an entity: a row created in Accolades with the same value is a
   * conflict that stops the run (two different persons cannot share an email).
   */
  identity: string[][];
  /**
   * Unique columns stating a fact (this person holds this badge): when Accolades holds the
   * same fact already its row is kept and the Tahrir row skipped; two Tahrir rows with the
   * same fact import once, the first by `order` (SQL over the staged row s).
   */
  fact?: { cols: string[]; order: string };
  /** A serial primary key column whose sequence must stay ahead of Tahrir's ids. */
  serial?: string;
  /** The table has the derived-figure triggers (bulk loads may switch them off). */
  triggers?: boolean;
}

const utc = (col: string) => `(x.${col} AT TIME ZONE 'UTC')`;

/**
 * Tahrir's tags: one comma-separated string ("a,b,c," with a trailing comma, sometimes
 * spaces and repeats) to a list trimmed, lower-cased and unique in first-seen order, as
 * normalizeTags does for tags entered in Accolades.
 */
export const tagsSql = (col: string) =>
  `ARRAY(SELECT v.tag FROM (
      SELECT lower(btrim(u.part, E' \\t\\r\\n')) AS tag, min(u.n) AS n
        FROM unnest(string_to_array(coalesce(${col}, ''), ',')) WITH ORDINALITY AS u(part, n)
       GROUP BY 1) v
    WHERE v.tag <> '' ORDER BY v.n)`;

const intKey = {
  sourceId: 'integer' as const,
  keyOf: (a: string) => `${a}.id::text`,
  pkOfKey: (k: string) => [`(${k})::integer`],
  pk: ['id'],
};
const textKey = {
  sourceId: 'text' as const,
  keyOf: (a: string) => `${a}.id`,
  pkOfKey: (k: string) => [k],
  pk: ['id'],
};

const col = (name: string, type: string, src = `x.${name}`, owned = true): ColumnSpec => ({
  name,
  type,
  src,
  owned,
});

const badgeRef: ParentRef = {
  cols: ['badge_id'],
  target: 'badges',
  refCols: ['id'],
  what: 'badge',
};
const personRef: ParentRef = {
  cols: ['person_id'],
  target: 'persons',
  refCols: ['id'],
  what: 'person',
};

/** In dependency order: parents before the rows that refer to them. */
export const TABLES: TableSpec[] = [
  {
    source: 'issuers',
    target: 'issuers',
    label: 'issuer',
    key: 'x.id::text',
    ...intKey,
    hashed: ['id', 'origin', 'name', 'org', 'contact', 'created_on'],
    columns: [
      col('id', 'integer'),
      col('origin', 'text'),
      col('name', 'varchar'),
      col('org', 'text'),
      col('contact', 'text'),
      col('image', 'text', 'NULL', false),
      col('created_on', 'timestamptz', utc('created_on')),
    ],
    parents: [],
    identity: [['name']],
    serial: 'id',
  },
  {
    source: 'badges',
    target: 'badges',
    label: 'badge',
    key: 'x.id',
    ...textKey,
    hashed: [
      'id',
      'name',
      'image',
      'stl',
      'description',
      'criteria',
      'issuer_id',
      'created_on',
      'tags',
    ],
    columns: [
      col('id', 'varchar'),
      col('name', 'varchar'),
      col('image', 'text'),
      col('stl', 'text'),
      col('description', 'text'),
      col('criteria', 'text'),
      col('issuer_id', 'integer'),
      col('tags', 'text[]', tagsSql('x.tags')),
      col('created_on', 'timestamptz', utc('created_on')),
      col('updated_on', 'timestamptz', utc('created_on'), false),
    ],
    onUpdate: { updated_on: 'now()' },
    parents: [{ cols: ['issuer_id'], target: 'issuers', refCols: ['id'], what: 'issuer' }],
    identity: [['name']],
  },
  {
    source: 'team',
    target: 'teams',
    label: 'team',
    key: 'x.id',
    ...textKey,
    hashed: ['id', 'name', 'created_on'],
    columns: [
      col('id', 'varchar'),
      col('name', 'varchar'),
      col('created_on', 'timestamptz', utc('created_on')),
    ],
    parents: [],
    identity: [['name']],
  },
  {
    source: 'series',
    target: 'series',
    label: 'series',
    key: 'x.id',
    ...textKey,
    hashed: ['id', 'name', 'description', 'created_on', 'last_updated', 'tags', 'team_id'],
    columns: [
      col('id', 'varchar'),
      col('name', 'varchar'),
      col('description', 'text'),
      col('created_on', 'timestamptz', utc('created_on')),
      col('last_updated', 'timestamptz', utc('last_updated')),
      col('tags', 'text[]', tagsSql('x.tags')),
      col('team_id', 'varchar'),
    ],
    parents: [{ cols: ['team_id'], target: 'teams', refCols: ['id'], what: 'team' }],
    identity: [['name']],
  },
  {
    source: 'milestone',
    target: 'milestones',
    label: 'milestone',
    key: 'x.id::text',
    ...intKey,
    hashed: ['id', 'position', 'badge_id', 'series_id'],
    columns: [
      col('id', 'integer'),
      col('position', 'integer'),
      col('badge_id', 'varchar'),
      col('series_id', 'varchar'),
    ],
    parents: [badgeRef, { cols: ['series_id'], target: 'series', refCols: ['id'], what: 'series' }],
    identity: [],
    fact: { cols: ['series_id', 'badge_id'], order: 's.position NULLS LAST, s.id' },
    serial: 'id',
  },
  {
    source: 'persons',
    target: 'persons',
    label: 'person',
    key: 'x.id::text',
    ...intKey,
    hashed: [
      'id',
      'email',
      'nickname',
      'website',
      'bio',
      '_avatar',
      'created_on',
      'last_login',
      'opt_out',
    ],
    columns: [
      col('id', 'integer'),
      col('email', 'varchar'),
      col('nickname', 'varchar'),
      col('website', 'text'),
      col('bio', 'text'),
      col('avatar', 'text', 'x._avatar'),
      // Both columns came with alembic revision 3c7fd5b4e2c2 as nullable: a database built
      // by the migrations (rather than by create_all) may hold NULLs.
      col('created_on', 'timestamptz', `coalesce(${utc('created_on')}, '2013-06-26 00:00:00+00')`),
      col('last_login', 'timestamptz', utc('last_login'), false),
      col('opt_out', 'boolean', 'coalesce(x.opt_out, false)'),
    ],
    // Logins happen in both systems until the switch-over: the latest one wins.
    onUpdate: { last_login: 'greatest(t.last_login, s.last_login)' },
    parents: [],
    identity: [['email'], ['nickname']],
    serial: 'id',
    triggers: true,
  },
  {
    source: 'assertions',
    target: 'assertions',
    label: 'assertion',
    key: 'x.id',
    ...textKey,
    hashed: ['id', 'badge_id', 'person_id', 'salt', 'issued_on', 'issued_for', 'recipient'],
    columns: [
      col('id', 'varchar'),
      col('badge_id', 'varchar'),
      col('person_id', 'integer'),
      col('salt', 'varchar'),
      col('issued_on', 'timestamptz', utc('issued_on')),
      col('issued_for', 'text'),
      col('recipient', 'varchar'),
    ],
    parents: [badgeRef, personRef],
    identity: [],
    fact: { cols: ['badge_id', 'person_id'], order: 's.issued_on, s.key' },
    triggers: true,
  },
  {
    source: 'authorizations',
    target: 'authorizations',
    label: 'authorization',
    key: 'x.id::text',
    ...intKey,
    hashed: ['id', 'badge_id', 'person_id'],
    columns: [col('id', 'integer'), col('badge_id', 'varchar'), col('person_id', 'integer')],
    parents: [badgeRef, personRef],
    identity: [],
    fact: { cols: ['badge_id', 'person_id'], order: 's.id' },
    serial: 'id',
  },
  {
    source: 'invitations',
    target: 'invitations',
    label: 'invitation',
    key: 'x.id',
    ...textKey,
    hashed: ['id', 'badge_id', 'created_by', 'created_on', 'expires_on'],
    columns: [
      col('id', 'varchar'),
      col('badge_id', 'varchar'),
      col('created_by', 'integer'),
      col('created_on', 'timestamptz', utc('created_on')),
      col('expires_on', 'timestamptz', utc('expires_on')),
      col('revoked_on', 'timestamptz', 'NULL', false),
    ],
    parents: [
      badgeRef,
      { cols: ['created_by'], target: 'persons', refCols: ['id'], what: 'person' },
    ],
    identity: [],
  },
  {
    source: 'current_values',
    target: 'current_values',
    label: 'current value',
    // "<person>:<badge>": the person id has no colon, so the split is unambiguous.
    key: `x.person_id || ':' || x.badge_id`,
    pk: ['badge_id', 'person_id'],
    keyOf: (a) => `${a}.person_id || ':' || ${a}.badge_id`,
    pkOfKey: (k) => [`substr(${k}, strpos(${k}, ':') + 1)`, `split_part(${k}, ':', 1)::integer`],
    hashed: ['badge_id', 'person_id', 'value', 'last_update'],
    columns: [
      col('badge_id', 'varchar'),
      col('person_id', 'integer'),
      col('value', 'integer'),
      col('last_update', 'timestamptz', utc('last_update')),
    ],
    parents: [badgeRef, personRef],
    identity: [],
    fact: { cols: ['badge_id', 'person_id'], order: 's.key' },
  },
];

export const spec = (source: string): TableSpec => {
  const found = TABLES.find((t) => t.source === source);
  if (!found) throw new Error(`No Tahrir table ${source}`);
  return found;
};

/**
 * Source SQL (alias x) matching Tahrir's row of a key text expression through Tahrir's
 * primary key, which has the same columns as Accolades' in every table: a deleted row is
 * confirmed by it (xid-changes.ts).
 */
export function sourceRowOfKey(t: TableSpec, key: string): string {
  const pkOf = t.pkOfKey(key);
  return t.pk.map((c, i) => `x.${c} = ${pkOf[i]}`).join(' AND ');
}

/** Target tables whose rows refer to rows of this one. */
export function childrenOf(table: TableSpec): { child: TableSpec; ref: ParentRef }[] {
  return TABLES.flatMap((child) =>
    child.parents.filter((ref) => ref.target === table.target).map((ref) => ({ child, ref })),
  );
}

export const ownedColumns = (t: TableSpec) => t.columns.filter((c) => c.owned !== false);

/**
 * Hash of a target row's owned columns (or of a staged row: same column types, same text).
 * Compared with the hash stored when the import wrote the row, it tells whether someone
 * changed the row in Accolades since.
 */
export const targetHashSql = (t: TableSpec, alias: string) =>
  `hashtextextended(ROW(${ownedColumns(t)
    .map((c) => `${alias}.${c.name}`)
    .join(', ')})::text, 0)`;

/**
 * How rows are hashed on the source, per row and per bucket. PostgreSQL 14 and later hash a
 * row from its columns' binary values (hash_record_extended) and combine a bucket with
 * bit_xor; older servers hash the row's text and sum. (A server upgrade that changes the
 * scheme makes every bucket look changed once: the next run re-reads everything and writes
 * only what really differs.)
 */
export interface HashScheme {
  row(t: TableSpec): string;
  /** Aggregate combining row hashes into a bucket hash (runs on the source and the target). */
  combine: 'bit_xor' | 'sum';
}

export function hashScheme(serverVersionNum: number): HashScheme {
  const cols = (t: TableSpec) => t.hashed.map((c) => `x.${c}`).join(', ');
  return serverVersionNum >= 140000
    ? { row: (t) => `hash_record_extended(ROW(${cols(t)}), 0)`, combine: 'bit_xor' }
    : { row: (t) => `hashtextextended(ROW(${cols(t)})::text, 0)`, combine: 'sum' };
}

/** Equality of the primary keys of two aliases. */
export const pkEquals = (t: TableSpec, a: string, b: string) =>
  t.pk.map((c) => `${a}.${c} = ${b}.${c}`).join(' AND ');

/** Tahrir's supported schema versions (alembic revisions) and what they changed. */
export const SUPPORTED_REVISIONS: Record<string, string> = {
  '51261da641fb': 'current_values (2024)',
  '459d4cc47d13': 'index on assertions.issued_on (2025)',
  '53b73809290f': 'ON DELETE CASCADE on assertions.badge_id (2026)',
};

/** Source columns the import reads, per table (checked before reading anything). */
export function requiredSourceColumns(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of TABLES) {
    const cols = new Set(t.hashed);
    for (const c of t.columns) for (const m of c.src.matchAll(/x\.(\w+)/g)) cols.add(m[1]);
    out[t.source] = [...cols];
  }
  return out;
}

/**
 * An order to take tables in, parents still before the rows that refer to them, that
 * leaves the tables which wait (for a source query running on another connection) as late
 * as it can: the others are done meanwhile instead of after.
 */
export function waitingLast<T extends { t: TableSpec }>(items: T[], waits: (x: T) => boolean): T[] {
  const done = new Set<string>();
  const left = [...items];
  const order: T[] = [];
  while (left.length) {
    const ready = left.filter((x) => x.t.parents.every((ref) => done.has(ref.target)));
    const next = ready.find((x) => !waits(x)) ?? ready[0] ?? left[0];
    left.splice(left.indexOf(next), 1);
    done.add(next.t.target);
    order.push(next);
  }
  return order;
}
