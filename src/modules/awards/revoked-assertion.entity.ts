import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A revoked award, kept so its Open Badges URL can answer 410 Gone with the reason. */
@Entity({ name: 'revoked_assertions' })
export class RevokedAssertion {
  @PrimaryColumn({ type: 'varchar' })
  id: string;

  @Column({ name: 'badge_id', type: 'varchar' })
  badgeId: string;

  @Column({ name: 'person_id', type: 'integer', nullable: true })
  personId: number | null;

  @Column({ type: 'varchar' })
  salt: string;

  @Column({ name: 'issued_on', type: 'timestamptz' })
  issuedOn: Date;

  @Column({ name: 'issued_for', type: 'text', nullable: true })
  issuedFor: string | null;

  @Column({ type: 'varchar' })
  recipient: string;

  @Column({ name: 'revoked_on', type: 'timestamptz', default: () => 'now()' })
  revokedOn: Date;

  @Column({ type: 'text', default: '' })
  reason: string;
}
