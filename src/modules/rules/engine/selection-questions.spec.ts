import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRule } from './load';
import { parseMessage } from './messages';
import { MemoryHistory } from './memory-history';
import type { EvaluationContext, HistoryFilter } from './ports';
import { evaluateRule } from './evaluate';
import type { Selection } from './selection';
import { selectionQuestions } from './selection-questions';

const HEADER = `name: Karma I
description: Someone gave one of your updates good karma
creator: tests
discussion: https://example.org/karma
image_url: https://example.org/karma.png
issuer_id: test
`;

/** The sample Collection's "What goes around comes around" shape: a selection by value. */
const KARMA = loadRule(
  'karma.yml',
  `${HEADER}
trigger:
  all:
  - topic: bodhi.update.comment
  - lambda: msg.get('msg', {}).get('comment', {}).get('update_submitter')
  - lambda: msg.get('msg', {}).get('comment', {}).get('karma') is 1
criteria:
  datanommer:
    filter:
      topics: ["%(topic)s"]
      rows_per_page: 9999999
    operation:
      lambda: len([msg for msg in query.all() if msg.msg['comment'].get('update_submitter', None) == "%(msg.comment.update_submitter)s" and msg.msg['comment']['karma'] is 1])
    condition:
      greater than or equal to: 1
recipient: "%(msg.comment.update_submitter)s"
`,
);

const COMMENT = 'org.fedoraproject.prod.bodhi.update.comment';
let seq = 0;
const comment = (karma: number, submitter?: string) =>
  parseMessage({
    topic: COMMENT,
    msg: { comment: { karma, user: { name: 'giver' }, update_submitter: submitter } },
    msg_id: `q-${++seq}`,
    timestamp: 1_600_000_000 + seq,
    headers: {},
  });

describe('selectionQuestions: what a rule will ask the history, worked out beforehand', () => {
  it('names the filter, the selection and the compared values of a triggered rule', () => {
    const [q, ...more] = selectionQuestions(KARMA, comment(1, 'ralph'));
    expect(more).toEqual([]);
    expect(q.values).toEqual(['ralph']);
    expect(q.filter).toEqual({ topics: [COMMENT], rowsPerPage: 9999999 });
  });

  it('asks what the evaluation then asks, no more', async () => {
    const asked: Array<{ filter: HistoryFilter; selection: Selection; values: readonly string[] }> =
      [];
    const history = new MemoryHistory();
    const spy: EvaluationContext = {
      history: {
        count: (f) => history.count(f),
        rows: (f) => history.rows(f),
        countSelection: (filter, selection, values) => {
          asked.push({ filter, selection: selection as Selection, values });
          return history.countSelection(filter, selection as Selection, values);
        },
      },
      identities: { toFas: () => Promise.resolve(null) },
      awards: { holds: () => Promise.resolve(false), optedOut: () => Promise.resolve(false) },
      bannedUsers: new Set<string>(),
    };
    const m = comment(1, 'ralph');
    history.add(m);
    expect((await evaluateRule(KARMA, m, spy)).recipients).toEqual(['ralph']);
    expect(asked).toHaveLength(1);
    expect(selectionQuestions(KARMA, m)).toEqual(asked);
  });

  it('asks nothing when the rule does not trigger, or counts without a selection', () => {
    expect(selectionQuestions(KARMA, comment(0, 'ralph'))).toEqual([]);
    expect(selectionQuestions(KARMA, comment(1))).toEqual([]);
    const sample = join(__dirname, '__fixtures__', 'first-build-2x.yml');
    const counting = loadRule('first-build-2x.yml', readFileSync(sample, 'utf8'));
    expect(selectionQuestions(counting, comment(1, 'ralph'))).toEqual([]);
  });
});
