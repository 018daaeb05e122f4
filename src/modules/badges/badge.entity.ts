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
