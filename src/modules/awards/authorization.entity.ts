import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A person who may grant a given badge. */
@Entity({ name: 'authorizations' })
export class Authorization {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'badge_id', type: 'varchar' })
  badgeId: string;

  @Column({ name: 'person_id', type: 'integer' })
  personId: number;
}
