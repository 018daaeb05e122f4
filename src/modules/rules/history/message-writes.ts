import type { EntityManager } from 'typeorm';
import type { BusMessage } from '../engine';
import { counterCell } from './cells';
import type { Increments } from './counter-registry';

/** Columns of one insert statement, as parallel arrays (one array parameter per column). */
function columns(messages: readonly BusMessage[]): unknown[] {
  return [
    messages.map((m) => m.id),
    messages.map((m) => m.topic),
    // Arrays of arrays cannot be unnested by rows, so users and packages travel as JSON.
    messages.map((m) => JSON.stringify([...new Set(m.users)])),
    messages.map((m) => JSON.stringify([...new Set(m.packages)])),
    messages.map((m) => m.agent),
    messages.map((m) => JSON.stringify(m.body ?? null)),
    messages.map((m) => JSON.stringify(m.headers ?? {})),
    messages.map((m) => m.sentAt.toISOString()),
  ];
}

const INSERT = `
  INSERT INTO messages (id, topic, users, packages, agent, body, headers, sent_at)
  SELECT id, topic,
         ARRAY(SELECT jsonb_array_elements_text(users::jsonb)),
         ARRAY(SELECT jsonb_array_elements_text(packages::jsonb)),
         agent, body::jsonb, headers::jsonb, sent_at::timestamptz
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                $7::text[], $8::text[])
      AS t(id, topic, users, packages, agent, body, headers, sent_at)
  ON CONFLICT (id) DO NOTHING
  RETURNING id`;

/**
 * Stores messages in the history, skipping those already there (same id). Returns the ids
 * actually inserted: a message whose id is not among them was a duplicate.
 */
export async function insertMessages(
  m: EntityManager,
  messages: readonly BusMessage[],
): Promise<Set<string>> {
  if (!messages.length) return new Set();
  const rows = (await m.query(INSERT, columns(messages))) as { id: string }[];
  return new Set(rows.map((r) => r.id));
}

/**
 * Stores messages and counts those that were new in the counters they match, in one
 * statement (one round trip for a whole batch). Returns the ids stored: a message whose id
 * is not among them was a duplicate. The counters' values after counting go into `known`:
 * the counts the rules about to judge these messages most often ask for. They stay exact
 * for the rest of the transaction, which holds the lock of every counter row it incremented
 * (while a batch is judged, BatchLedger takes off what its later messages added).
 * `increments[i]` are those of `messages[i]`; ids must be distinct.
 */
export async function storeCounted(
  m: EntityManager,
  messages: readonly BusMessage[],
  increments: readonly Increments[],
  known: Map<string, number>,
): Promise<Set<string>> {
  if (!messages.length) return new Set();
  const c = { ids: [] as string[], keys: [] as string[], users: [] as string[] };
  const s = {
    ids: [] as string[],
    keys: [] as string[],
    users: [] as string[],
    buckets: [] as string[],
  };
  messages.forEach((msg, i) => {
    const inc = increments[i];
    c.ids.push(...inc.counters.keys.map(() => msg.id));
    c.keys.push(...inc.counters.keys);
    c.users.push(...inc.counters.users);
    s.ids.push(...inc.selections.keys.map(() => msg.id));
    s.keys.push(...inc.selections.keys);
    s.users.push(...inc.selections.users);
    s.buckets.push(...inc.selections.buckets);
  });
  const rows = (await m.query(
    `WITH stored AS (${INSERT}),
     counted AS (
       INSERT INTO rule_counters AS c (filter_key, username, count)
       SELECT k, u, count(*) FROM unnest($9::text[], $10::text[], $11::text[]) AS t(id, k, u)
        WHERE id IN (SELECT id FROM stored)
        GROUP BY k, u ORDER BY k, u
       ON CONFLICT (filter_key, username) DO UPDATE SET count = c.count + excluded.count
       RETURNING filter_key, username, count),
     selected AS (
       INSERT INTO rule_selection_counts AS c (filter_key, username, bucket, count)
       SELECT k, u, b, count(*)
         FROM unnest($12::text[], $13::text[], $14::text[], $15::text[]) AS t(id, k, u, b)
        WHERE id IN (SELECT id FROM stored)
        GROUP BY k, u, b ORDER BY k, u, b
       ON CONFLICT (filter_key, username, bucket) DO UPDATE SET count = c.count + excluded.count)
     -- (A data-modifying WITH runs whether or not the query reads it.)
     SELECT id, NULL::text AS filter_key, NULL::text AS username, NULL::bigint AS count FROM stored
     UNION ALL SELECT NULL, filter_key, username, count FROM counted`,
    [...columns(messages), c.ids, c.keys, c.users, s.ids, s.keys, s.users, s.buckets],
  )) as {
    id: string | null;
    filter_key: string | null;
    username: string | null;
    count: string | null;
  }[];
  const stored = new Set<string>();
  for (const r of rows) {
    if (r.id !== null) stored.add(r.id);
    else known.set(counterCell(r.filter_key!, r.username!), Number(r.count));
  }
  return stored;
}
