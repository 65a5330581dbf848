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
 * `setImmediate` is Node's own (./timers.ts), not the global: test frameworks' fake timers replace the
 * global (which would freeze the media stack), and Jest's jsdom environment removes it.
 */
import { setImmediate } from './timers.js';

export function queueTask(step: () => void): void {
  setImmediate(step);
}

/** Resolves after every task queued before it has run. Useful in tests: `await flushTasks()`. */
export function flushTasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
