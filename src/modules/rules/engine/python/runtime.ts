import { PyError, memoryError } from './errors';

/** The default evaluation budget of one `evaluate` call. */
export const DEFAULT_STEP_LIMIT = 100_000;
/** Longest str an expression may build (characters). */
export const MAX_STR_LENGTH = 10_000_000;
/** Most items a list, tuple, dict or set built by an expression may hold. */
export const MAX_ITEMS = 1_000_000;
/** Largest int an expression may build, in bits (about 30,000 decimal digits). */
export const MAX_INT_BITS = 100_000;
/** Deepest nesting of values that repr, equality and json.dumps walk through. */
export const MAX_VALUE_DEPTH = 200;

/**
 * The budget of one evaluation. Every evaluated node and every item an iteration yields
 * costs one step; bulk operations (building a long string, sorting) cost one step per
 * hundred characters or items, so that no single step does unbounded work.
 */
export class Runtime {
  steps = 0;

  constructor(readonly stepLimit: number) {}

  /** A runtime without a budget, for repr/str called from outside an evaluation. */
  static unbounded(): Runtime {
    return new Runtime(Number.POSITIVE_INFINITY);
  }

  step(): void {
    if (++this.steps > this.stepLimit) this.exceeded();
  }

  /** Charges the work of a bulk operation over `size` characters or items. */
  charge(size: number): void {
    this.steps += Math.floor(size / 100);
    if (this.steps > this.stepLimit) this.exceeded();
  }

  private exceeded(): never {
    throw new PyError(
      'StepLimitExceeded',
      `evaluation exceeded its budget of ${this.stepLimit} steps`,
    );
  }
}

export function checkStrLength(length: number): void {
  if (length > MAX_STR_LENGTH) {
    throw memoryError(`refusing to build a str of ${length} characters (limit ${MAX_STR_LENGTH})`);
  }
}

export function checkItems(count: number, what = 'list'): void {
  if (count > MAX_ITEMS) {
    throw memoryError(`refusing to build a ${what} of ${count} items (limit ${MAX_ITEMS})`);
  }
}
