/**
 * What rules read of a message, computed once per message however many rules look at it:
 * the legacy envelope (1.x `msg`), its substitutions, and the 2.x `message` object.
 */
import { categoryOf, legacyEnvelope } from './messages';
import type { BusMessage, HistoryRow } from './ports';
import { PyNamespace } from './python';
import { constructSubstitutions, type Substitutions } from './substitutions';

export class PreparedMessage {
  private envelopeValue?: Record<string, unknown>;
  private subsValue?: Substitutions;
  private pyMessageValue?: PyNamespace;

  constructor(readonly message: BusMessage) {}

  get envelope(): Record<string, unknown> {
    return (this.envelopeValue ??= legacyEnvelope(this.message));
  }

  get substitutions(): Substitutions {
    return (this.subsValue ??= constructSubstitutions(this.envelope));
  }

  /** fedora-messaging's Message as 2.x rules see it. */
  get pyMessage(): PyNamespace {
    return (this.pyMessageValue ??= messageObject(this.message));
  }
}

const prepared = new WeakMap<BusMessage, PreparedMessage>();

/** The prepared view of a message (cached per message object). */
export function prepare(message: BusMessage): PreparedMessage {
  let p = prepared.get(message);
  if (!p) {
    p = new PreparedMessage(message);
    prepared.set(message, p);
  }
  return p;
}

function messageObject(m: BusMessage): PyNamespace {
  return new PyNamespace('Message', {
    id: m.id,
    topic: m.topic,
    body: m.body,
    headers: m.headers,
    agent_name: m.agent,
    usernames: [...m.users],
    packages: [...m.packages],
  });
}

/**
 * A history row as rule expressions see it: datanommer's Message row (`row.msg` is the
 * body). `timestamp` is Unix seconds (a float), not a datetime.
 */
export function rowObject(row: HistoryRow): PyNamespace {
  return new PyNamespace('Message', {
    id: row.id,
    msg_id: row.id,
    topic: row.topic,
    category: categoryOf(row.topic),
    msg: row.msg,
    headers: row.headers,
    timestamp: row.timestamp.getTime() / 1000,
    users: [...row.users],
    packages: [...row.packages],
  });
}
