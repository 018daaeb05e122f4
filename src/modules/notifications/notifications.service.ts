import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Links } from '../../common/links';
import { awardMessageId } from '../../common/message-ids';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';
import { type OutgoingMessage, OutboxService } from './outbox.service';

export interface NotifiedBadge {
  id: string;
  name: string;
  description: string;
  image: string;
}

export interface NotifiedPerson {
  id: number;
  nickname: string | null;
  email: string;
  bio: string | null;
  website: string | null;
}

export interface AwardNotice {
  assertionId: string;
  badge: NotifiedBadge;
  person: NotifiedPerson;
}

export interface RankChange {
  person: NotifiedPerson;
  oldRank: number | null;
  newRank: number | null;
}

const usersOf = (person: Pick<NotifiedPerson, 'nickname'>) =>
  person.nickname ? [person.nickname] : [];

/**
 * The messages Tahrir published (tahrir-messages schemas), now written to the outbox in
 * the transaction of what caused them: badges.badge.award, badges.person.rank.advance and
 * badges.person.login.first, under ACCOLADES_TOPIC_PREFIX.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly outbox: OutboxService,
    private readonly links: Links,
    @Inject(ENV) private readonly env: Env,
  ) {}

  topic(suffix: string): string {
    return `${this.env.ACCOLADES_TOPIC_PREFIX}.${suffix}`;
  }

  /** The award message body (also what the rules see for badges about badges). */
  awardBody(badge: NotifiedBadge, person: Pick<NotifiedPerson, 'id' | 'nickname'>) {
    return {
      badge: {
        name: badge.name,
        description: badge.description,
        image_url: this.links.badgeImage(badge.image),
        badge_id: badge.id,
      },
      user: { username: person.nickname, badges_user_id: person.id },
    };
  }

  awarded(
    m: EntityManager,
    award: AwardNotice,
    ranks: { oldRank: number | null; newRank: number | null },
  ): Promise<void> {
    return this.awardedMany(m, [award], [{ person: award.person, ...ranks }]);
  }

  /**
   * Award messages, and a rank advance for each person whose rank improved (rank changes
   * whose new rank is not better are left out), in one write.
   */
  awardedMany(
    m: EntityManager,
    awards: readonly AwardNotice[],
    ranks: readonly RankChange[],
  ): Promise<void> {
    const messages: OutgoingMessage[] = awards.map(({ assertionId, badge, person }) => ({
      id: awardMessageId(assertionId),
      topic: this.topic(this.env.ACCOLADES_AWARD_TOPIC),
      schema: 'tahrir.badge.award.v1',
      body: this.awardBody(badge, person),
      users: usersOf(person),
    }));
    for (const { person, oldRank, newRank } of ranks) {
      if (newRank === null || (oldRank !== null && newRank >= oldRank)) continue;
      messages.push({
        topic: this.topic('badges.person.rank.advance'),
        schema: 'tahrir.person.rank.advance.v1',
        body: {
          person: {
            id: person.id,
            nickname: person.nickname,
            email: person.email,
            bio: person.bio,
            website: person.website,
            rank: newRank,
          },
          old_rank: oldRank,
        },
        users: usersOf(person),
      });
    }
    return this.outbox.enqueue(m, messages);
  }

  firstLogin(m: EntityManager, person: Pick<NotifiedPerson, 'id' | 'nickname'>): Promise<void> {
    return this.outbox.enqueue(m, [
      {
        topic: this.topic('badges.person.login.first'),
        schema: 'tahrir.person.login.first.v1',
        body: { user: { username: person.nickname, badges_user_id: person.id } },
        users: person.nickname ? [person.nickname] : [],
      },
    ]);
  }
}
