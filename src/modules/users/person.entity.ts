import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A Fedora contributor (Tahrir's `persons`). */
@Entity({ name: 'persons' })
export class Person {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar' })
  email: string;

  /** The Fedora account name; Tahrir allowed persons without one. */
  @Column({ type: 'varchar', nullable: true })
  nickname: string | null;

  @Column({ type: 'text', nullable: true })
  website: string | null;

  @Column({ type: 'text', nullable: true })
  bio: string | null;

  @Column({ type: 'text', nullable: true })
  avatar: string | null;

  @Column({ name: 'created_on', type: 'timestamptz', default: () => 'now()' })
  createdOn: Date;

  @Column({ name: 'last_login', type: 'timestamptz', nullable: true })
  lastLogin: Date | null;

  @Column({ name: 'opt_out', type: 'boolean', default: false })
  optOut: boolean;

  /** Kept by a database trigger; never written by the application. */
  @Column({ name: 'badge_count', type: 'integer', default: 0, insert: false, update: false })
  badgeCount: number;
}

/** A person from a raw `persons` row (RETURNING *), without a second read. */
export function personFromRow(r: Record<string, unknown>): Person {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as Date));
  return Object.assign(new Person(), {
    id: Number(r.id),
    email: r.email as string,
    nickname: (r.nickname as string | null) ?? null,
    website: (r.website as string | null) ?? null,
    bio: (r.bio as string | null) ?? null,
    avatar: (r.avatar as string | null) ?? null,
    createdOn: new Date(r.created_on as Date),
    lastLogin: date(r.last_login),
    optOut: Boolean(r.opt_out),
    badgeCount: Number(r.badge_count),
  });
}
