/** Loading rule files (YAML text in, compiled rules or per-field errors out). */
import { parseDocument } from 'yaml';
import { RuleLoadError, type RuleFileError } from './errors';
import { toHistoryFilter } from './filters';
import {
  compileCondition,
  compileCriteria,
  compileExpression,
  compilePrevious,
  compileTrigger,
  isRecord,
  type CriteriaNode,
  type Problem,
} from './nodes';
import type { HistoryFilter, IdentityKind } from './ports';
import { CompiledRule, type Decision, type Rule } from './rule';
import { isSinglePlaceholder, needsFormatting } from './substitutions';

/** The badge id Tahrir derives from a name: lower-case, spaces → `-`, no `"'()*&?`. */
export function badgeIdOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/ /g, '-')
    .replace(/["'()*&?]/g, '');
}

const METADATA = ['name', 'image_url', 'description', 'creator', 'discussion', 'issuer_id'];
const CONVERTERS: [string, IdentityKind][] = [
  ['recipient_nick2fas', 'nick'],
  ['recipient_email2fas', 'email'],
  ['recipient_openid2fas', 'openid'],
  ['recipient_github2fas', 'github'],
  ['recipient_distgit2fas', 'distgit'],
  ['recipient_krb2fas', 'krb'],
];
const V1_REQUIRED = [...METADATA, 'trigger', 'criteria'];
const V1_POSSIBLE = new Set([...V1_REQUIRED, 'recipient', ...CONVERTERS.map(([f]) => f)]);
const V2_REQUIRED = [...METADATA, 'trigger'];
const V2_POSSIBLE = new Set([
  ...V2_REQUIRED,
  'previous',
  'condition',
  'recipient',
  ...CONVERTERS.map(([f]) => f),
]);

/**
 * Which format a file is written in. `criteria` → 1.x; `previous`/`condition` → 2.x; else
 * the file is 1.x when its recipient is a `%(...)s` template or its lambdas read `msg`, 2.x
 * when they read `message` (a 2.x rule may be just a trigger and a recipient).
 */
function detectFormat(doc: Record<string, unknown>): 'fedbadges-1' | 'fedbadges-2' {
  if ('criteria' in doc) return 'fedbadges-1';
  if ('previous' in doc || 'condition' in doc) return 'fedbadges-2';
  if (typeof doc.recipient === 'string' && doc.recipient.includes('%(')) return 'fedbadges-1';
  const text = JSON.stringify(doc.trigger ?? null) + JSON.stringify(doc.recipient ?? null);
  if (/\bmessage\b/.test(text)) return 'fedbadges-2';
  return 'fedbadges-1';
}

/** PyYAML reads YAML 1.1 whatever the `%YAML 1.2` directive says (`Yes` is True there). */
function parseYaml(text: string): { value: unknown; problems: Problem[] } {
  const withoutDirective = text.replace(/^%YAML[^\n]*/m, (m) => '#' + m.slice(1));
  const doc = parseDocument(withoutDirective, { version: '1.1', uniqueKeys: true });
  const problems: Problem[] = doc.errors.map((e) => ({
    field: null,
    reason: `YAML: ${e.message.split('\n')[0]}`,
    kind: 'invalid' as const,
  }));
  return { value: problems.length ? null : doc.toJS(), problems };
}

function stringField(
  doc: Record<string, unknown>,
  field: string,
  nullable: boolean,
  problems: Problem[],
): string | null {
  const v = doc[field];
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number') return String(v);
  if (nullable && (v === null || v === undefined || v === '')) return null;
  if (field in doc) {
    problems.push({
      field,
      reason: `expected ${nullable ? 'a string or nothing' : 'a non-empty string'}`,
      kind: 'invalid',
    });
  }
  return null;
}

/**
 * Static counters of 1.x `count` criteria: filters whose only `%(...)s` is the single
 * `users` placeholder, without lambdas, dates or paging.
 */
function counterFiltersOf(node: CriteriaNode, out: HistoryFilter[]): void {
  if (node.kind !== 'datanommer') {
    for (const c of node.children) counterFiltersOf(c, out);
    return;
  }
  if (node.operation !== 'count' || node.filterLambdas.size > 0) return;
  const { users, ...rest } = node.filter;
  if (!Array.isArray(users) || users.length !== 1 || !isSinglePlaceholder(users[0])) return;
  if (needsFormatting(rest)) return;
  if (['start', 'end', 'page', 'rows_per_page'].some((k) => k in rest)) return;
  try {
    out.push(toHistoryFilter(rest));
  } catch {
    // A filter value that cannot be used fails at evaluation; it just gets no counter.
  }
}

/**
 * Loads one rule file (1.x or 2.x format). Every lambda is compiled now: syntax errors,
 * unsupported constructs and unknown names are load errors naming the field path.
 * @throws RuleLoadError with every problem found.
 */
export function loadRule(file: string, text: string): Rule {
  const fail = (problems: Problem[]): never => {
    throw new RuleLoadError(problems.map((p): RuleFileError => ({ file, ...p })));
  };
  const { value, problems: yamlProblems } = parseYaml(text);
  if (yamlProblems.length) fail(yamlProblems);
  if (!isRecord(value)) {
    return fail([{ field: null, reason: 'a rule file is a YAML mapping', kind: 'invalid' }]);
  }
  const doc = value;
  const format = detectFormat(doc);
  const problems: Problem[] = [];
  const required = format === 'fedbadges-1' ? V1_REQUIRED : V2_REQUIRED;
  const possible = format === 'fedbadges-1' ? V1_POSSIBLE : V2_POSSIBLE;
  const unknown = Object.keys(doc).filter((k) => !possible.has(k));
  const missing = required.filter((k) => !(k in doc));
  for (const k of unknown) {
    problems.push({
      field: k,
      reason: `unknown field '${k}' in a ${format} rule (possible: ${[...possible].join(', ')})`,
      kind: 'invalid',
    });
  }
  for (const k of missing) {
    problems.push({
      field: k,
      reason: `missing required field '${k}' (${format} rule)`,
      kind: 'invalid',
    });
  }

  const name = stringField(doc, 'name', false, problems);
  const description = stringField(doc, 'description', false, problems);
  const imageUrl = stringField(doc, 'image_url', false, problems);
  const discussion = stringField(doc, 'discussion', true, problems);
  const creator = stringField(doc, 'creator', true, problems);
  const issuerId = stringField(doc, 'issuer_id', true, problems);

  const param = format === 'fedbadges-1' ? 'msg' : 'message';
  const trigger = 'trigger' in doc ? compileTrigger(doc.trigger, 'trigger', param, problems) : null;
  let decision: Decision | null = null;
  const counterFilters: HistoryFilter[] = [];
  if (format === 'fedbadges-1') {
    const criteria = 'criteria' in doc ? compileCriteria(doc.criteria, 'criteria', problems) : null;
    const recipient = doc.recipient ?? null;
    if (recipient !== null && typeof recipient !== 'string' && !Array.isArray(recipient)) {
      problems.push({
        field: 'recipient',
        reason: 'expected a %(...)s template or a list of them',
        kind: 'invalid',
      });
    }
    if (criteria) {
      decision = { format, recipient, criteria };
      counterFiltersOf(criteria, counterFilters);
    }
  } else {
    const recipient = compileExpression(
      doc.recipient ?? 'message.agent_name',
      ['message'],
      'recipient',
      problems,
    );
    const previous =
      doc.previous === undefined ? null : compilePrevious(doc.previous, 'previous', problems);
    const condition =
      doc.condition === undefined ? null : compileCondition(doc.condition, 'condition', problems);
    if (recipient) decision = { format, recipient, previous, condition };
  }
  if (problems.length || !trigger || !decision || !name || !description || !imageUrl) {
    return fail(problems);
  }
  const converters = CONVERTERS.filter(([field]) => truthyFlag(doc[field])).map(([, k]) => k);
  return new CompiledRule(
    {
      badgeId: badgeIdOf(name),
      name,
      description,
      imageUrl,
      discussion,
      creator,
      issuerId,
      file,
    },
    trigger,
    decision,
    converters,
    counterFilters,
  );
}

/** Python truthiness of a YAML flag value (`Yes` is already True in YAML 1.1). */
function truthyFlag(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

/**
 * Loads a collection: the rules that load, and the errors of those that do not (a broken
 * file never stops the others). Two files naming the same badge: the second is an error.
 */
export function loadCollection(files: { file: string; text: string }[]): {
  rules: Rule[];
  errors: RuleFileError[];
} {
  const rules: Rule[] = [];
  const errors: RuleFileError[] = [];
  const byBadge = new Map<string, string>();
  for (const { file, text } of files) {
    try {
      const rule = loadRule(file, text);
      const other = byBadge.get(rule.badgeId);
      if (other !== undefined) {
        errors.push({
          file,
          field: 'name',
          reason: `badge id '${rule.badgeId}' is already defined by ${other}`,
          kind: 'invalid',
        });
        continue;
      }
      byBadge.set(rule.badgeId, file);
      rules.push(rule);
    } catch (e) {
      if (e instanceof RuleLoadError) errors.push(...e.errors);
      else errors.push({ file, field: null, reason: String(e), kind: 'invalid' });
    }
  }
  return { rules, errors };
}
