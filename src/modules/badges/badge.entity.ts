import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'badges' })
export class Badge {
  /** The slug of the name; stable, it is in every badge URL. */
  @PrimaryColumn({ type: 'varchar' })
  id: string;

  @Column({ type: 'varchar' })
  name: string;

  /** A file name served under /pngs/, or an absolute URL. */
  @Column({ type: 'text' })
  image: string;

  @Column({ type: 'text', nullable: true })
  stl: string | null;

  @Column({ type: 'text' })
  description: string;

  /** URL of the criteria (the rule or the discussion). */
  @Column({ type: 'text' })
  criteria: string;

  @Column({ name: 'issuer_id', type: 'integer' })
  issuerId: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ name: 'created_on', type: 'timestamptz', default: () => 'now()' })
  createdOn: Date;

  @Column({ name: 'updated_on', type: 'timestamptz', default: () => 'now()' })
  updatedOn: Date;

  /** Times awarded; kept by a database trigger. */
  @Column({ name: 'holders_count', type: 'integer', default: 0, insert: false, update: false })
  holdersCount: number;

  /** Kept by a database trigger. */
  @Column({
    name: 'first_awarded_on',
    type: 'timestamptz',
    nullable: true,
    insert: false,
    update: false,
  })
  firstAwardedOn: Date | null;

  @Column({
    name: 'last_awarded_on',
    type: 'timestamptz',
    nullable: true,
    insert: false,
    update: false,
  })
  lastAwardedOn: Date | null;
}

/** A badge from a raw row of `badges` (for hand-written queries that join it). */
export function badgeFromRow(r: Record<string, unknown>, prefix = ''): Badge {
  const v = (k: string) => r[prefix + k];
  const date = (k: string) => (v(k) === null || v(k) === undefined ? null : new Date(v(k) as Date));
  return Object.assign(new Badge(), {
    id: v('id') as string,
    name: v('name') as string,
    image: v('image') as string,
    stl: (v('stl') as string | null) ?? null,
    description: v('description') as string,
    criteria: v('criteria') as string,
    issuerId: Number(v('issuer_id')),
    tags: (v('tags') as string[]) ?? [],
    createdOn: new Date(v('created_on') as Date),
    updatedOn: new Date(v('updated_on') as Date),
    holdersCount: Number(v('holders_count')),
    firstAwardedOn: date('first_awarded_on'),
    lastAwardedOn: date('last_awarded_on'),
  });
}

/** The columns of `badges` under a prefix, for `SELECT ${badgeColumns('b', 'b_')}`. */
export function badgeColumns(alias: string, prefix: string): string {
  return [
    'id',
    'name',
    'image',
    'stl',
    'description',
    'criteria',
    'issuer_id',
    'tags',
    'created_on',
    'updated_on',
    'holders_count',
    'first_awarded_on',
    'last_awarded_on',
  ]
    .map((c) => `${alias}.${c} AS ${prefix}${c}`)
    .join(', ');
}
