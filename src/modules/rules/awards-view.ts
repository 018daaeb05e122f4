import type { EntityManager } from 'typeorm';
import type { AwardsService } from '../awards/awards.service';
import type { Badge } from '../badges/badge.entity';
import type { BadgesService } from '../badges/badges.service';
import type { Person } from '../users/person.entity';
import type { UsersService } from '../users/users.service';
import type { AwardsPort } from './engine';

/**
 * What the rules ask about people and their badges, read once per transaction (the rules of
 * a message, and the messages of a batch, ask about the same people) and kept current by
 * the awards the transaction makes. An award another replica commits meanwhile is not
 * seen here; the award then finds the badge held (the unique constraint) and is not made.
 */
export class AwardsView implements AwardsPort {
  private readonly persons = new Map<string, Promise<Person | null>>();
  private readonly held = new Map<number, Promise<Set<string>>>();
  private readonly badges = new Map<string, Promise<Badge>>();
  private ruleBadges: Promise<Map<string, Badge>> | null = null;

  constructor(
    private readonly m: EntityManager,
    private readonly services: {
      users: UsersService;
      awards: AwardsService;
      badges: BadgesService;
    },
    /** The badges the rules award: read together on the first one asked for. */
    private readonly badgeIds: readonly string[] = [],
  ) {}

  /** The person of an account name (null: not known yet), as read in this transaction. */
  person(user: string): Promise<Person | null> {
    let p = this.persons.get(user);
    if (!p) this.persons.set(user, (p = this.services.users.findByNickname(user, this.m)));
    return p;
  }

  private heldBy(personId: number): Promise<Set<string>> {
    let h = this.held.get(personId);
    if (!h) {
      h = this.services.awards.badgeIdsHeldBy([personId], this.m).then((all) => all.get(personId)!);
      this.held.set(personId, h);
    }
    return h;
  }

  /**
   * Reads, in two statements, the persons and holdings of every user of these messages
   * (whom the rules will mostly ask about), instead of one or two reads per user.
   */
  async prefetch(users: Iterable<string>): Promise<void> {
    const wanted = [...new Set(users)].filter((u) => !this.persons.has(u));
    if (!wanted.length) return;
    const found = await this.services.users.findByNicknames(wanted, this.m);
    const byName = new Map(found.map((p) => [p.nickname, p]));
    for (const u of wanted) this.persons.set(u, Promise.resolve(byName.get(u) ?? null));
    const ids = found.map((p) => p.id).filter((id) => !this.held.has(id));
    const held = await this.services.awards.badgeIdsHeldBy(ids, this.m);
    for (const [id, badges] of held) this.held.set(id, Promise.resolve(badges));
  }

  /**
   * A badge, read once per transaction (rules award the same few badges again and again);
   * the first read brings every badge of the rules.
   */
  badge(id: string): Promise<Badge> {
    let b = this.badges.get(id);
    if (!b) {
      if (!this.ruleBadges && this.badgeIds.includes(id))
        this.ruleBadges = this.services.badges
          .findMany(this.badgeIds, this.m)
          .then((found) => new Map(found.map((x) => [x.id, x])));
      const known = this.ruleBadges;
      b = (async () => (known && (await known).get(id)) ?? this.services.badges.get(id, this.m))();
      this.badges.set(id, b);
    }
    return b;
  }

  async holds(badgeId: string, user: string): Promise<boolean> {
    const p = await this.person(user);
    return p ? (await this.heldBy(p.id)).has(badgeId) : false;
  }

  async optedOut(user: string): Promise<boolean> {
    return (await this.person(user))?.optOut ?? false;
  }

  /** A person created in this transaction: known, holding nothing yet. */
  created(user: string, person: Person): void {
    this.persons.set(user, Promise.resolve(person));
    this.held.set(person.id, Promise.resolve(new Set()));
  }

  /** An award made in this transaction. */
  async awarded(user: string, person: Person, badgeId: string): Promise<void> {
    this.persons.set(user, Promise.resolve(person));
    (await this.heldBy(person.id)).add(badgeId);
  }
}
