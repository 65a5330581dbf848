/**
 * A realm other than the host's: the window's own JavaScript realm when `installGlobals` is given a
 * jsdom window with `runScripts`, a `vm` context, or a happy-dom `Window`. Code running there
 * compares our objects against its own intrinsics (`instanceof TypeError`, prototype chains to its
 * `EventTarget`, `Object.getPrototypeOf(MediaStream) === EventTarget`), so the objects it sees must
 * be made of that realm's functions and objects.
 *
 * A Realm makes, for each of our IDL classes, a copy made of the realm's own functions
 * (https://webidl.spec.whatwg.org/#es-interfaces: interface object, interface prototype object,
 * operations and attributes): an interface object whose [[Prototype]] is the realm's parent
 * interface object (its EventTarget, Event or DOMException, or the copy of our parent class), a
 * prototype object whose members are the realm's functions forwarding to our methods, with the
 * same names, `length`s, enumerability and `Symbol.toStringTag`. Instances are made by the realm's
 * own constructors and adopted by our classes (current.ts), so the realm's `addEventListener`,
 * `dispatchEvent` and Event accessors, which check their receiver, accept them.
 *
 * At the boundary, what our methods return or throw becomes the realm's: a promise becomes the
 * realm's promise (settled with translated values), a TypeError or RangeError becomes the realm's,
 * a DOMException the realm's DOMException, sequences and dictionaries the realm's arrays and
 * objects, and objects of our plain (non-EventTarget) classes get the realm's prototype.
 */
import vm from 'node:vm';
import { type ConstructionRealm, HOST, setRealmOf, withRealm } from './current.js';
import { type Callable, KIT_SOURCE, type RealmKit } from './kit.js';
import { type HostClass, hostClassOfPrototype } from './registry.js';
import { alsoImplements } from '../webidl/interface-types.js';
import { rejectedAtOnce } from '../webidl/operations.js';

type Global = Record<string, unknown>;

const ERROR_TYPES = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError'] as const;
const HOST_ERRORS = new Map<unknown, (typeof ERROR_TYPES)[number]>(ERROR_TYPES.map((name) => [globalThis[name], name]));

/** Conversions of host objects a realm cannot recognise otherwise (OverconstrainedError). */
const translations = new Map<object, (value: never, realm: Realm) => unknown>();

/**
 * Declares how a host object whose prototype is `hostClass.prototype` becomes the realm's, when it
 * cannot be made in the realm to begin with (an error an algorithm rejects with, made before anyone
 * knows in which realm it will be seen).
 */
export function registerTranslation<T extends object>(hostClass: abstract new (...args: never[]) => T, translate: (value: T, realm: Realm) => unknown): void {
  translations.set(hostClass.prototype, translate as (value: never, realm: Realm) => unknown);
}

export class Realm implements ConstructionRealm {
  /** The realm's global object (the jsdom window, the context's `globalThis`). */
  readonly global: Global;
  /** The realm's EventTarget, Event and DOMException; the host's in a bare `vm` context, which has none. */
  readonly EventTarget: typeof EventTarget;
  readonly Event: typeof Event;
  readonly DOMException: typeof DOMException;
  readonly #kit: RealmKit;
  readonly #Promise: PromiseConstructor;
  readonly #Array: ArrayConstructor;
  readonly #Object: ObjectConstructor;
  readonly #copies = new Map<Callable, Callable>();
  readonly #frozen = new WeakMap<object, readonly unknown[]>();

  constructor(target: object, global: Global) {
    this.global = global;
    this.#kit = (vm.isContext(target) ? vm.runInContext(KIT_SOURCE, target) : new (global.Function as FunctionConstructor)(`return ${KIT_SOURCE}`)()) as RealmKit;
    this.#Promise = global.Promise as PromiseConstructor;
    this.#Array = global.Array as ArrayConstructor;
    this.#Object = global.Object as ObjectConstructor;
    const own = typeof global.EventTarget === 'function' && typeof global.Event === 'function' && typeof global.DOMException === 'function';
    this.EventTarget = own ? (global.EventTarget as typeof EventTarget) : HOST.EventTarget;
    this.Event = own ? (global.Event as typeof Event) : HOST.Event;
    this.DOMException = own ? (global.DOMException as typeof DOMException) : HOST.DOMException;
    // The window's own Blob is a Blob to our converters (`new BlobEvent('x', { data: new Blob() })`).
    const WindowBlob = global.Blob as { prototype?: unknown } | undefined;
    if (typeof WindowBlob === 'function' && WindowBlob !== Blob && typeof WindowBlob.prototype === 'object') blobPrototypes.add(WindowBlob.prototype as object);
  }

  /** A realm's function from this realm's kit (for members the installation adds, `Navigator.prototype.mediaDevices`). */
  get kit(): RealmKit {
    return this.#kit;
  }

  createPlatformObject(kind: 'EventTarget' | 'Event' | 'DOMException', args: readonly unknown[]): object {
    return Reflect.construct(this[kind], args);
  }

  prototypeFor(hostClass: HostClass): object {
    return this.interfaceObject(hostClass).prototype as object;
  }

  /**
   * The realm's interface object for one of our IDL classes (made once): same name and length,
   * [[Prototype]] the realm's parent interface object, members forwarding to ours.
   */
  interfaceObject(hostClass: HostClass): Callable {
    const made = this.#copies.get(hostClass);
    if (made) return made;
    const parentProto = Object.getPrototypeOf(hostClass.prototype) as object | null;
    const parent =
      parentProto === HOST.EventTarget.prototype
        ? this.EventTarget
        : parentProto === HOST.Event.prototype
          ? this.Event
          : parentProto === HOST.DOMException.prototype
            ? this.DOMException
            : parentProto === Object.prototype || parentProto === null
              ? null
              : this.interfaceObject(Object.getPrototypeOf(hostClass) as HostClass);
    const construct = (args: unknown[], newTarget: Callable) => this.#construct(hostClass, args, newTarget);
    const copy = this.#kit.interfaceObject(hostClass.name, hostClass.length, parent, construct);
    this.#copies.set(hostClass, copy);
    this.#copyMembers(hostClass.prototype, copy.prototype as object, true);
    this.#copyMembers(hostClass, copy, false);
    return copy;
  }

  /** Runs one of our functions for script of this realm: objects it makes are this realm's, and so is what it returns or throws. */
  run<T>(steps: () => T): unknown {
    try {
      return this.toRealm(withRealm(this, steps));
    } catch (error) {
      throw this.toRealm(error);
    }
  }

  /** A realm function named `name` that runs `fn` (a host function taking `this` and arguments) through {@link run}. */
  method(name: string, length: number, fn: Callable): Callable {
    return this.#kit.method(name, length, (thisArg, args) => this.run(() => Reflect.apply(fn, thisArg, args)));
  }

  /** `value` as script of this realm should see it (see the module comment). */
  toRealm(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    const proto = Object.getPrototypeOf(value) as object | null;
    if (value instanceof Promise) return this.#promise(value);
    const error = HOST_ERRORS.get(proto?.constructor);
    if (error !== undefined && proto === (globalThis[error] as ErrorConstructor).prototype) {
      return new (this.global[error] as ErrorConstructor)((value as Error).message);
    }
    const translate = proto ? translations.get(proto) : undefined;
    if (translate) return translate(value as never, this);
    if (proto === HOST.DOMException.prototype && this.DOMException !== HOST.DOMException) {
      const { message, name } = value as DOMException;
      return new this.DOMException(message, name);
    }
    if (Array.isArray(value) && proto === Array.prototype) {
      // A FrozenArray attribute ([SameObject] in effect: DeviceChangeEvent.devices) stays one object.
      if (!Object.isFrozen(value)) return this.#Array.from(value, (item) => this.toRealm(item));
      let frozen = this.#frozen.get(value);
      if (!frozen) this.#frozen.set(value, (frozen = this.#Object.freeze(this.#Array.from(value, (item) => this.toRealm(item)))));
      return frozen;
    }
    if (proto === Object.prototype) {
      const copy = new this.#Object() as Record<string, unknown>;
      for (const key of Object.keys(value)) copy[key] = this.toRealm((value as Record<string, unknown>)[key]);
      return copy;
    }
    const hostClass = hostClassOfPrototype(proto);
    // An object of one of our plain classes (MediaDeviceInfo, the stats objects) made by host code:
    // its slots are ours, only its prototype changes. EventTargets and Events cannot be adopted
    // once made (the realm's methods would not accept them), so they are made in the realm.
    if (hostClass !== undefined && isPlainClass(hostClass)) {
      Object.setPrototypeOf(value, this.prototypeFor(hostClass));
      setRealmOf(value, this);
    }
    return value;
  }

  /** Dispatches `event` at `target` as the user agent does (see {@link dispatchTrusted}), else through the realm's `dispatchEvent`. */
  dispatchTrusted(target: EventTarget, event: Event): boolean {
    return dispatchTrusted(target, event) ?? this.EventTarget.prototype.dispatchEvent.call(target, event);
  }

  #construct(hostClass: HostClass, args: unknown[], newTarget: Callable): object {
    const object = this.run(() => Reflect.construct(hostClass, args)) as object;
    // WebIDL: the prototype is newTarget's (a script subclass), else this realm's interface's.
    const proto = (newTarget as { prototype?: unknown }).prototype;
    const wanted = typeof proto === 'object' && proto !== null ? proto : this.prototypeFor(hostClass);
    if (Object.getPrototypeOf(object) !== wanted) Object.setPrototypeOf(object, wanted);
    setRealmOf(object, this);
    return object;
  }

  #copyMembers(from: object, to: object, isPrototype: boolean): void {
    for (const key of Reflect.ownKeys(from)) {
      if (isPrototype ? key === 'constructor' : key === 'length' || key === 'name' || key === 'prototype') continue;
      const desc = Object.getOwnPropertyDescriptor(from, key)!;
      const name = typeof key === 'symbol' ? `[${key.description}]` : key;
      const forward = (fn: Callable) => (thisArg: unknown, args: unknown[]) => this.run(() => Reflect.apply(fn, thisArg, args));
      if (typeof desc.value === 'function') {
        Object.defineProperty(to, key, { ...desc, value: this.#kit.method(name, desc.value.length, forward(desc.value)) });
      } else if (desc.get || desc.set) {
        const accessor: PropertyDescriptor = { enumerable: !!desc.enumerable, configurable: !!desc.configurable };
        if (desc.get) accessor.get = this.#kit.getter(name, forward(desc.get));
        if (desc.set) accessor.set = this.#kit.setter(name, forward(desc.set));
        Object.defineProperty(to, key, accessor);
      } else {
        Object.defineProperty(to, key, desc);
      }
    }
  }

  #promise(promise: Promise<unknown>): Promise<unknown> {
    if (rejectedAtOnce.has(promise)) {
      promise.catch(() => {});
      return this.#Promise.reject(this.toRealm(rejectedAtOnce.get(promise)));
    }
    return new this.#Promise((resolve, reject) => {
      promise.then(
        (value) => resolve(this.toRealm(value)),
        (error) => reject(this.toRealm(error)),
      );
    });
  }
}

/**
 * Dispatches `event` at `target` with `isTrusted` true where the DOM implementation allows it;
 * returns undefined where it does not. jsdom's public `dispatchEvent` sets isTrusted to false
 * (its EventTarget-impl.js), as the DOM standard says for script, and jsdom fires its own events
 * through the implementation's "dispatch": so do we, through the symbol (described "impl") under
 * which jsdom keeps a wrapper's implementation (test/realm/jsdom-quirks.test.ts). Node's Event has
 * no way to be trusted; happy-dom's has no isTrusted.
 */
export function dispatchTrusted(target: EventTarget, event: Event): boolean | undefined {
  const impl = Object.getOwnPropertySymbols(target).find((s) => s.description === 'impl');
  if (impl === undefined) return undefined;
  const targetImpl = (target as unknown as Record<symbol, { _dispatch?: (e: unknown) => boolean } | undefined>)[impl];
  const eventImpl = (event as unknown as Record<symbol, { isTrusted?: boolean; _initializedFlag?: boolean } | undefined>)[impl];
  if (typeof targetImpl?._dispatch !== 'function' || eventImpl?._initializedFlag !== true) return undefined;
  eventImpl.isTrusted = true;
  return targetImpl._dispatch(eventImpl);
}

/** Whether instances of `hostClass` are plain objects (no EventTarget, Event or DOMException in the chain). */
function isPlainClass(hostClass: HostClass): boolean {
  for (let p = hostClass.prototype as object | null; p !== null; p = Object.getPrototypeOf(p)) {
    if (p === HOST.EventTarget.prototype || p === HOST.Event.prototype || p === HOST.DOMException.prototype) return false;
  }
  return true;
}

/** The `Blob.prototype` of each realm (held weakly: a window that goes away is not kept). */
const blobPrototypes = new WeakSet<object>();
alsoImplements('Blob', (value) => {
  for (let p = typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : null; p !== null; p = Object.getPrototypeOf(p)) {
    if (blobPrototypes.has(p)) return true;
  }
  return false;
});

const realms = new WeakMap<object, Realm | null>();

/**
 * The realm of a global object given to `installGlobals`, or undefined when it is the host's own
 * realm (globalThis, a jsdom window without `runScripts`, a happy-dom GlobalWindow, or code that
 * already runs inside the window's realm, as under Jest's environments).
 */
export function realmOfGlobal(target: object): Realm | undefined {
  const known = realms.get(target);
  if (known !== undefined) return known ?? undefined;
  const global = innerGlobal(target);
  const F = global.Function;
  const realm = typeof F === 'function' && F !== Function ? new Realm(target, global) : undefined;
  realms.set(target, realm ?? null);
  return realm;
}

/** The object whose properties are the realm's globals: the target itself, or a bare `vm` context's `globalThis`. */
function innerGlobal(target: object): Global {
  const g = target as Global;
  if (typeof g.Function === 'function') return g;
  if (vm.isContext(target)) return vm.runInContext('globalThis', target) as Global;
  return g;
}

/** The Realm behind a construction realm handle (current.ts keeps the narrow view). */
export function asRealm(realm: ConstructionRealm | undefined): Realm | undefined {
  return realm instanceof Realm ? realm : undefined;
}
