/**
 * WebIDL conversions (https://webidl.spec.whatwg.org/#es-type-mapping) for the types the
 * Media Capture specs use. Each converter takes a `context` that names the member being
 * converted, so a TypeError says which argument or dictionary member was wrong.
 */

export function typeError(context: string, message: string): TypeError {
  return new TypeError(`${context} ${message}`);
}

/** `boolean`: ToBoolean, never throws. */
export function toBoolean(value: unknown): boolean {
  return Boolean(value);
}

/** `DOMString`: ToString; symbols are a TypeError. */
export function toDOMString(value: unknown, context: string): string {
  if (typeof value === 'symbol') throw typeError(context, 'is a Symbol, which cannot be converted to a string.');
  return String(value);
}

/** `double` (restricted): finite numbers only. */
export function toDouble(value: unknown, context: string): number {
  if (typeof value === 'symbol' || typeof value === 'bigint') throw typeError(context, 'is not a number.');
  const x = Number(value);
  if (!Number.isFinite(x)) throw typeError(context, `is not a finite number (got ${String(x)}).`);
  return x;
}

/** `unrestricted double`. */
export function toUnrestrictedDouble(value: unknown, context: string): number {
  if (typeof value === 'symbol' || typeof value === 'bigint') throw typeError(context, 'is not a number.');
  return Number(value);
}

function integerPart(x: number): number {
  return Math.sign(x) * Math.floor(Math.abs(x));
}

/** Integer types per WebIDL ConvertToInt, without [EnforceRange]/[Clamp]: wraps modulo 2^bits. */
function toInt(value: unknown, context: string, bits: number, signed: boolean): number {
  if (typeof value === 'symbol' || typeof value === 'bigint') throw typeError(context, 'is not a number.');
  let x = Number(value);
  if (Number.isNaN(x) || x === 0 || !Number.isFinite(x)) return 0;
  x = integerPart(x);
  const mod = 2 ** bits;
  // Reduce without adding 2^64 to small values (doubles would lose them).
  x = x % mod;
  if (signed) {
    if (x >= 2 ** (bits - 1)) x -= mod;
    else if (x < -(2 ** (bits - 1))) x += mod;
  } else if (x < 0) x += mod;
  return x === 0 ? 0 : x;
}

export const toUnsignedLong = (v: unknown, c: string) => toInt(v, c, 32, false);
export const toLong = (v: unknown, c: string) => toInt(v, c, 32, true);
export const toUnsignedLongLong = (v: unknown, c: string) => toInt(v, c, 64, false);
export const toLongLong = (v: unknown, c: string) => toInt(v, c, 64, true);

/** [EnforceRange] integer: non-finite or out-of-range is a TypeError. */
export function toEnforcedInteger(value: unknown, context: string, min: number, max: number): number {
  if (typeof value === 'symbol' || typeof value === 'bigint') throw typeError(context, 'is not a number.');
  const x = Number(value);
  if (!Number.isFinite(x)) throw typeError(context, `is not a finite number (got ${String(x)}).`);
  const i = integerPart(x);
  if (i < min || i > max) throw typeError(context, `is outside the range ${min} to ${max} (got ${i}).`);
  return i;
}

/** An IDL enumeration: the string must be one of `values`. */
export function toEnum<T extends string>(value: unknown, values: readonly T[], context: string, typeName: string): T {
  const s = toDOMString(value, context);
  if (!(values as readonly string[]).includes(s)) {
    throw typeError(context, `"${s}" is not a valid value of the ${typeName} enumeration (expected one of ${values.map((v) => `"${v}"`).join(', ')}).`);
  }
  return s as T;
}

/**
 * The start of every dictionary conversion: undefined and null give an empty dictionary, any
 * other non-object is a TypeError. Members are then read with `get`, which runs getters once,
 * in the order the caller reads them (WebIDL: inherited first, then own, each sorted).
 */
export function dictionaryObject(value: unknown, context: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' && typeof value !== 'function') {
    throw typeError(context, 'is not an object and cannot be converted to a dictionary.');
  }
  return value as Record<string, unknown>;
}

/** `sequence<T>`: any iterable object; strings and non-objects are a TypeError. */
export function toSequence<T>(value: unknown, context: string, convert: (item: unknown, ctx: string) => T, limit = 1e6): T[] {
  if (typeof value !== 'object' || value === null) throw typeError(context, 'is not an iterable object, so it cannot be converted to a sequence.');
  const iteratorMethod = (value as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof iteratorMethod !== 'function') throw typeError(context, 'is not iterable, so it cannot be converted to a sequence.');
  const out: T[] = [];
  for (const item of value as Iterable<unknown>) {
    if (out.length >= limit) throw typeError(context, `has more than ${limit} items.`);
    out.push(convert(item, `${context}[${out.length}]`));
  }
  return out;
}

/** `(A or sequence<A>)` where A is a string type: a string stays one, an iterable becomes a list. */
export function isSequenceLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}
