import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who issues badges (Open Badges issuer profile). */
@Entity({ name: 'issuers' })
export class Issuer {
  @PrimaryGeneratedColumn()
  id: number;

  /** The issuer's web origin, e.g. https://fedoraproject.org */
  @Column({ type: 'text' })
  origin: string;

  @Column({ type: 'varchar' })
  name: string;

  @Column({ type: 'text' })
  org: string;

  @Column({ type: 'text' })
  contact: string;

  @Column({ type: 'text', nullable: true })
  image: string | null;

  @Column({ name: 'created_on', type: 'timestamptz', default: () => 'now()' })
  createdOn: Date;
}
