import { indexRules, loadCollection, type Rule, type RuleFileError } from '../engine';
import type { RuleFile } from './rule-files';

export interface RuleBookUpdate {
  /** Rules in force after the update. */
  rules: Rule[];
  /** Problems of this load (a file in error keeps its last good version when it had one). */
  errors: RuleFileError[];
  /** Rules new or changed by this update (their badges need syncing). */
  changed: Rule[];
  /** Files whose last good version stays in force although the new text is broken. */
  keptLastGood: string[];
}

/**
 * The rules in force, by file. A reload replaces the rule of each file that loads; a file
 * that no longer loads keeps its last good version (a typo pushed to the Collection never
 * takes a badge away, nor the other badges with it); a file that disappeared is dropped.
 */
export class RuleBook {
  private byFile = new Map<string, { text: string; rule: Rule }>();
  private index: ReturnType<typeof indexRules> = indexRules([]);

  get rules(): Rule[] {
    return [...this.byFile.values()].map((e) => e.rule);
  }

  get size(): number {
    return this.byFile.size;
  }

  /** The rules a message may trigger. */
  candidates(...args: Parameters<ReturnType<typeof indexRules>['candidates']>): Rule[] {
    return this.index.candidates(...args);
  }

  /** Loads the files and puts the result in force at once (see `plan` and `apply`). */
  update(files: readonly RuleFile[]): RuleBookUpdate {
    const plan = this.plan(files);
    this.apply(plan);
    return plan;
  }

  /**
   * What loading these files would put in force, without doing it yet: the loader first
   * creates the badges of new rules, so that no message is judged by a rule whose badge
   * does not exist yet.
   */
  plan(files: readonly RuleFile[]): RuleBookPlan {
    const { rules, errors } = loadCollection([...files]);
    const loaded = new Map(rules.map((r) => [r.file, r]));
    const failed = new Set(errors.map((e) => e.file));
    const next = new Map<string, { text: string; rule: Rule }>();
    const changed: Rule[] = [];
    const keptLastGood: string[] = [];
    for (const f of files) {
      const rule = loaded.get(f.file);
      const before = this.byFile.get(f.file);
      if (rule && !failed.has(f.file)) {
        next.set(f.file, { text: f.text, rule });
        if (!before || before.text !== f.text) changed.push(rule);
      } else if (before) {
        next.set(f.file, before);
        keptLastGood.push(f.file);
      }
    }
    return {
      rules: [...next.values()].map((e) => e.rule),
      errors,
      changed,
      keptLastGood,
      next,
    };
  }

  /** Puts a plan in force (the book must not have changed since it was made). */
  apply(plan: RuleBookPlan): void {
    this.byFile = plan.next;
    this.index = indexRules(this.rules);
  }
}

export interface RuleBookPlan extends RuleBookUpdate {
  readonly next: Map<string, { text: string; rule: Rule }>;
}
