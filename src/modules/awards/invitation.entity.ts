import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An expiring claim code for a badge (shown as a link or QR code at events). */
@Entity({ name: 'invitations' })
export class Invitation {
  @PrimaryColumn({ type: 'varchar' })
  id: string;

  @Column({ name: 'badge_id', type: 'varchar' })
  badgeId: string;

  @Column({ name: 'created_by', type: 'integer' })
  createdBy: number;

  @Column({ name: 'created_on', type: 'timestamptz', default: () => 'now()' })
  createdOn: Date;

  @Column({ name: 'expires_on', type: 'timestamptz' })
  expiresOn: Date;

  @Column({ name: 'revoked_on', type: 'timestamptz', nullable: true })
  revokedOn: Date | null;
}
