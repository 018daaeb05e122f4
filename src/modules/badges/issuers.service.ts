import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../common/errors/domain-error';
import { AuditService } from '../auth/audit.service';
import type { Principal } from '../auth/principal';
import { issuerExists, issuerInUse, issuerNotFound } from './badges.errors';
import { Issuer } from './issuer.entity';

export interface IssuerFields {
  name: string;
  origin: string;
  org: string;
  contact: string;
  image?: string | null;
}

/**
 * Issuers. A change made by someone (`by`) is audited in its own transaction; the rules
 * and the demo create their issuer without `by`.
 */
@Injectable()
export class IssuersService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<Issuer[]> {
    return this.ds.manager.find(Issuer, { order: { id: 'ASC' } });
  }

  async get(id: number, m: EntityManager = this.ds.manager): Promise<Issuer> {
    const issuer = await m.findOne(Issuer, { where: { id } });
    if (!issuer) throw issuerNotFound(id);
    return issuer;
  }

  findByName(name: string, m: EntityManager = this.ds.manager): Promise<Issuer | null> {
    return m.findOne(Issuer, { where: { name } });
  }

  async create(fields: IssuerFields, m?: EntityManager, by?: Principal): Promise<Issuer> {
    if (!m) return this.ds.transaction((tx) => this.create(fields, tx, by));
    let issuer: Issuer;
    try {
      const { name, origin, org, contact, image } = fields;
      issuer = await m.save(m.create(Issuer, { name, origin, org, contact, image: image ?? null }));
    } catch (err) {
      if (isUniqueViolation(err, 'issuers_name_key')) throw issuerExists(fields.name);
      throw err;
    }
    await this.audit.recordBy(
      by,
      { action: 'issuer.create', subject: String(issuer.id), details: { ...fields } },
      m,
    );
    return issuer;
  }

  async update(id: number, fields: Partial<IssuerFields>, by?: Principal): Promise<Issuer> {
    return this.ds.transaction(async (m) => {
      await this.get(id, m);
      try {
        if (Object.keys(fields).length) await m.update(Issuer, { id }, fields);
      } catch (err) {
        if (isUniqueViolation(err, 'issuers_name_key')) throw issuerExists(fields.name ?? '');
        throw err;
      }
      await this.audit.recordBy(
        by,
        { action: 'issuer.update', subject: String(id), details: { ...fields } },
        m,
      );
      return this.get(id, m);
    });
  }

  async remove(id: number, by?: Principal): Promise<void> {
    await this.ds.transaction(async (m) => {
      const issuer = await this.get(id, m);
      try {
        await m.delete(Issuer, { id });
      } catch (err) {
        // 23503 foreign_key_violation: badges still reference it.
        if ((err as { driverError?: { code?: string } }).driverError?.code === '23503')
          throw issuerInUse(id);
        throw err;
      }
      await this.audit.recordBy(
        by,
        { action: 'issuer.delete', subject: String(id), details: { name: issuer.name } },
        m,
      );
    });
  }
}
