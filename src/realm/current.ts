/**
 * Which realm an object is made in. The IDL classes are defined once, in the realm that loads this
 * package (Node's, "the host"). An installation into a window with its own JavaScript realm (a jsdom
 * window with `runScripts`, a `vm` context) makes that window's objects from the same classes: the
 * object is created by the window's own `EventTarget`, `Event` or `DOMException` constructor, then
 * our class's constructor adopts it (a constructor that returns an object makes that object `this`
 * for the subclasses, so their `#private` slots are installed on it), and its prototype is the
 * window's copy of our prototype (realm.ts).
 *
 * The realm in which a constructor runs is the one {@link withRealm} sets around the call: the
 * window's copies of our functions set it for the duration of their synchronous call, and
 * algorithms that create an object later (a track for getUserMedia, an event in a task) set it to
 * the realm of the object it belongs to ({@link realmOf}).
 */

/** What a realm gives the adopting base classes (implemented by realm.ts's Realm). */
export interface ConstructionRealm {
  /** A new object of the realm's `EventTarget`, `Event` or `DOMException` interface. */
  createPlatformObject(kind: 'EventTarget' | 'Event' | 'DOMException', args: readonly unknown[]): object;
  /** The realm's copy of the prototype of `hostClass` (one of our IDL classes). */
  prototypeFor(hostClass: abstract new (...args: never[]) => unknown): object;
}

let current: ConstructionRealm | undefined;
const realms = new WeakMap<object, ConstructionRealm>();

/** Runs `steps` with `realm` as the realm new IDL objects are made in (undefined: the host's). */
export function withRealm<T>(realm: ConstructionRealm | undefined, steps: () => T): T {
  const outer = current;
  current = realm;
  try {
    return steps();
  } finally {
    current = outer;
  }
}

/** The realm IDL objects are being made in now, or undefined for the host's. */
export function currentRealm(): ConstructionRealm | undefined {
  return current;
}

/** The realm `object` was made in, or undefined when it is the host's (or not ours). */
export function realmOf(object: unknown): ConstructionRealm | undefined {
  return typeof object === 'object' && object !== null ? realms.get(object) : undefined;
}

/** Records that `object` belongs to `realm` (made or adopted there). */
export function setRealmOf(object: object, realm: ConstructionRealm): void {
  realms.set(object, realm);
}

/** Runs `steps` in the realm of `owner`: for objects an algorithm creates on behalf of `owner`. */
export function inRealmOf<T>(owner: unknown, steps: () => T): T {
  return withRealm(realmOf(owner), steps);
}

type Constructor = abstract new (...args: never[]) => object;

/**
 * The base a class uses in place of the host's `EventTarget`, `Event` or `DOMException`. In the
 * host realm it constructs the host's class exactly as `super()` would. In another realm it returns
 * an object of that realm's class, with the realm's copy of `new.target`'s prototype.
 */
function adoptingBase<C extends Constructor>(host: C, kind: 'EventTarget' | 'Event' | 'DOMException'): C {
  const base = function (this: unknown, ...args: unknown[]) {
    const realm = current;
    if (realm === undefined) return Reflect.construct(host, args, new.target);
    const object = realm.createPlatformObject(kind, args);
    // `new PlatformEvent(...)` itself makes the realm's plain Event; a subclass, the realm's copy.
    if (new.target !== base) Object.setPrototypeOf(object, realm.prototypeFor(new.target as unknown as Constructor));
    realms.set(object, realm);
    return object;
  };
  Object.defineProperty(base, 'name', { value: host.name });
  base.prototype = host.prototype;
  Object.setPrototypeOf(base, host);
  return base as unknown as C;
}

/**
 * The base of every IDL class that inherits from EventTarget (`class MediaStream extends
 * PlatformEventTarget`). Instances made in the host realm are exactly the host's EventTargets.
 */
export const PlatformEventTarget: typeof EventTarget = adoptingBase(globalThis.EventTarget, 'EventTarget');

/** The base of every IDL class that inherits from Event. */
export const PlatformEvent: typeof Event = adoptingBase(globalThis.Event, 'Event');

/** The base of every IDL class that inherits from DOMException. */
export const PlatformDOMException: typeof DOMException = adoptingBase(globalThis.DOMException, 'DOMException');

/** The host's own classes the adopting bases stand for. */
export const HOST: { EventTarget: typeof EventTarget; Event: typeof Event; DOMException: typeof DOMException } = {
  EventTarget: globalThis.EventTarget,
  Event: globalThis.Event,
  DOMException: globalThis.DOMException,
};
