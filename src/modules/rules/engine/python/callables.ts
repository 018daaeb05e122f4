import { typeError } from './errors';
import { Runtime } from './runtime';
import { PyCallable, typeName } from './values';

/** A function of the interpreter itself: it reaches the runtime (budget, other calls). */
export class PyBuiltin extends PyCallable {
  constructor(
    name: string,
    private readonly impl: (
      rt: Runtime,
      args: unknown[],
      kwargs: Record<string, unknown>,
    ) => unknown,
  ) {
    super(name, () => null);
  }

  override invoke(rt: Runtime, args: unknown[], kwargs: Record<string, unknown>): unknown {
    return this.impl(rt, args, kwargs);
  }
}

export function builtin(
  name: string,
  impl: (rt: Runtime, args: unknown[], kwargs: Record<string, unknown>) => unknown,
): PyBuiltin {
  return new PyBuiltin(name, impl);
}

export function emptyKwargs(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** Calls a Python callable. Host functions returning `undefined` give None. */
export function callValue(
  rt: Runtime,
  fn: unknown,
  args: unknown[],
  kwargs: Record<string, unknown> = emptyKwargs(),
): unknown {
  if (!(fn instanceof PyCallable)) throw typeError(`'${typeName(fn)}' object is not callable`);
  rt.step();
  const result = fn.invoke(rt, args, kwargs);
  return result === undefined ? null : result;
}

/**
 * Binds positional and keyword arguments to parameter names, Python style:
 * `params` in order, the first `required` of them mandatory, `keywords` the names that
 * may be passed by keyword (positional-only otherwise). Missing optional ones are
 * `undefined`.
 */
export function bindArgs(
  fname: string,
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
  params: readonly string[],
  required: number,
  keywords: readonly string[] = [],
): unknown[] {
  if (args.length > params.length) {
    throw typeError(
      params.length === 0
        ? `${fname}() takes no arguments (${args.length} given)`
        : `${fname}() takes at most ${params.length} argument${params.length === 1 ? '' : 's'} (${args.length} given)`,
    );
  }
  const bound: unknown[] = [...args];
  for (const key of Object.keys(kwargs)) {
    const index = params.indexOf(key);
    if (index < 0 || !keywords.includes(key)) {
      throw typeError(`${fname}() got an unexpected keyword argument '${key}'`);
    }
    if (index < args.length) {
      throw typeError(`${fname}() got multiple values for argument '${key}'`);
    }
    bound[index] = kwargs[key];
  }
  for (let i = 0; i < required; i++) {
    if (bound[i] === undefined && !(i < args.length)) {
      throw typeError(`${fname}() missing required argument '${params[i]}' (pos ${i + 1})`);
    }
  }
  return bound;
}
