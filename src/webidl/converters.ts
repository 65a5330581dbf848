/**
 * WebIDL conversions (https://webidl.spec.whatwg.org/#es-type-mapping) of the primitive and
 * string types, enumerations, nullable types and sequences. Dictionaries are in dictionary.ts,
 * interface types in interface-types.ts.
 *
 * Every converter is a {@link Converter}: it takes the JavaScript value and a `context` naming
 * what is converted (`"Failed to execute 'start' on 'MediaRecorder': timeslice"`, or a member
 * path like `constraints.video.width.min`), so that a TypeError says which argument or member was
 * wrong. `src/webidl/index.ts` gathers them all by IDL type name.
 */

/** A WebIDL conversion from a JavaScript value to an IDL value of type `T`. */
export type Converter<T> = (value: unknown, context: string) => T;

/** The TypeError a conversion throws: `context` (what was converted), then what was wrong with it. */
export function typeError(context: string, message: string): TypeError {
  return new TypeError(`${context} ${message}`);
}

/** ECMAScript "is an Object": objects and functions. */
export function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/**
 * ECMAScript ToNumber. Symbols and BigInts are a TypeError naming the value; an object's
 * valueOf/toString run, and what they throw propagates.
 */
export function toNumber(value: unknown, context: string): number {
  if (typeof value === 'symbol') throw typeError(context, 'is a Symbol, which cannot be converted to a number.');
  if (typeof value === 'bigint') throw typeError(context, 'is a BigInt, which cannot be converted to a number.');
  return +(value as number);
}

/** `any`: the value itself. */
export function toAny(value: unknown): unknown {
  return value;
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

/** `USVString`: a DOMString with each lone surrogate replaced by U+FFFD. */
export function toUSVString(value: unknown, context: string): string {
  return toDOMString(value, context).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** `double` (restricted): NaN and ±Infinity are a TypeError. */
export function toDouble(value: unknown, context: string): number {
  const x = toNumber(value, context);
  if (!Number.isFinite(x)) throw typeError(context, `is not a finite number (got ${String(x)}).`);
  return x;
}

/** `unrestricted double`: any number, NaN and ±Infinity included. */
export function toUnrestrictedDouble(value: unknown, context: string): number {
  return toNumber(value, context);
}

/** `float` (restricted): the nearest single-precision value; not finite before or after rounding is a TypeError. */
export function toFloat(value: unknown, context: string): number {
  const x = Math.fround(toDouble(value, context));
  if (!Number.isFinite(x)) throw typeError(context, 'is too large for a float.');
  return x;
}

/** IntegerPart: the integer towards zero. */
function integerPart(x: number): number {
  return Math.sign(x) * Math.floor(Math.abs(x));
}

/** ConvertToInt without [EnforceRange] or [Clamp]: NaN and infinities are 0, anything else wraps modulo 2^bits. */
function toInt(value: unknown, context: string, bits: 32 | 64, signed: boolean): number {
  let x = toNumber(value, context);
  if (Number.isNaN(x) || x === 0 || !Number.isFinite(x)) return 0;
  x = integerPart(x);
  const mod = 2 ** bits;
  // fmod is exact; adding 2^bits rounds once, as converting the exact IDL value to a Number would.
  x = x % mod;
  if (signed) {
    if (x >= 2 ** (bits - 1)) x -= mod;
    else if (x < -(2 ** (bits - 1))) x += mod;
  } else if (x < 0) x += mod;
  return x === 0 ? 0 : x;
}

/** `unsigned long`. */
export const toUnsignedLong: Converter<number> = (v, c) => toInt(v, c, 32, false);
/** `long`. */
export const toLong: Converter<number> = (v, c) => toInt(v, c, 32, true);
/** `unsigned long long`. */
export const toUnsignedLongLong: Converter<number> = (v, c) => toInt(v, c, 64, false);
/** `long long`. */
export const toLongLong: Converter<number> = (v, c) => toInt(v, c, 64, true);

/** ConvertToInt with [EnforceRange]: not finite, or outside `min`..`max` once truncated, is a TypeError. */
export function toEnforcedInteger(value: unknown, context: string, min: number, max: number): number {
  const x = toNumber(value, context);
  if (!Number.isFinite(x)) throw typeError(context, `is not a finite number (got ${String(x)}).`);
  const i = integerPart(x) + 0;
  if (i < min || i > max) throw typeError(context, `is outside the range ${min} to ${max} (got ${i}).`);
  return i;
}

/** ConvertToInt with [Clamp]: clamped into `min`..`max`, rounded to the nearest integer, ties to even; NaN is 0. */
export function toClampedInteger(value: unknown, context: string, min: number, max: number): number {
  const x = toNumber(value, context);
  if (Number.isNaN(x)) return 0;
  const clamped = Math.min(Math.max(x, min), max);
  const floor = Math.floor(clamped);
  const fraction = clamped - floor;
  const rounded = fraction > 0.5 || (fraction === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  // +0, never -0.
  return rounded + 0;
}

const MAX_UNSIGNED_SHORT = 0xffff;
const MAX_UNSIGNED_LONG = 0xffff_ffff;

/** `[EnforceRange] unsigned short`. */
export const toEnforcedUnsignedShort: Converter<number> = (v, c) => toEnforcedInteger(v, c, 0, MAX_UNSIGNED_SHORT);
/** `[EnforceRange] unsigned long`. */
export const toEnforcedUnsignedLong: Converter<number> = (v, c) => toEnforcedInteger(v, c, 0, MAX_UNSIGNED_LONG);
/** `[EnforceRange] long long` (a JavaScript number reaches ±(2^53 − 1)). */
export const toEnforcedLongLong: Converter<number> = (v, c) => toEnforcedInteger(v, c, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
/** `[EnforceRange] unsigned long long`. */
export const toEnforcedUnsignedLongLong: Converter<number> = (v, c) => toEnforcedInteger(v, c, 0, Number.MAX_SAFE_INTEGER);
/** `[Clamp] unsigned long`. */
export const toClampedUnsignedLong: Converter<number> = (v, c) => toClampedInteger(v, c, 0, MAX_UNSIGNED_LONG);

/** An IDL enumeration's converter: ToString, then the string must be one of `values`. */
export function enumeration<T extends string>(typeName: string, values: readonly T[]): Converter<T> {
  return (value, context) => {
    const s = toDOMString(value, context);
    if (!(values as readonly string[]).includes(s)) {
      throw typeError(context, `"${s}" is not a valid value of the ${typeName} enumeration (expected one of ${values.map((v) => `"${v}"`).join(', ')}).`);
    }
    return s as T;
  };
}

/** `T?`: undefined and null are null; anything else converts as `T`. */
export function nullable<T>(convert: Converter<T>): Converter<T | null> {
  return (value, context) => (value === undefined || value === null ? null : convert(value, context));
}

// sequence<T> (https://webidl.spec.whatwg.org/#js-sequence): "create a sequence from an iterable".
// The only conversion of iterables in the package; a union that may hold a sequence
// (`(DOMString or sequence<DOMString>)`) looks up the iterator method once with getIteratorMethod
// and hands it to sequenceFromIterable.

/** How many items a sequence takes unless its converter says otherwise (an endless iterable would never finish). */
export const DEFAULT_SEQUENCE_LIMIT = 1_000_000;

/** GetMethod(value, @@iterator): undefined when absent or null, a TypeError when not callable. */
export function getIteratorMethod(value: object, context: string): ((this: unknown) => unknown) | undefined {
  const method = (value as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (method === undefined || method === null) return undefined;
  if (typeof method !== 'function') throw typeError(context, 'has a Symbol.iterator member that is not a function.');
  return method as (this: unknown) => unknown;
}

/**
 * "Create a sequence from an iterable" with the @@iterator method already looked up. Items are
 * converted as they come; past `limit` items it stops with a TypeError. Like the spec, it does not
 * close the iterator when a conversion throws.
 */
export function sequenceFromIterable<T>(iterable: object, method: (this: unknown) => unknown, context: string, convert: Converter<T>, limit = DEFAULT_SEQUENCE_LIMIT): T[] {
  const iterator = method.call(iterable);
  if (!isObject(iterator)) throw typeError(context, 'has an iterator method that did not return an object.');
  const next = (iterator as { next?: unknown }).next;
  if (typeof next !== 'function') throw typeError(context, 'has an iterator without a next() method.');
  const out: T[] = [];
  for (;;) {
    const result: unknown = next.call(iterator);
    if (!isObject(result)) throw typeError(context, 'has an iterator whose next() did not return an object.');
    if (toBoolean((result as { done?: unknown }).done)) return out;
    if (out.length >= limit) throw typeError(context, `has more than ${limit} items.`);
    out.push(convert((result as { value?: unknown }).value, `${context}[${out.length}]`));
  }
}

/** `sequence<T>` from a value: it must be an object with an @@iterator method; strings and other primitives are a TypeError. */
export function toSequence<T>(value: unknown, context: string, convert: Converter<T>, limit = DEFAULT_SEQUENCE_LIMIT): T[] {
  if (!isObject(value)) throw typeError(context, 'is not an object, so it cannot be converted to a sequence.');
  const method = getIteratorMethod(value, context);
  if (method === undefined) throw typeError(context, 'is not iterable, so it cannot be converted to a sequence.');
  return sequenceFromIterable(value, method, context, convert, limit);
}

/** The converter of `sequence<T>`, given the converter of `T`. */
export function sequence<T>(convert: Converter<T>, limit = DEFAULT_SEQUENCE_LIMIT): Converter<T[]> {
  return (value, context) => toSequence(value, context, convert, limit);
}
