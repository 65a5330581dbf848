/**
 * "Fire an event" (https://dom.spec.whatwg.org/#concept-event-fire) for the events the user agent
 * fires at our objects (ended, mute, devicechange, dataavailable, …). The event is made in the
 * realm of its target (the realm's `Event`, or one of our Event classes adopted there) and, in a
 * realm that can tell, dispatched with `isTrusted` true (realm.ts `dispatchTrusted`). In the host
 * realm it is `target.dispatchEvent(new Event(type))` with the global Event, as before realms
 * existed, trusted where the global Event is jsdom's (Vitest's and Jest's jsdom environments).
 */
import { currentRealm, realmOf, withRealm } from './current.js';
import type { Callable } from './kit.js';
import { asRealm, dispatchTrusted } from './realm.js';

/**
 * Fires an event at `target`: a plain Event named `type`, or the one `make` constructs (called in
 * the target's realm, so `new BlobEvent(...)` there makes that realm's BlobEvent). Returns false
 * when a listener cancelled it.
 */
export function fireEvent(target: EventTarget, type: string, make?: () => Event): boolean {
  const realm = asRealm(realmOf(target));
  if (realm === undefined) {
    // The host realm: Node's EventTarget, or a DOM's whose classes are the globals (Vitest and
    // Jest under jsdom), where the event can be trusted as well.
    const event = make ? make() : new Event(type);
    return dispatchTrusted(target, event) ?? target.dispatchEvent(event);
  }
  const event = withRealm(realm, () => (make ? make() : new realm.Event(type)));
  // Listeners run with no construction realm set: what they construct is where their code says.
  return withRealm(undefined, () => realm.dispatchTrusted(target, event));
}

/** The class named `name` on the global of the realm objects are being made in (undefined when it has none). */
export function globalClass(name: string): Callable | undefined {
  const global = asRealm(currentRealm())?.global ?? (globalThis as unknown as Record<string, unknown>);
  const value = global[name];
  return typeof value === 'function' ? (value as Callable) : undefined;
}
