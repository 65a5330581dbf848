/**
 * Operations (https://webidl.spec.whatwg.org/#es-operations): what WebIDL adds around an
 * operation's own steps.
 */

/**
 * Runs the steps of an operation that returns a promise: its brand check, its argument
 * conversions and its algorithm call. An exception thrown by any of them becomes a rejected
 * promise ("If op has a return type that is a promise type … return a promise rejected with"
 * it), so a bad `this` or a bad argument rejects rather than throws.
 */
export function promiseOperation<T>(steps: () => Promise<T>): Promise<T> {
  try {
    return steps();
  } catch (error) {
    const rejected = Promise.reject(error);
    rejectedAtOnce.set(rejected, error);
    return rejected;
  }
}

/**
 * The promises {@link promiseOperation} returned already rejected, with their reason. Script can
 * tell an already-rejected promise from one rejected a microtask later (`Promise.race([p,
 * Promise.resolve()])`), so a window's realm must get its own promise already rejected too
 * (src/realm/realm.ts), and JavaScript cannot read a promise's state.
 */
export const rejectedAtOnce: WeakMap<Promise<unknown>, unknown> = new WeakMap();
