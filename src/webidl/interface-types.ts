/**
 * Interface types (https://webidl.spec.whatwg.org/#js-interface): a value converts to an interface
 * type when it implements the interface, which a brand check tells.
 *
 * The IDL classes sit above this layer, so each one that a converter must recognise adds its brand
 * check here when its module loads ({@link registerInterface}), and its TypeScript type to
 * {@link InterfaceTypes} by declaration merging. Until an interface registers, nothing implements
 * it (no object of it can exist yet either).
 *
 * @example
 * // At the end of src/interfaces/MediaStreamTrack.ts:
 * registerInterface('MediaStreamTrack', isMediaStreamTrack);
 * declare module '../webidl/interface-types.js' {
 *   interface InterfaceTypes { MediaStreamTrack: MediaStreamTrack }
 * }
 */
import { typeError, type Converter } from './converters.js';

/** The TypeScript type of each interface a converter checks, by IDL name (IDL classes add theirs by declaration merging). */
export interface InterfaceTypes {
  Blob: Blob;
}

/** The TypeScript type of the interface named `N`, or `object` while no IDL class has declared it. */
export type InterfaceType<N extends string> = N extends keyof InterfaceTypes ? InterfaceTypes[N] : object;

const brandChecks = new Map<string, (value: unknown) => boolean>();

/** Makes values for which `implementsInterface` is true convert to the interface named `name`. */
export function registerInterface(name: string, implementsInterface: (value: unknown) => boolean): void {
  brandChecks.set(name, implementsInterface);
}

/**
 * Makes values for which `check` is true convert to the interface named `name` too: the same
 * platform interface implemented by another realm (a jsdom window's own `Blob`).
 */
export function alsoImplements(name: string, check: (value: unknown) => boolean): void {
  const first = brandChecks.get(name);
  brandChecks.set(name, first ? (value) => first(value) || check(value) : check);
}

/** The converter of the interface type named `name`: the value itself when it implements the interface, else a TypeError. */
export function interfaceType<N extends string>(name: N): Converter<InterfaceType<N>> {
  return (value, context) => {
    const implementsInterface = brandChecks.get(name);
    if (implementsInterface === undefined || !implementsInterface(value)) throw typeError(context, `is not of type ${name}.`);
    return value as InterfaceType<N>;
  };
}

// The platform's own interfaces.
registerInterface('Blob', (value) => value instanceof Blob);
