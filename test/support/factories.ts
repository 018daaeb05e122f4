import type { TestApp } from './test-app';
import { BadgesService } from '../../src/modules/badges/badges.service';
import { IssuersService } from '../../src/modules/badges/issuers.service';
import { UsersService } from '../../src/modules/users/users.service';
import { AwardsService } from '../../src/modules/awards/awards.service';
import type { Badge } from '../../src/modules/badges/badge.entity';
import type { Person } from '../../src/modules/users/person.entity';

let seq = 0;
const next = () => ++seq;

export async function makeIssuer(t: TestApp, name = `Issuer ${next()}`) {
  return t.get(IssuersService).create({
    name,
    origin: 'https://fedoraproject.org',
    org: 'Fedora',
    contact: 'badges@fedoraproject.org',
  });
}

export async function makeBadge(
  t: TestApp,
  fields: Partial<{
    id: string;
    name: string;
    tags: string[];
    issuerId: number;
    description: string;
  }> = {},
): Promise<Badge> {
  const issuerId = fields.issuerId ?? (await makeIssuer(t)).id;
  const name = fields.name ?? `Badge ${next()}`;
  return t.get(BadgesService).create({
    id: fields.id,
    name,
    image: `${name.toLowerCase().replace(/\W+/g, '-')}.png`,
    description: fields.description ?? `The ${name} badge`,
    criteria: 'https://example.org/criteria',
    issuerId,
    tags: fields.tags ?? [],
  });
}

export async function makePerson(t: TestApp, nickname = `user${next()}`): Promise<Person> {
  return t.get(UsersService).create({ nickname });
}

export async function award(t: TestApp, badgeId: string, nickname: string, issuedOn?: Date) {
  return t.get(AwardsService).grant({ badgeId, nickname, issuedOn });
}
