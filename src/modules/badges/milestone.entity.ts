import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** The position of a badge in a series. */
@Entity({ name: 'milestones' })
export class Milestone {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'integer', nullable: true })
  position: number | null;

  @Column({ name: 'badge_id', type: 'varchar' })
  badgeId: string;

  @Column({ name: 'series_id', type: 'varchar' })
  seriesId: string;
}
