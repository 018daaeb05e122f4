/**
 * Bus messages in and out: parsing the two JSON shapes the service receives (datagrepper
 * envelopes and fedora-messaging JSON) and building the award message.
 */
import { MessageFormatError } from './errors';
import type { BusMessage } from './ports';

const USER_HEADER = 'fedora_messaging_user_';
const PACKAGE_HEADER = 'fedora_messaging_package_';
const AGENT_HEADER = 'fedora_messaging_agent';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function namesFromHeaders(headers: Record<string, unknown>, prefix: string, lower: boolean) {
  const names = new Set<string>();
  for (const [key, value] of Object.entries(headers)) {
    if (value !== true || !key.startsWith(prefix) || key.length === prefix.length) continue;
    const name = key.slice(prefix.length);
    names.add(lower ? name.toLowerCase() : name);
  }
  return [...names].sort();
}

function agentOf(headers: Record<string, unknown>, body: unknown): string | null {
  const header = headers[AGENT_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  if (isRecord(body)) {
    if (typeof body.agent === 'string') return body.agent;
    if (isRecord(body.msg) && typeof body.msg.agent === 'string') return body.msg.agent;
  }
  return null;
}

function dateFromSeconds(value: unknown): Date | null {
  const seconds =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (typeof value === 'string' && value.trim() === '') return null;
  if (!Number.isFinite(seconds)) return null;
  const date = new Date(Math.round(seconds * 1000));
  return Number.isNaN(date.getTime()) ? null : date;
}

function dateFromIso(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Parses a message: a datagrepper envelope `{topic, msg, msg_id, timestamp, headers?}`
 * (timestamp in Unix seconds) or fedora-messaging JSON `{topic, body, id, headers}` (sent-at
 * in the `sent-at` header). Users and packages come from the `fedora_messaging_user_<name>` /
 * `fedora_messaging_package_<name>` headers only (nothing is guessed from the body).
 *
 * @throws MessageFormatError with a stable code and a reason naming the problem.
 */
export function parseMessage(input: unknown): BusMessage {
  if (!isRecord(input)) {
    throw new MessageFormatError('not-an-object', 'a message must be a JSON object');
  }
  const topic = input.topic;
  if (typeof topic !== 'string' || topic === '') {
    throw new MessageFormatError('missing-topic', 'the message has no "topic" string');
  }
  const legacy = 'msg' in input && !('body' in input);
  const rawId = legacy ? (input.msg_id ?? input.id) : (input.id ?? input.msg_id);
  if ((typeof rawId !== 'string' || rawId === '') && typeof rawId !== 'number') {
    throw new MessageFormatError(
      'missing-id',
      `the message has no ${legacy ? '"msg_id"' : '"id"'} string`,
    );
  }
  const body = legacy ? input.msg : input.body;
  if (body === undefined) {
    throw new MessageFormatError(
      'missing-body',
      'the message has neither "msg" (datagrepper) nor "body" (fedora-messaging)',
    );
  }
  const headersIn = input.headers ?? {};
  if (!isRecord(headersIn)) {
    throw new MessageFormatError('bad-headers', '"headers" must be an object');
  }
  const headers: Record<string, unknown> = { ...headersIn };
  let sentAt: Date | null;
  if ('timestamp' in input && input.timestamp !== null && input.timestamp !== undefined) {
    sentAt = dateFromSeconds(input.timestamp);
    if (!sentAt) {
      throw new MessageFormatError(
        'bad-timestamp',
        `"timestamp" must be Unix seconds, got ${JSON.stringify(input.timestamp)}`,
      );
    }
  } else if (headers['sent-at'] !== undefined) {
    sentAt = dateFromIso(headers['sent-at']);
    if (!sentAt) {
      throw new MessageFormatError(
        'bad-timestamp',
        `the "sent-at" header must be an ISO 8601 date, got ${JSON.stringify(headers['sent-at'])}`,
      );
    }
  } else {
    throw new MessageFormatError(
      'bad-timestamp',
      'the message has neither "timestamp" nor a "sent-at" header: the engine has no clock',
    );
  }
  return {
    id: String(rawId),
    topic,
    body,
    headers,
    sentAt,
    users: namesFromHeaders(headers, USER_HEADER, true),
    packages: namesFromHeaders(headers, PACKAGE_HEADER, false),
    agent: agentOf(headers, body),
  };
}

export interface AwardMessageInput {
  topicPrefix: string;
  awardTopic: string;
  id: string;
  sentAt: Date;
  badge: { id: string; name: string; description: string; imageUrl: string };
  user: { nickname: string; personId: number };
}

/**
 * The message announcing an award. It goes through the rules like any other, so badges for
 * collecting badges work; its body has the shape of fedbadges' award messages.
 */
export function awardMessage(a: AwardMessageInput): BusMessage {
  const topic = a.topicPrefix ? `${a.topicPrefix}.${a.awardTopic}` : a.awardTopic;
  const nickname = a.user.nickname.toLowerCase();
  const body = {
    badge: {
      name: a.badge.name,
      description: a.badge.description,
      image_url: a.badge.imageUrl,
      badge_id: a.badge.id,
    },
    user: { username: a.user.nickname, badges_user_id: a.user.personId },
  };
  const headers: Record<string, unknown> = {
    fedora_messaging_schema: 'tahrir.badge.award.v1',
    'sent-at': a.sentAt.toISOString(),
    [`${USER_HEADER}${nickname}`]: true,
  };
  return {
    id: a.id,
    topic,
    body,
    headers,
    sentAt: a.sentAt,
    users: [nickname],
    packages: [],
    agent: null,
  };
}

/**
 * The datagrepper-style envelope that 1.x rules see as `msg` (and that `%(...)s`
 * substitutions read): `{topic, msg, msg_id, timestamp, headers, i}`. fedmsg's `username`
 * (the sending Unix account) is not known for bus messages and is left out.
 */
export function legacyEnvelope(message: BusMessage): Record<string, unknown> {
  const envelope: Record<string, unknown> = {
    topic: message.topic,
    msg: message.body,
    msg_id: message.id,
    timestamp: message.sentAt.getTime() / 1000,
    headers: message.headers,
    // fedmsg numbered the messages of each sending process; rules never read it.
    i: 1,
  };
  return envelope;
}

/** The 4th dot-separated part of the topic (fedbadges' `category`), or null. */
export function categoryOf(topic: string): string | null {
  const parts = topic.split('.');
  return parts.length > 3 ? parts[3] : null;
}
