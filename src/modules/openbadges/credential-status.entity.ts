import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** One of an issuer's Bitstring Status Lists. */
@Entity({ name: 'status_lists' })
export class StatusList {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'issuer_id', type: 'integer' })
  issuerId: number;

  /** Positions handed out so far. */
  @Column({ type: 'integer', default: 0 })
  used: number;

  /** Moves whenever a bit of the list flips (database trigger). */
  @Column({ type: 'bigint', default: 0 })
  revision: string;

  @Column({ name: 'updated_on', type: 'timestamptz', default: () => 'now()' })
  updatedOn: Date;
}

/** Where an issued credential's revocation bit lives. */
@Entity({ name: 'credential_status' })
export class CredentialStatus {
  @PrimaryColumn({ name: 'assertion_id', type: 'varchar' })
  assertionId: string;

  @Column({ name: 'list_id', type: 'integer' })
  listId: number;

  @Column({ name: 'list_index', type: 'integer' })
  listIndex: number;

  /** Set by a database trigger when the assertion leaves. */
  @Column({ type: 'boolean', default: false })
  revoked: boolean;

  @Column({ name: 'created_on', type: 'timestamptz', default: () => 'now()' })
  createdOn: Date;
}
