import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ENV } from '../../config/config.module';
import type { Env } from '../../config/env.schema';

export interface OutgoingMessage {
  /** Full topic (routing key), prefix included. */
  topic: string;
  body: unknown;
  /** fedora-messaging schema name, for the fedora_messaging_schema header. */
  schema: string;
  /** Account names the message concerns (fedora_messaging_user_<name> headers). */
  users?: string[];
  /** The message id, when it must be a known one (awards); random otherwise. */
  id?: string;
}

/**
 * Writes notifications in the caller's transaction; OutboxPublisher sends them. Without a
 * broker to publish to (no AMQP_URL, or AMQP_PUBLISH=false) nothing is written.
 */
@Injectable()
export class OutboxService {
  constructor(@Inject(ENV) private readonly env: Env) {}

  get enabled(): boolean {
    return Boolean(this.env.AMQP_URL) && this.env.AMQP_PUBLISH === 'true';
  }

  async enqueue(m: EntityManager, messages: OutgoingMessage[]): Promise<void> {
    if (!this.enabled || !messages.length) return;
    const values: unknown[] = [];
    const rows = messages.map((msg, i) => {
      values.push(
        msg.id ?? randomUUID(),
        msg.topic,
        JSON.stringify(msg.body),
        JSON.stringify(fedoraHeaders(msg)),
      );
      return `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}::jsonb, $${i * 4 + 4}::jsonb)`;
    });
    await m.query(
      `INSERT INTO outbox (message_id, topic, body, headers) VALUES ${rows.join(', ')}`,
      values,
    );
  }
}

/** The headers fedora-messaging consumers expect (sent-at is set when publishing). */
export function fedoraHeaders(msg: OutgoingMessage): Record<string, unknown> {
  const headers: Record<string, unknown> = {
    fedora_messaging_schema: msg.schema,
    fedora_messaging_severity: 20,
    priority: 0,
  };
  for (const user of msg.users ?? []) headers[`fedora_messaging_user_${user}`] = true;
  return headers;
}
