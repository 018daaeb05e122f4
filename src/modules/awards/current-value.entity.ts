import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A person's progress towards a badge they do not hold yet (usually a message count). */
@Entity({ name: 'current_values' })
export class CurrentValue {
  @PrimaryColumn({ name: 'badge_id', type: 'varchar' })
  badgeId: string;

  @PrimaryColumn({ name: 'person_id', type: 'integer' })
  personId: number;

  @Column({ type: 'integer' })
  value: number;

  /** The value that earns the badge, when known. */
  @Column({ type: 'integer', nullable: true })
  target: number | null;

  @Column({ name: 'last_update', type: 'timestamptz', default: () => 'now()' })
  lastUpdate: Date;
}
