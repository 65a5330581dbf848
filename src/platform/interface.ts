import { type HostClass, registerHostClass } from '../realm/registry.js';

/**
 * WebIDL interface objects: members on the prototype are enumerable, and `Symbol.toStringTag`
 * names the interface. TypeScript classes make methods and accessors non-enumerable, so each
 * interface calls this once after its class body.
 */
export function exposeInterface(ctor: HostClass, name = ctor.name): void {
  registerHostClass(ctor);
  const proto = ctor.prototype;
  for (const key of Object.getOwnPropertyNames(proto)) {
    if (key === 'constructor') continue;
    const desc = Object.getOwnPropertyDescriptor(proto, key)!;
    if (!desc.enumerable) Object.defineProperty(proto, key, { ...desc, enumerable: true });
  }
  Object.defineProperty(proto, Symbol.toStringTag, { value: name, configurable: true });
  // Static members (e.g. MediaRecorder.isTypeSupported) are enumerable too.
  for (const key of Object.getOwnPropertyNames(ctor)) {
    if (['length', 'name', 'prototype'].includes(key)) continue;
    const desc = Object.getOwnPropertyDescriptor(ctor, key)!;
    if (!desc.enumerable) Object.defineProperty(ctor, key, { ...desc, enumerable: true });
  }
}

/**
 * A token that lets package-internal code construct interfaces whose constructors script may not
 * call ("Illegal constructor"). Never exported from the package entry point.
 */
export const INTERNAL: unique symbol = Symbol('mediacapture.internal');

/**
 * Sets a function's `length` to the WebIDL one (https://webidl.spec.whatwg.org/#es-operations:
 * the number of arguments before the first optional one, the shortest among overloads) where
 * the TypeScript signature cannot say it (an optional argument without a default value, an
 * internal constructor argument).
 */
export function idlLength(fn: object, length: number): void {
  Object.defineProperty(fn, 'length', { value: length, configurable: true });
}
