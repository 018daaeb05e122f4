/**
 * Golden tests: message streams through the sample Collection (and the 2.x fixtures), with
 * every award (and award message, which goes through the rules too) checked in.
 *
 * Streams: __fixtures__/streams/<name>.jsonl (datagrepper envelopes, one per line).
 * Expected: __fixtures__/streams/<name>.expected.json. To rewrite after a deliberate change:
 * `ACCOLADES_UPDATE_GOLDEN=1 npx jest --selectProjects unit -- src/modules/rules/engine/golden.spec.ts`
 * and review the diff.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import {
  MemoryHistory,
  awardMessage,
  evaluateRule,
  indexRules,
  loadCollection,
  parseMessage,
  type BusMessage,
  type EvaluationContext,
} from './index';
import { DEFAULT_BANNED_USERS } from './recipients';

const SAMPLE_DIR = join(__dirname, '../../../../../shared/collection/rules');
const FIXTURES = join(__dirname, '__fixtures__');
const STREAMS = join(FIXTURES, 'streams');

function readRules(dir: string) {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
}

interface GoldenLine {
  msg_id: string;
  badge_id: string;
  user?: string;
  error?: string;
}

/** What `accolades rules replay` does, in memory: history, holders, award messages re-fed. */
async function replay(lines: unknown[]): Promise<GoldenLine[]> {
  const { rules, errors } = loadCollection([...readRules(SAMPLE_DIR), ...readRules(FIXTURES)]);
  expect(errors).toEqual([]);
  const index = indexRules(rules);
  const history = new MemoryHistory();
  const holders = new Set<string>();
  const identities = new Map([['nick:ErinIRC', 'erin']]);
  const ctx: EvaluationContext = {
    history,
    identities: {
      toFas: (kind, value) => Promise.resolve(identities.get(`${kind}:${value}`) ?? null),
    },
    awards: {
      holds: (badgeId, user) => Promise.resolve(holders.has(`${badgeId}/${user}`)),
      optedOut: (user) => Promise.resolve(user === 'optedout'),
    },
    bannedUsers: new Set(DEFAULT_BANNED_USERS),
  };
  const out: GoldenLine[] = [];
  let awards = 0;
  const handle = async (message: BusMessage): Promise<void> => {
    if (!history.add(message)) return;
    const followUps: BusMessage[] = [];
    for (const rule of index.candidates(message)) {
      if (!rule.triggeredBy(message)) continue;
      const outcome = await evaluateRule(rule, message, ctx);
      if (outcome.error)
        out.push({ msg_id: message.id, badge_id: rule.badgeId, error: outcome.error });
      for (const user of outcome.recipients) {
        holders.add(`${rule.badgeId}/${user}`);
        out.push({ msg_id: message.id, badge_id: rule.badgeId, user });
        awards += 1;
        followUps.push(
          awardMessage({
            topicPrefix: 'org.fedoraproject.prod',
            awardTopic: 'fedbadges.badge.award',
            id: `award-${awards}`,
            sentAt: message.sentAt,
            badge: {
              id: rule.badgeId,
              name: rule.name,
              description: rule.description,
              imageUrl: rule.imageUrl,
            },
            user: { nickname: user, personId: 1000 + awards },
          }),
        );
      }
    }
    for (const m of followUps) await handle(m);
  };
  for (const line of lines) await handle(parseMessage(line));
  return out;
}

describe.each(readdirSync(STREAMS).filter((f) => f.endsWith('.jsonl')))(
  'golden stream %s',
  (name) => {
    it('awards exactly what is checked in', async () => {
      const lines = readFileSync(join(STREAMS, name), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as unknown);
      const actual = await replay(lines);
      const expectedFile = join(STREAMS, name.replace(/\.jsonl$/, '.expected.json'));
      if (process.env.ACCOLADES_UPDATE_GOLDEN === '1' || !existsSync(expectedFile)) {
        writeFileSync(expectedFile, JSON.stringify(actual, null, 2) + '\n');
        if (process.env.ACCOLADES_UPDATE_GOLDEN !== '1')
          throw new Error(`wrote ${expectedFile}: review it`);
      }
      expect(actual).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')));
    });
  },
);
