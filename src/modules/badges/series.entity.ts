import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A ladder of badges (Tester 1, 5, 10, 20, 40...). */
@Entity({ name: 'series' })
export class Series {
  @PrimaryColumn({ type: 'varchar' })
  id: string;

  @Column({ type: 'varchar' })
  name: string;

  @Column({ type: 'text' })
  description: string;

  @Column({ name: 'created_on', type: 'timestamptz', default: () => 'now()' })
  createdOn: Date;

  @Column({ name: 'last_updated', type: 'timestamptz', default: () => 'now()' })
  lastUpdated: Date;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ name: 'team_id', type: 'varchar', nullable: true })
  teamId: string | null;
}
