/**
 * Dictionary types (https://webidl.spec.whatwg.org/#js-dictionary): one helper makes the
 * converter of every dictionary in the package from its members.
 *
 * The converter reads each member once, with one [[Get]], in WebIDL order: the inherited
 * dictionary's members first (recursively), then the dictionary's own, each sorted
 * lexicographically. Members it does not define are never read. A member that is present converts
 * with its type's converter, which names it in any TypeError (`init.visibleRect.x`); an absent one
 * takes its default, or is a TypeError when it is `required`, or stays absent. The result is a new
 * plain object whose keys are in that same order.
 *
 * @example
 * // dictionary BlobEventInit : EventInit { required Blob data; DOMHighResTimeStamp timecode = 0; };
 * const BlobEventInit = dictionary<ConvertedBlobEventInit, ConvertedEventInit>('BlobEventInit', EventInit, {
 *   data: { type: interfaceType('Blob'), required: true },
 *   timecode: { type: toDouble, default: 0 },
 * });
 * BlobEventInit({ data: blob }, 'eventInitDict'); // { bubbles: false, cancelable: false, composed: false, data: blob, timecode: 0 }
 */
import { isObject, typeError, type Converter } from './converters.js';

/** One dictionary member: the converter of its type, and whether it is required or has a default. */
export interface Member<T> {
  readonly type: Converter<T>;
  /** `required`: absent is a TypeError. */
  readonly required?: boolean;
  /**
   * The default value, which an absent member takes. The non-primitive defaults WebIDL allows are
   * `[]` and `{}`; each conversion gets a new empty list or dictionary.
   */
  readonly default?: T;
}

/** The members of a dictionary whose converted value is `T`, each with the converter of its type. */
export type Members<T> = { readonly [K in keyof T]-?: Member<Exclude<T[K], undefined>> };

/** A dictionary's converter, which also lists its members (so that another dictionary can inherit them). */
export interface Dictionary<T> extends Converter<T> {
  /** The dictionary's IDL name. */
  readonly dictionaryName: string;
  /** Its members in WebIDL order: inherited members first, then its own, each sorted lexicographically. */
  readonly members: readonly (readonly [name: string, member: Member<unknown>])[];
}

/** The converter of a dictionary named `name` with these members. */
export function dictionary<T extends object>(name: string, members: Members<T>): Dictionary<T>;
/** The converter of a dictionary named `name` that inherits `inherits` and adds these members. */
export function dictionary<T extends B, B extends object>(name: string, inherits: Dictionary<B>, members: Members<Omit<T, keyof B>>): Dictionary<T>;
export function dictionary(name: string, first: Dictionary<object> | Members<object>, second?: Members<object>): Dictionary<object> {
  const inherited = second === undefined ? [] : (first as Dictionary<object>).members;
  const own = (second ?? first) as Record<string, Member<unknown>>;
  const members = [...inherited, ...Object.keys(own).sort().map((key) => [key, own[key]!] as const)];
  const convert = (value: unknown, context: string): object => {
    // 1.–2. undefined and null are an empty dictionary; any other value must be an object.
    if (value !== undefined && value !== null && !isObject(value)) {
      throw typeError(context, `is not an object, so it cannot be converted to a ${name} dictionary.`);
    }
    const jsDict = value as Record<string, unknown> | null | undefined;
    const idlDict: Record<string, unknown> = {};
    // 3.–4. For each dictionary in the inheritance chain, least derived first, each member in order:
    for (const [key, member] of members) {
      const jsMemberValue = jsDict === undefined || jsDict === null ? undefined : jsDict[key];
      if (jsMemberValue !== undefined) idlDict[key] = member.type(jsMemberValue, `${context}.${key}`);
      else if (member.default !== undefined) idlDict[key] = freshDefault(member.default);
      else if (member.required) throw typeError(`${context}.${key}`, `is required in ${name}, but is missing.`);
    }
    return idlDict;
  };
  return Object.assign(convert, { dictionaryName: name, members });
}

/** A member's default value: a new `[]` or `{}` for those, else the value. */
function freshDefault(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Array.isArray(value) ? [] : {};
}
