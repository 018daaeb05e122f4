/**
 * fedbadges' `%(a.b.c)s` substitutions: the envelope flattened by dots (a dict is reachable
 * whole too), string values lower-cased; a template that is exactly one placeholder becomes
 * the raw value, other strings are %-formatted with Python's rules.
 */
import { MissingKeyError } from './errors';
import { PyError, compile } from './python';

export type Substitutions = Record<string, unknown>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** fedbadges' construct_substitutions: `{'msg.comment.author': 'ralph', 'msg': {...}, ...}`. */
export function constructSubstitutions(envelope: Record<string, unknown>): Substitutions {
  const subs: Substitutions = Object.create(null) as Substitutions;
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const key of Object.keys(obj)) {
      const value = obj[key];
      const path = prefix + key;
      if (isRecord(value)) {
        walk(value, `${path}.`);
        subs[path] = value;
      } else if (typeof value === 'string') {
        subs[path] = value.toLowerCase();
      } else {
        subs[path] = value;
      }
    }
  };
  walk(envelope, '');
  return subs;
}

// Python's `template % subs`, evaluated by the interpreter so that lists, dicts, None,
// True and floats print exactly as fedbadges printed them.
const percentFormat = compile('template % subs', ['template', 'subs']);

/** Formats one string as fedbadges' format_args does. @throws MissingKeyError */
export function formatString(template: string, subs: Substitutions): unknown {
  const inner = template.slice(2, -2);
  if (template.length >= 4 && Object.prototype.hasOwnProperty.call(subs, inner)) {
    return subs[inner];
  }
  if (!template.includes('%')) return template;
  try {
    return percentFormat.evaluate({ template, subs });
  } catch (e) {
    if (e instanceof PyError && e.pyType === 'KeyError') {
      throw new MissingKeyError(keyFromKeyError(e.pyMessage) ?? e.pyMessage);
    }
    throw e;
  }
}

function keyFromKeyError(message: string): string | null {
  const m = /^'(.*)'$/s.exec(message);
  return m ? m[1] : null;
}

/** Recursively applies the substitutions to a rule subtree (fedbadges' format_args). */
export function formatArgs(obj: unknown, subs: Substitutions): unknown {
  if (Array.isArray(obj)) return obj.map((item) => formatArgs(item, subs));
  if (isRecord(obj)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) out[key] = formatArgs(obj[key], subs);
    return out;
  }
  if (typeof obj === 'string') return formatString(obj, subs);
  return obj;
}

/** True when formatting would change the value (it holds a `%`). */
export function needsFormatting(obj: unknown): boolean {
  if (typeof obj === 'string') return obj.includes('%');
  if (Array.isArray(obj)) return obj.some(needsFormatting);
  if (isRecord(obj)) return Object.values(obj).some(needsFormatting);
  return false;
}

/** True when the string is exactly one `%(key)s` placeholder. */
export function isSinglePlaceholder(value: unknown): value is string {
  return typeof value === 'string' && /^%\([^()]*\)s$/.test(value);
}

/**
 * An expression with placeholders as it would read after formatting, for compile-time
 * checks at load: each placeholder becomes `0` (inside a string literal it stays text).
 */
export function withDummyValues(expression: string): string {
  return expression.replace(/%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]|%%/g, (m) =>
    m === '%%' ? '%' : '0',
  );
}
