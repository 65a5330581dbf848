/**
 * WebIDL conversions (https://webidl.spec.whatwg.org/#es-type-mapping) of the constraint
 * dictionaries: MediaStreamConstraints, MediaTrackConstraints, MediaTrackConstraintSet and the
 * Constrain* unions (https://w3c.github.io/mediacapture-main/#idl-index, §11.2, with the Screen
 * Capture partial dictionary members).
 *
 * - Dictionary members are read with one Get each, in WebIDL order: inherited dictionary first,
 *   then own members, each sorted lexicographically. Unknown members are never read.
 * - Union members follow the union conversion rules: for ConstrainULong and ConstrainDouble an
 *   object (or null) is the range dictionary and anything else a number; for ConstrainDOMString
 *   an iterable object is a sequence, any other object (or null) the parameters dictionary, and
 *   anything else a string; for ConstrainBoolean an object (or null) is the parameters
 *   dictionary and anything else ToBoolean.
 * - `[Clamp] unsigned long` (the IDL of ConstrainULong and ULongRange) clamps into 0..2^32-1 and
 *   rounds half to even; NaN is 0. `double` is restricted: NaN and ±Infinity are a TypeError.
 * - A TypeError names the member by its path, e.g. `constraints.video.advanced[2].width.min`.
 *
 * The result is the IDL dictionary value itself, which getConstraints() returns; the engine's
 * form comes from normalizeConstraints().
 */
import type {
  ConstrainBoolean,
  ConstrainBooleanOrDOMString,
  ConstrainBooleanOrDOMStringParameters,
  ConstrainBooleanParameters,
  ConstrainDOMString,
  ConstrainDOMStringParameters,
  ConstrainDouble,
  ConstrainDoubleRange,
  ConstrainULong,
  ConstrainULongRange,
  MediaStreamConstraints,
  MediaTrackConstraints,
  MediaTrackConstraintSet,
} from '../algorithms/constraints/dictionaries.js';
import { CONSTRAINABLE_PROPERTIES, type ConstraintType } from '../algorithms/constraints/properties.js';
import { dictionaryObject, toBoolean, toDOMString, typeError } from './converters.js';

/** The most advanced constraint sets accepted; more is a TypeError rather than a long stall. */
export const MAX_ADVANCED_CONSTRAINT_SETS = 10_000;
/** The most strings accepted in one `sequence<DOMString>` of a constraint (an endless iterable would never finish). */
export const MAX_CONSTRAINT_STRINGS = 10_000;

/**
 * `MediaStreamConstraints` (§10.2): `audio` then `video`, each `(boolean or MediaTrackConstraints)`
 * defaulting to false. `true` becomes `{}` (no constraints), so each member is either `false` or
 * the constraints for that kind.
 */
export function convertMediaStreamConstraints(value: unknown, context: string): MediaStreamConstraints {
  const dict = dictionaryObject(value, context);
  const audio = dict === undefined ? undefined : dict.audio;
  const audioConstraints = audio === undefined ? false : booleanOrMediaTrackConstraints(audio, `${context}.audio`);
  const video = dict === undefined ? undefined : dict.video;
  const videoConstraints = video === undefined ? false : booleanOrMediaTrackConstraints(video, `${context}.video`);
  return { audio: audioConstraints, video: videoConstraints };
}

/** `MediaTrackConstraints` (§4.3.6): the MediaTrackConstraintSet members, then `advanced`. */
export function convertMediaTrackConstraints(value: unknown, context: string): MediaTrackConstraints {
  const dict = dictionaryObject(value, context);
  const out: MediaTrackConstraints = {};
  if (dict === undefined) return out;
  // Inherited dictionary (MediaTrackConstraintSet) first.
  readConstraintSetMembers(dict, context, out);
  // Then own members: advanced.
  const advanced = dict.advanced;
  if (advanced !== undefined) {
    out.advanced = toSequence(advanced, `${context}.advanced`, convertMediaTrackConstraintSet, MAX_ADVANCED_CONSTRAINT_SETS);
  }
  return out;
}

/** `MediaTrackConstraintSet` (§4.3.6, Screen Capture §5.4.10). */
export function convertMediaTrackConstraintSet(value: unknown, context: string): MediaTrackConstraintSet {
  const dict = dictionaryObject(value, context);
  const out: MediaTrackConstraintSet = {};
  if (dict !== undefined) readConstraintSetMembers(dict, context, out);
  return out;
}

function readConstraintSetMembers(dict: Record<string, unknown>, context: string, out: MediaTrackConstraintSet): void {
  const members = out as Record<string, unknown>;
  for (const property of CONSTRAINABLE_PROPERTIES) {
    const value = dict[property.name];
    if (value !== undefined) members[property.name] = CONVERTERS[property.type](value, `${context}.${property.name}`);
  }
}

function booleanOrMediaTrackConstraints(value: unknown, context: string): false | MediaTrackConstraints {
  // An object, or null (which converts to a dictionary), is MediaTrackConstraints; else boolean.
  if (value === null || isObject(value)) return convertMediaTrackConstraints(value, context);
  return toBoolean(value) ? {} : false;
}

/** `ConstrainULong`: `([Clamp] unsigned long or ConstrainULongRange)`. */
export function convertConstrainULong(value: unknown, context: string): ConstrainULong {
  if (value === null || value === undefined || isObject(value)) return convertConstrainULongRange(value, context);
  return toClampedUnsignedLong(value, context);
}

/** `ConstrainULongRange`: ULongRange's max, min, then exact, ideal. */
export function convertConstrainULongRange(value: unknown, context: string): ConstrainULongRange {
  const dict = dictionaryObject(value, context);
  const out: ConstrainULongRange = {};
  if (dict === undefined) return out;
  for (const key of ['max', 'min', 'exact', 'ideal'] as const) {
    const v = dict[key];
    if (v !== undefined) out[key] = toClampedUnsignedLong(v, `${context}.${key}`);
  }
  return out;
}

/** `ConstrainDouble`: `(double or ConstrainDoubleRange)`. */
export function convertConstrainDouble(value: unknown, context: string): ConstrainDouble {
  if (value === null || value === undefined || isObject(value)) return convertConstrainDoubleRange(value, context);
  return toRestrictedDouble(value, context);
}

/** `ConstrainDoubleRange`: DoubleRange's max, min, then exact, ideal. */
export function convertConstrainDoubleRange(value: unknown, context: string): ConstrainDoubleRange {
  const dict = dictionaryObject(value, context);
  const out: ConstrainDoubleRange = {};
  if (dict === undefined) return out;
  for (const key of ['max', 'min', 'exact', 'ideal'] as const) {
    const v = dict[key];
    if (v !== undefined) out[key] = toRestrictedDouble(v, `${context}.${key}`);
  }
  return out;
}

/** `ConstrainBoolean`: `(boolean or ConstrainBooleanParameters)`. */
export function convertConstrainBoolean(value: unknown, context: string): ConstrainBoolean {
  if (value === null || value === undefined || isObject(value)) {
    const dict = dictionaryObject(value, context);
    const out: ConstrainBooleanParameters = {};
    if (dict === undefined) return out;
    for (const key of ['exact', 'ideal'] as const) {
      const v = dict[key];
      if (v !== undefined) out[key] = toBoolean(v);
    }
    return out;
  }
  return toBoolean(value);
}

/** `ConstrainDOMString`: `(DOMString or sequence<DOMString> or ConstrainDOMStringParameters)`. */
export function convertConstrainDOMString(value: unknown, context: string): ConstrainDOMString {
  if (isObject(value)) {
    const method = getIteratorMethod(value, context);
    if (method !== undefined) return sequenceFromIterable(value, method, context, toDOMString, MAX_CONSTRAINT_STRINGS);
  }
  if (value === null || value === undefined || isObject(value)) {
    const dict = dictionaryObject(value, context);
    const out: ConstrainDOMStringParameters = {};
    if (dict === undefined) return out;
    for (const key of ['exact', 'ideal'] as const) {
      const v = dict[key];
      if (v !== undefined) out[key] = stringOrStringSequence(v, `${context}.${key}`);
    }
    return out;
  }
  return toDOMString(value, context);
}

/** `(DOMString or sequence<DOMString>)`: an iterable object is a sequence, anything else ToString. */
function stringOrStringSequence(value: unknown, context: string): string | string[] {
  if (isObject(value)) {
    const method = getIteratorMethod(value, context);
    if (method !== undefined) return sequenceFromIterable(value, method, context, toDOMString, MAX_CONSTRAINT_STRINGS);
  }
  return toDOMString(value, context);
}

/** `ConstrainBooleanOrDOMString`: `(boolean or DOMString or ConstrainBooleanOrDOMStringParameters)`. */
export function convertConstrainBooleanOrDOMString(value: unknown, context: string): ConstrainBooleanOrDOMString {
  if (value === null || value === undefined || isObject(value)) {
    const dict = dictionaryObject(value, context);
    const out: ConstrainBooleanOrDOMStringParameters = {};
    if (dict === undefined) return out;
    for (const key of ['exact', 'ideal'] as const) {
      const v = dict[key];
      if (v !== undefined) out[key] = typeof v === 'boolean' ? v : toDOMString(v, `${context}.${key}`);
    }
    return out;
  }
  return typeof value === 'boolean' ? value : toDOMString(value, context);
}

/** The converter of each MediaTrackConstraintSet member type, keyed by IDL type name. */
const CONVERTERS: Record<ConstraintType, (value: unknown, context: string) => unknown> = {
  ConstrainULong: convertConstrainULong,
  ConstrainDouble: convertConstrainDouble,
  ConstrainDOMString: convertConstrainDOMString,
  ConstrainBoolean: convertConstrainBoolean,
  ConstrainBooleanOrDOMString: convertConstrainBooleanOrDOMString,
};

function isObject(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}

/**
 * ECMAScript ToNumber. Symbols and BigInts are a TypeError naming the member; an object's
 * valueOf/toString run, and what they throw propagates.
 */
function toNumber(value: unknown, context: string): number {
  if (typeof value === 'symbol') throw typeError(context, 'is a Symbol, which cannot be converted to a number.');
  if (typeof value === 'bigint') throw typeError(context, 'is a BigInt, which cannot be converted to a number.');
  return +(value as number);
}

/** `[Clamp] unsigned long` (WebIDL ConvertToInt with [Clamp]). */
function toClampedUnsignedLong(value: unknown, context: string): number {
  const x = toNumber(value, context);
  if (Number.isNaN(x)) return 0;
  const clamped = Math.min(Math.max(x, 0), 2 ** 32 - 1);
  // Round to the nearest integer, choosing the even one on a tie; +0, never -0.
  const floor = Math.floor(clamped);
  const fraction = clamped - floor;
  const rounded = fraction > 0.5 || (fraction === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  return rounded + 0;
}

/** `double` (restricted): NaN and ±Infinity are a TypeError. */
function toRestrictedDouble(value: unknown, context: string): number {
  const x = toNumber(value, context);
  if (!Number.isFinite(x)) throw typeError(context, `is not a finite number (got ${String(x)}).`);
  return x;
}

/** GetMethod(value, @@iterator): undefined when absent or null, a TypeError when not callable. */
function getIteratorMethod(value: object, context: string): ((this: unknown) => unknown) | undefined {
  const method = (value as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (method === undefined || method === null) return undefined;
  if (typeof method !== 'function') throw typeError(context, 'has a Symbol.iterator member that is not a function.');
  return method as (this: unknown) => unknown;
}

/** `sequence<T>` from a non-union value: an object with an @@iterator method. */
function toSequence<T>(value: unknown, context: string, convert: (item: unknown, context: string) => T, limit: number): T[] {
  if (!isObject(value)) throw typeError(context, 'is not an object, so it cannot be converted to a sequence.');
  const method = getIteratorMethod(value, context);
  if (method === undefined) throw typeError(context, 'is not iterable, so it cannot be converted to a sequence.');
  return sequenceFromIterable(value, method, context, convert, limit);
}

/** "Create a sequence from an iterable" with the @@iterator method already looked up, stopping with a TypeError past `limit` items. */
function sequenceFromIterable<T>(
  iterable: object,
  method: (this: unknown) => unknown,
  context: string,
  convert: (item: unknown, context: string) => T,
  limit: number,
): T[] {
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
