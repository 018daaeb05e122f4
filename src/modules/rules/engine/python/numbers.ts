/**
 * Python int and float arithmetic over the value model: ints are safe-integer numbers
 * or bigints (beyond 2^53), floats are non-integral numbers or `PyFloat` boxes. Floor
 * division and modulo follow Python's sign rules, float formatting is correctly rounded
 * (half to even on the exact binary value, as CPython's).
 */
import {
  PyError,
  memoryError,
  overflowError,
  typeError,
  unsupported,
  zeroDivision,
} from './errors';
import { MAX_INT_BITS } from './runtime';
import { PyFloat, mkFloat } from './values';

export type PyInt = number | bigint;

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** 'int' (bool included), 'float', or null for anything else. */
export function numKind(v: unknown): 'int' | 'float' | null {
  switch (typeof v) {
    case 'boolean':
    case 'bigint':
      return 'int';
    case 'number':
      return Number.isSafeInteger(v) ? 'int' : 'float';
  }
  return v instanceof PyFloat ? 'float' : null;
}

/** The int value of an int or bool. */
export function intOf(v: unknown): PyInt {
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v as PyInt;
}

/** The float value of an int, bool or float (OverflowError for ints beyond floats). */
export function floatOf(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  const x = Number(v as bigint);
  if (!Number.isFinite(x)) throw overflowError('int too large to convert to float');
  return x;
}

function bitLength(b: bigint): number {
  return (b < 0n ? -b : b).toString(16).length * 4;
}

/** Normalises a bigint result: a number when safe, refused when absurdly large. */
export function normInt(b: bigint): PyInt {
  if (b >= MIN_SAFE && b <= MAX_SAFE) return Number(b);
  if (bitLength(b) > MAX_INT_BITS) {
    throw memoryError(`refusing to build an int of more than ${MAX_INT_BITS} bits`);
  }
  return b;
}

const big = (v: PyInt): bigint => (typeof v === 'bigint' ? v : BigInt(v));

export function intAdd(a: PyInt, b: PyInt): PyInt {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normInt(big(a) + big(b));
}

export function intSub(a: PyInt, b: PyInt): PyInt {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normInt(big(a) - big(b));
}

export function intMul(a: PyInt, b: PyInt): PyInt {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  return normInt(big(a) * big(b));
}

export function intNeg(a: PyInt): PyInt {
  return typeof a === 'number' ? 0 - a : normInt(-a);
}

function isZero(v: PyInt): boolean {
  return typeof v === 'number' ? v === 0 : v === 0n;
}

/** [a // b, a % b] with Python's floor semantics. */
export function intDivmod(
  a: PyInt,
  b: PyInt,
  message = 'integer division or modulo by zero',
): [PyInt, PyInt] {
  if (isZero(b)) throw zeroDivision(message);
  if (typeof a === 'number' && typeof b === 'number') {
    let r = a % b;
    let q = (a - r) / b;
    if (r !== 0 && r < 0 !== b < 0) {
      r += b;
      q -= 1;
    }
    return [q === 0 ? 0 : q, r === 0 ? 0 : r];
  }
  const x = big(a);
  const y = big(b);
  let q = x / y;
  let r = x % y;
  if (r !== 0n && r < 0n !== y < 0n) {
    r += y;
    q -= 1n;
  }
  return [normInt(q), normInt(r)];
}

export function intPow(a: PyInt, b: PyInt): PyInt | number | PyFloat {
  if (b < 0) {
    if (isZero(a)) throw zeroDivision('0.0 cannot be raised to a negative power');
    return floatPow(floatOf(a), floatOf(b));
  }
  const base = big(a);
  const magnitude = base < 0n ? -base : base;
  if (magnitude > 1n) {
    const bits = Number(b) * Math.log2(Number(magnitude));
    if (bits > MAX_INT_BITS) {
      throw memoryError(`refusing to build an int of about ${Math.round(bits)} bits`);
    }
  }
  return normInt(base ** big(b));
}

function intBitwise(a: PyInt, b: PyInt, op: '&' | '|' | '^'): PyInt {
  const x = big(a);
  const y = big(b);
  return normInt(op === '&' ? x & y : op === '|' ? x | y : x ^ y);
}

export const intAnd = (a: PyInt, b: PyInt): PyInt => intBitwise(a, b, '&');
export const intOr = (a: PyInt, b: PyInt): PyInt => intBitwise(a, b, '|');
export const intXor = (a: PyInt, b: PyInt): PyInt => intBitwise(a, b, '^');
export const intInvert = (a: PyInt): PyInt => normInt(~big(a));

export function intShift(a: PyInt, b: PyInt, left: boolean): PyInt {
  if (b < 0) throw new PyError('ValueError', 'negative shift count');
  if (left && Number(b) + bitLength(big(a)) > MAX_INT_BITS) {
    throw memoryError(`refusing to build an int of more than ${MAX_INT_BITS} bits`);
  }
  if (!left && Number(b) > MAX_INT_BITS) return a < 0 ? -1 : 0;
  return normInt(left ? big(a) << big(b) : big(a) >> big(b));
}

// ---------------------------------------------------------------------------------------
// Floats

export function floatDivmod(x: number, y: number, message = 'float divmod()'): [number, number] {
  if (y === 0) throw zeroDivision(message);
  // CPython's float_divmod: fmod keeps the exact remainder, then the signs are fixed up.
  let mod = x % y;
  let div = (x - mod) / y;
  if (mod) {
    if (y < 0 !== mod < 0) {
      mod += y;
      div -= 1;
    }
  } else {
    mod = y < 0 ? -0 : 0;
  }
  let floordiv: number;
  if (div) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    floordiv = x / y < 0 ? -0 : 0;
  }
  return [floordiv, mod];
}

export function floatPow(x: number, y: number): number | PyFloat {
  if (y === 0 || x === 1) return mkFloat(1);
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === 0 && y < 0) throw zeroDivision('0.0 cannot be raised to a negative power');
  if (x < 0 && Number.isFinite(y) && !Number.isInteger(y)) {
    throw unsupported('complex numbers are not supported (negative number to a fractional power)');
  }
  if (x === -1 && !Number.isFinite(y)) return mkFloat(1);
  const r = Math.pow(x, y);
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) {
    throw overflowError("(34, 'Numerical result out of range')");
  }
  return mkFloat(r);
}

// ---------------------------------------------------------------------------------------
// Formatting

/** Python's repr() of a float: the shortest round-tripping digits, Python's layout. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, e] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(e);
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      return `${sign}${intPart}.${digits.slice(exp + 1) || '0'}`;
    }
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  const m = digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** The exact decimal value of a positive finite double: digits × 10^exp10. */
function exactDecimal(x: number): { digits: string; exp10: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2: number;
  if (biased === 0) exp2 = -1074;
  else {
    mant |= 1n << 52n;
    exp2 = biased - 1075;
  }
  if (exp2 >= 0) return { digits: (mant << BigInt(exp2)).toString(), exp10: 0 };
  return { digits: (mant * 5n ** BigInt(-exp2)).toString(), exp10: exp2 };
}

/** round-half-even(digits × 10^(exp10 + decimals)) as a bigint. */
function roundDecimal(digits: string, exp10: number, decimals: number): bigint {
  const shift = exp10 + decimals;
  if (shift >= 0) return BigInt(digits) * 10n ** BigInt(shift);
  const cut = -shift;
  if (cut > digits.length) return 0n;
  const kept = digits.slice(0, digits.length - cut);
  const rest = digits.slice(digits.length - cut);
  let q = kept ? BigInt(kept) : 0n;
  const first = rest[0];
  if (first > '5') q += 1n;
  else if (first === '5') {
    const beyond = /[1-9]/.test(rest.slice(1));
    if (beyond || q % 2n === 1n) q += 1n;
  }
  return q;
}

function withPoint(integer: bigint, decimals: number): string {
  const s = integer.toString().padStart(decimals + 1, '0');
  return decimals > 0 ? `${s.slice(0, s.length - decimals)}.${s.slice(s.length - decimals)}` : s;
}

function nonFinite(x: number, upper: boolean): string | null {
  if (Number.isFinite(x)) return null;
  const s = Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  return upper ? s.toUpperCase() : s;
}

/** `%.<decimals>f` of |x| (the caller adds the sign). */
export function formatFixedAbs(x: number, decimals: number, upper = false): string {
  const special = nonFinite(Math.abs(x), upper);
  if (special) return special;
  if (x === 0) return withPoint(0n, decimals);
  const { digits, exp10 } = exactDecimal(Math.abs(x));
  return withPoint(roundDecimal(digits, exp10, decimals), decimals);
}

/** |x| rounded to `significant` digits: the digits and the decimal exponent of the first. */
function roundSignificant(x: number, significant: number): { digits: string; exp: number } {
  if (x === 0) return { digits: '0'.repeat(significant), exp: 0 };
  const { digits, exp10 } = exactDecimal(x);
  let exp = digits.length - 1 + exp10;
  let r = roundDecimal(digits, exp10, significant - 1 - exp).toString();
  if (r.length > significant) {
    r = r.slice(0, significant);
    exp += 1;
  }
  return { digits: r, exp };
}

function exponentSuffix(exp: number, upper: boolean): string {
  return `${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** `%.<decimals>e` of |x|. */
export function formatExponentAbs(
  x: number,
  decimals: number,
  upper = false,
  alternate = false,
): string {
  const special = nonFinite(Math.abs(x), upper);
  if (special) return special;
  const { digits, exp } = roundSignificant(Math.abs(x), decimals + 1);
  const point = decimals > 0 || alternate ? '.' : '';
  return `${digits[0]}${point}${digits.slice(1)}${exponentSuffix(exp, upper)}`;
}

/** `%.<precision>g` of |x|. */
export function formatGeneralAbs(
  x: number,
  precision: number,
  upper = false,
  alternate = false,
): string {
  const special = nonFinite(Math.abs(x), upper);
  if (special) return special;
  const p = precision === 0 ? 1 : precision;
  const { exp } = roundSignificant(Math.abs(x), p);
  let s =
    exp >= -4 && exp < p
      ? formatFixedAbs(x, p - 1 - exp)
      : formatExponentAbs(x, p - 1, upper, alternate);
  if (!alternate) {
    const [mantissa, suffix = ''] = s.split(/(?=[eE])/);
    s = (mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa) + suffix;
  } else if (!s.includes('.')) {
    const [mantissa, suffix = ''] = s.split(/(?=[eE])/);
    s = `${mantissa}.${suffix}`;
  }
  return s;
}

/** round(x) (an int) and round(x, n) (a float), correctly rounded half to even. */
export function roundFloat(x: number, ndigits: number | null): PyInt | number | PyFloat {
  if (ndigits === null) {
    if (Number.isNaN(x)) throw new PyError('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(x)) throw overflowError('cannot convert float infinity to integer');
    if (x === 0) return 0;
    const { digits, exp10 } = exactDecimal(Math.abs(x));
    const r = roundDecimal(digits, exp10, 0);
    return normInt(x < 0 ? -r : r);
  }
  if (!Number.isFinite(x) || x === 0) return mkFloat(x);
  if (ndigits > 330) return mkFloat(x);
  if (ndigits < -330) return mkFloat(x < 0 ? -0 : 0);
  const { digits, exp10 } = exactDecimal(Math.abs(x));
  const r = roundDecimal(digits, exp10, ndigits);
  const text = ndigits >= 0 ? withPoint(r, ndigits) : `${r.toString()}e${-ndigits}`;
  const value = Number(text);
  if (!Number.isFinite(value)) throw overflowError('rounded value too large to represent');
  return mkFloat(x < 0 ? -value : value);
}

/** round(n, ndigits) for an int: half to even at a power of ten. */
export function roundInt(n: PyInt, ndigits: number): PyInt {
  if (ndigits >= 0) return n;
  const unit = 10n ** BigInt(-ndigits);
  const value = big(n);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let q = magnitude / unit;
  const r = magnitude % unit;
  const twice = r * 2n;
  if (twice > unit || (twice === unit && q % 2n === 1n)) q += 1n;
  return normInt((negative ? -q : q) * unit);
}

/** int(x) for a float: truncation toward zero. */
export function truncFloat(x: number): PyInt {
  if (Number.isNaN(x)) throw new PyError('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(x)) throw overflowError('cannot convert float infinity to integer');
  const t = Math.trunc(x);
  return Number.isSafeInteger(t) ? (t === 0 ? 0 : t) : normInt(BigInt(t));
}

/** CPython 3.11's limit on decimal conversions of ints (sys.get_int_max_str_digits()). */
export const MAX_STR_DIGITS = 4300;

/** str() of an int, refused beyond 4300 digits as CPython 3.11 does. */
export function intToDecimal(n: PyInt): string {
  const text = n.toString();
  if (typeof n === 'bigint' && text.length - (n < 0n ? 1 : 0) > MAX_STR_DIGITS) {
    throw new PyError(
      'ValueError',
      `Exceeds the limit (${MAX_STR_DIGITS} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  return text;
}

export function requireInt(v: unknown, what: string): PyInt {
  if (numKind(v) !== 'int') {
    throw typeError(`${what} must be an integer`);
  }
  return intOf(v);
}
