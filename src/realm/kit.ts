/**
 * The few functions a realm must make itself: interface objects, methods, getters and setters have
 * to be that realm's functions (their [[Prototype]] is its `Function.prototype`, a class called
 * without `new` throws its TypeError). This source is evaluated once in each realm (realm.ts); each
 * function it returns wraps a host function `call(thisArg, args)` or `construct(args, newTarget)`
 * that does the work.
 *
 * Written as a string (not a function's `toString()`) so that a compiler or coverage tool cannot
 * rewrite it into code that refers to host helpers.
 */
export const KIT_SOURCE = `(function () {
  'use strict';
  const defineProperty = Object.defineProperty;
  const describe = Object.getOwnPropertyDescriptor;
  const named = (f, name, length) => {
    defineProperty(f, 'name', { value: name, configurable: true });
    defineProperty(f, 'length', { value: length, configurable: true });
    return f;
  };
  return {
    interfaceObject(name, length, parent, construct) {
      const C = parent === null
        ? class { constructor(...args) { return construct(args, new.target); } }
        : class extends parent { constructor(...args) { return construct(args, new.target); } };
      return named(C, name, length);
    },
    method(name, length, call) {
      return named({ m(...args) { return call(this, args); } }.m, name, length);
    },
    getter(name, call) {
      return named(describe({ get g() { return call(this, []); } }, 'g').get, 'get ' + name, 0);
    },
    setter(name, call) {
      return named(describe({ set s(v) { call(this, [v]); } }, 's').set, 'set ' + name, 1);
    },
  };
})()`;

/** Any function (of any realm), as the realm machinery handles them. */
export type Callable = ((...args: never) => unknown) | (abstract new (...args: never) => unknown);

/** What {@link KIT_SOURCE} evaluates to, seen from the host. */
export interface RealmKit {
  interfaceObject(name: string, length: number, parent: Callable | null, construct: (args: unknown[], newTarget: Callable) => object): Callable;
  method(name: string, length: number, call: (thisArg: unknown, args: unknown[]) => unknown): Callable;
  getter(name: string, call: (thisArg: unknown, args: unknown[]) => unknown): () => unknown;
  setter(name: string, call: (thisArg: unknown, args: unknown[]) => unknown): (v: unknown) => void;
}
