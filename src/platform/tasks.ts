/**
 * "Queue a task" (HTML). One function for the whole package.
 *
 * Why a macrotask and not a microtask: the specs say "queue a task to fire an event" so that script
 * finishes what it is doing, and its promise reactions run, before the event is seen. A microtask
 * (queueMicrotask, Promise.then) would run in the middle of the caller's own promise chain, so an
 * `ended` event could overtake the resolution of `getUserMedia()`, which no browser allows.
 * `setImmediate` runs after the current turn and its microtasks, in FIFO order, like the HTML
 * event loop's task queue.
 *
 * The real `setImmediate` is captured at load so that test frameworks' fake timers (which replace
 * the global) do not freeze the event loop of the media stack.
 */
const realSetImmediate = globalThis.setImmediate;

export function queueTask(step: () => void): void {
  realSetImmediate(step);
}

/** Resolves after every task queued before it has run. Useful in tests: `await flushTasks()`. */
export function flushTasks(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}
