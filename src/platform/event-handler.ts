/**
 * Event handler IDL attributes (`onended`, `ondevicechange`, …), as HTML's "event handlers" section
 * defines them: the first non-null assignment adds one listener; later assignments replace the
 * callback *inside* that listener, so the handler keeps its place among the target's listeners.
 * Assigning null removes the listener; a later assignment adds a new one at the end.
 */
type Handler = ((this: EventTarget, ev: Event) => unknown) | null;

interface HandlerSlot {
  callback: Handler;
  listener: ((ev: Event) => void) | null;
}

const slots = new WeakMap<EventTarget, Map<string, HandlerSlot>>();

function slotFor(target: EventTarget, type: string): HandlerSlot {
  let map = slots.get(target);
  if (!map) slots.set(target, (map = new Map()));
  let slot = map.get(type);
  if (!slot) map.set(type, (slot = { callback: null, listener: null }));
  return slot;
}

/**
 * Defines `on<type>` on `proto` as an enumerable accessor. `isBrand` is the interface's brand check
 * (so `Object.getOwnPropertyDescriptor(proto, 'onended').get.call({})` throws a TypeError).
 */
export function defineEventHandler(
  proto: object,
  type: string,
  interfaceName: string,
  isBrand: (obj: unknown) => boolean,
): void {
  const name = `on${type}`;
  Object.defineProperty(proto, name, {
    enumerable: true,
    configurable: true,
    get(this: EventTarget) {
      if (!isBrand(this)) throw new TypeError(`Illegal invocation: ${interfaceName}.${name} read on a wrong object`);
      return slots.get(this)?.get(type)?.callback ?? null;
    },
    set(this: EventTarget, value: unknown) {
      if (!isBrand(this)) throw new TypeError(`Illegal invocation: ${interfaceName}.${name} set on a wrong object`);
      // WebIDL: EventHandler is a nullable callback function; non-callable objects become null.
      const callback = typeof value === 'function' ? (value as Handler) : null;
      const slot = slotFor(this, type);
      slot.callback = callback;
      if (callback && !slot.listener) {
        const target = this;
        slot.listener = (ev: Event) => {
          const cb = slot.callback;
          if (cb) cb.call(target, ev);
        };
        this.addEventListener(type, slot.listener);
      } else if (!callback && slot.listener) {
        this.removeEventListener(type, slot.listener);
        slot.listener = null;
      }
    },
  });
}
