import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An award of a badge to a person (an Open Badges assertion). */
@Entity({ name: 'assertions' })
export class Assertion {
  /** Tahrir's ids ("<badge> -> <person>") are kept on import; new awards get a UUID. */
  @PrimaryColumn({ type: 'varchar' })
  id: string;

  @Column({ name: 'badge_id', type: 'varchar' })
  badgeId: string;

  @Column({ name: 'person_id', type: 'integer' })
  personId: number;

  @Column({ type: 'varchar' })
  salt: string;

  @Column({ name: 'issued_on', type: 'timestamptz' })
  issuedOn: Date;

  /** Link to the event that warranted the award. */
  @Column({ name: 'issued_for', type: 'text', nullable: true })
  issuedFor: string | null;

  /** Hex sha256 of the recipient's email followed by the salt. */
  @Column({ type: 'varchar' })
  recipient: string;
}
