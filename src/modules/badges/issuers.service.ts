import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../common/errors/domain-error';
import { issuerExists, issuerInUse, issuerNotFound } from './badges.errors';
import { Issuer } from './issuer.entity';

export interface IssuerFields {
  name: string;
  origin: string;
  org: string;
  contact: string;
  image?: string | null;
}

@Injectable()
export class IssuersService {
  constructor(private readonly ds: DataSource) {}

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

  async create(fields: IssuerFields, m: EntityManager = this.ds.manager): Promise<Issuer> {
    try {
      const { name, origin, org, contact, image } = fields;
      return await m.save(m.create(Issuer, { name, origin, org, contact, image: image ?? null }));
    } catch (err) {
      if (isUniqueViolation(err, 'issuers_name_key')) throw issuerExists(fields.name);
      throw err;
    }
  }

  async update(id: number, fields: Partial<IssuerFields>): Promise<Issuer> {
    await this.get(id);
    try {
      if (Object.keys(fields).length) await this.ds.manager.update(Issuer, { id }, fields);
    } catch (err) {
      if (isUniqueViolation(err, 'issuers_name_key')) throw issuerExists(fields.name ?? '');
      throw err;
    }
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    await this.get(id);
    try {
      await this.ds.manager.delete(Issuer, { id });
    } catch (err) {
      // 23503 foreign_key_violation: badges still reference it.
      if ((err as { driverError?: { code?: string } }).driverError?.code === '23503')
        throw issuerInUse(id);
      throw err;
    }
  }
}
