/**
 * Turns a syntax tree into JavaScript closures, once per expression. Names are resolved
 * here: parameters, comprehension variables (each comprehension has its own scope, its
 * first iterable is evaluated in the enclosing one, as in Python 3) and builtins; any
 * other name is a NameError before anything runs.
 */
import type { CompareOp, Comprehension, Expr, Target } from './ast';
import { isDunder, getAttribute } from './attributes';
import { BUILTINS, REFUSED_BUILTINS } from './builtins';
import { callValue } from './callables';
import { PyError, typeError, valueError } from './errors';
import { percentFormat } from './format';
import {
  binaryOp,
  compareOrder,
  contains,
  getItem,
  isIdentical,
  isIterable,
  iterate,
  pyEquals,
  toArray,
  truthy,
  unaryOp,
} from './ops';
import { Runtime, checkItems } from './runtime';
import {
  PyDict,
  PyIterator,
  PySet,
  PySlice,
  PyTuple,
  dictEntries,
  isDict,
  typeName,
} from './values';

/** The variables of one scope at run time: the parameters, or one comprehension's. */
export interface Env {
  readonly vars: unknown[];
  readonly parent: Env | null;
  readonly rt: Runtime;
}

export type Code = (env: Env) => unknown;

const UNBOUND = Symbol('unbound');

interface Scope {
  readonly slots: Map<string, number>;
}

function targetNames(target: Target, into: string[]): string[] {
  if (target.type === 'Name') {
    if (!into.includes(target.id)) into.push(target.id);
  } else if (target.type === 'StarTarget') targetNames(target.target, into);
  else for (const elt of target.elts) targetNames(elt, into);
  return into;
}

export class Compiler {
  /** Innermost scope first; the last one holds the parameters. */
  private scopes: Scope[];

  constructor(params: readonly string[]) {
    this.scopes = [{ slots: new Map(params.map((p, i) => [p, i])) }];
  }

  compile(node: Expr): Code {
    switch (node.type) {
      case 'Constant': {
        const value = node.value;
        return () => value;
      }
      case 'Name':
        return this.name(node.id, node);
      case 'BoolOp': {
        const values = node.values.map((v) => this.compile(v));
        const isAnd = node.op === 'and';
        return (env) => {
          env.rt.step();
          let result: unknown = null;
          for (const value of values) {
            result = value(env);
            if (truthy(result) !== isAnd) return result;
          }
          return result;
        };
      }
      case 'Not': {
        const operand = this.compile(node.operand);
        return (env) => !truthy(operand(env));
      }
      case 'UnaryOp': {
        const operand = this.compile(node.operand);
        const op = node.op;
        return (env) => {
          env.rt.step();
          return unaryOp(op, operand(env));
        };
      }
      case 'BinOp': {
        const left = this.compile(node.left);
        const right = this.compile(node.right);
        const op = node.op;
        if (op === '%') {
          return (env) => {
            env.rt.step();
            const a = left(env);
            const b = right(env);
            return typeof a === 'string' ? percentFormat(env.rt, a, b) : binaryOp(env.rt, op, a, b);
          };
        }
        return (env) => {
          env.rt.step();
          const a = left(env);
          return binaryOp(env.rt, op, a, right(env));
        };
      }
      case 'Compare':
        return this.comparison(node.left, node.ops, node.comparators);
      case 'IfExp': {
        const test = this.compile(node.test);
        const body = this.compile(node.body);
        const orelse = this.compile(node.orelse);
        return (env) => (truthy(test(env)) ? body(env) : orelse(env));
      }
      case 'Attribute': {
        if (isDunder(node.attr)) {
          throw new PyError(
            'UnsupportedError',
            `access to the special attribute '${node.attr}' is not allowed`,
            node.pos,
          );
        }
        const value = this.compile(node.value);
        const attr = node.attr;
        return (env) => getAttribute(env.rt, value(env), attr);
      }
      case 'Subscript': {
        const value = this.compile(node.value);
        const index = this.compile(node.index);
        return (env) => {
          env.rt.step();
          const obj = value(env);
          return getItem(env.rt, obj, index(env));
        };
      }
      case 'Slice': {
        const none = (): null => null;
        const lower = node.lower ? this.compile(node.lower) : none;
        const upper = node.upper ? this.compile(node.upper) : none;
        const step = node.step ? this.compile(node.step) : none;
        return (env) => new PySlice(lower(env), upper(env), step(env));
      }
      case 'Starred':
        throw new PyError('SyntaxError', "can't use starred expression here", node.pos);
      case 'Call':
        return this.call(node);
      case 'List':
      case 'Tuple':
      case 'Set': {
        const items = this.items(node.elts);
        const kind = node.type;
        return (env) => {
          const values = items(env);
          if (kind === 'List') return values;
          if (kind === 'Tuple') return new PyTuple(values);
          return new PySet(values);
        };
      }
      case 'Dict': {
        const keys = node.keys.map((k) => (k ? this.compile(k) : null));
        const values = node.values.map((v) => this.compile(v));
        return (env) => {
          const dict = new PyDict();
          for (let i = 0; i < values.length; i++) {
            const key = keys[i];
            if (key) {
              const k = key(env);
              dict.set(k, values[i](env));
            } else {
              const mapping = values[i](env);
              if (!isDict(mapping))
                throw typeError(`'${typeName(mapping)}' object is not a mapping`);
              for (const [k, v] of dictEntries(mapping)) dict.set(k, v);
            }
          }
          checkItems(dict.size, 'dict');
          return dict;
        };
      }
      case 'ListComp':
      case 'SetComp':
      case 'GeneratorExp':
      case 'DictComp':
        return this.comprehension(node);
    }
  }

  private name(id: string, node: Expr): Code {
    for (let depth = 0; depth < this.scopes.length; depth++) {
      const slot = this.scopes[depth].slots.get(id);
      if (slot === undefined) continue;
      const isParameter = depth === this.scopes.length - 1;
      return (env) => {
        let e = env;
        for (let d = 0; d < depth; d++) e = e.parent as Env;
        const value = e.vars[slot];
        if (value === UNBOUND) {
          throw new PyError(
            'UnboundLocalError',
            `cannot access local variable '${id}' where it is not associated with a value`,
          );
        }
        return isParameter && value === undefined ? null : value;
      };
    }
    if (BUILTINS.has(id)) {
      const value = BUILTINS.get(id);
      return () => value;
    }
    if (REFUSED_BUILTINS.has(id)) {
      throw new PyError('UnsupportedError', `the builtin '${id}' is not supported`, node.pos);
    }
    throw new PyError('NameError', `name '${id}' is not defined`, node.pos);
  }

  private comparison(leftNode: Expr, ops: CompareOp[], comparatorNodes: Expr[]): Code {
    const left = this.compile(leftNode);
    const comparators = comparatorNodes.map((c) => this.compile(c));
    return (env) => {
      env.rt.step();
      let a = left(env);
      for (let i = 0; i < ops.length; i++) {
        const b = comparators[i](env);
        if (!compareOne(env.rt, ops[i], a, b)) return false;
        a = b;
      }
      return true;
    };
  }

  /** The elements of a display, with `*iterable` spread. */
  private items(elts: Expr[]): (env: Env) => unknown[] {
    const parts = elts.map((e) =>
      e.type === 'Starred'
        ? { star: true, code: this.compile(e.value) }
        : { star: false, code: this.compile(e) },
    );
    if (parts.every((p) => !p.star)) return (env) => parts.map((p) => p.code(env));
    return (env) => {
      const out: unknown[] = [];
      for (const part of parts) {
        const value = part.code(env);
        if (part.star) {
          if (!isIterable(value)) {
            throw typeError(`Value after * must be an iterable, not ${typeName(value)}`);
          }
          for (const item of iterate(env.rt, value)) out.push(item);
          checkItems(out.length);
        } else out.push(value);
      }
      return out;
    };
  }

  private call(node: Extract<Expr, { type: 'Call' }>): Code {
    const func = this.compile(node.func);
    const args = this.items(node.args);
    const keywords = node.keywords.map((k) => ({ name: k.name, code: this.compile(k.value) }));
    return (env) => {
      const fn = func(env);
      const positional = args(env);
      const kwargs = Object.create(null) as Record<string, unknown>;
      for (const keyword of keywords) {
        const value = keyword.code(env);
        if (keyword.name !== null) {
          kwargs[keyword.name] = value;
          continue;
        }
        if (!isDict(value)) {
          throw typeError(`argument after ** must be a mapping, not ${typeName(value)}`);
        }
        for (const [k, v] of dictEntries(value)) {
          if (typeof k !== 'string') throw typeError('keywords must be strings');
          if (Object.prototype.hasOwnProperty.call(kwargs, k)) {
            throw typeError(`got multiple values for keyword argument '${k}'`);
          }
          kwargs[k] = v;
        }
      }
      return callValue(env.rt, fn, positional, kwargs);
    };
  }

  // -------------------------------------------------------------------------------------
  // Comprehensions

  private comprehension(
    node: Extract<Expr, { type: 'ListComp' | 'SetComp' | 'GeneratorExp' | 'DictComp' }>,
  ): Code {
    const generators: Comprehension[] = node.generators;
    const names: string[] = [];
    for (const g of generators) targetNames(g.target, names);
    // The first iterable belongs to the enclosing scope.
    const firstIter = this.compile(generators[0].iter);
    const scope: Scope = { slots: new Map(names.map((n, i) => [n, i])) };
    this.scopes = [scope, ...this.scopes];
    let loops: { iter: Code | null; assign: (env: Env, value: unknown) => void; ifs: Code[] }[];
    let element: Code;
    let value: Code | null = null;
    try {
      loops = generators.map((g, i) => ({
        iter: i === 0 ? null : this.compile(g.iter),
        assign: compileTarget(g.target, scope),
        ifs: g.ifs.map((c) => this.compile(c)),
      }));
      if (node.type === 'DictComp') {
        element = this.compile(node.key);
        value = this.compile(node.value);
      } else element = this.compile(node.elt);
    } finally {
      this.scopes = this.scopes.slice(1);
    }
    const size = names.length;
    const frame = (env: Env): Env => ({
      vars: new Array<unknown>(size).fill(UNBOUND),
      parent: env,
      rt: env.rt,
    });

    if (node.type === 'GeneratorExp') {
      function* run(inner: Env, level: number, iterable: unknown): Generator<unknown> {
        const loop = loops[level];
        for (const item of iterate(inner.rt, iterable)) {
          loop.assign(inner, item);
          if (!loop.ifs.every((c) => truthy(c(inner)))) continue;
          if (level + 1 < loops.length)
            yield* run(inner, level + 1, (loops[level + 1].iter as Code)(inner));
          else yield element(inner);
        }
      }
      return (env) => {
        const iterable = firstIter(env);
        if (!isIterable(iterable))
          throw typeError(`'${typeName(iterable)}' object is not iterable`);
        return new PyIterator('generator', run(frame(env), 0, iterable));
      };
    }

    const eager = (inner: Env, level: number, iterable: unknown, emit: () => void): void => {
      const loop = loops[level];
      for (const item of iterate(inner.rt, iterable)) {
        loop.assign(inner, item);
        let keep = true;
        for (const condition of loop.ifs) {
          if (!truthy(condition(inner))) {
            keep = false;
            break;
          }
        }
        if (!keep) continue;
        if (level + 1 < loops.length)
          eager(inner, level + 1, (loops[level + 1].iter as Code)(inner), emit);
        else emit();
      }
    };
    const kind = node.type;
    return (env) => {
      const iterable = firstIter(env);
      const inner = frame(env);
      if (kind === 'DictComp') {
        const dict = new PyDict();
        eager(inner, 0, iterable, () => {
          const k = element(inner);
          dict.set(k, (value as Code)(inner));
          if (dict.size % 65536 === 0) checkItems(dict.size, 'dict');
        });
        checkItems(dict.size, 'dict');
        return dict;
      }
      if (kind === 'SetComp') {
        const set = new PySet();
        eager(inner, 0, iterable, () => set.add(element(inner)));
        checkItems(set.size, 'set');
        return set;
      }
      const list: unknown[] = [];
      eager(inner, 0, iterable, () => {
        list.push(element(inner));
        if (list.length % 65536 === 0) checkItems(list.length);
      });
      checkItems(list.length);
      return list;
    };
  }
}

function compileTarget(target: Target, scope: Scope): (env: Env, value: unknown) => void {
  if (target.type === 'Name') {
    const slot = scope.slots.get(target.id) as number;
    return (env, value) => {
      env.vars[slot] = value;
    };
  }
  if (target.type === 'StarTarget') {
    throw new PyError(
      'SyntaxError',
      'starred assignment target must be in a list or tuple',
      target.pos,
    );
  }
  const elts = target.elts;
  const starAt = elts.findIndex((e) => e.type === 'StarTarget');
  const assigns = elts.map((e) =>
    e.type === 'StarTarget' ? compileTarget(e.target, scope) : compileTarget(e, scope),
  );
  return (env, value) => {
    if (!isIterable(value)) {
      throw typeError(`cannot unpack non-iterable ${typeName(value)} object`);
    }
    const items = toArray(env.rt, value);
    if (starAt < 0) {
      if (items.length < elts.length) {
        throw valueError(
          `not enough values to unpack (expected ${elts.length}, got ${items.length})`,
        );
      }
      if (items.length > elts.length)
        throw valueError(`too many values to unpack (expected ${elts.length})`);
      for (let i = 0; i < elts.length; i++) assigns[i](env, items[i]);
      return;
    }
    const after = elts.length - starAt - 1;
    if (items.length < elts.length - 1) {
      throw valueError(
        `not enough values to unpack (expected at least ${elts.length - 1}, got ${items.length})`,
      );
    }
    for (let i = 0; i < starAt; i++) assigns[i](env, items[i]);
    assigns[starAt](env, items.slice(starAt, items.length - after));
    for (let i = 0; i < after; i++) assigns[starAt + 1 + i](env, items[items.length - after + i]);
  };
}

function compareOne(rt: Runtime, op: CompareOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return pyEquals(a, b, rt);
    case '!=':
      return !pyEquals(a, b, rt);
    case 'in':
      return contains(rt, b, a);
    case 'not in':
      return !contains(rt, b, a);
    case 'is':
      return isIdentical(a, b);
    case 'is not':
      return !isIdentical(a, b);
    default:
      return compareOrder(op, a, b, rt);
  }
}
