/**
 * Node's own timers, microtasks and monotonic clock, for every part of the package.
 *
 * Why not the globals: the package runs inside test environments that replace them.
 * - Fake timers (`vi.useFakeTimers()`, Jest's modern fake timers) replace `setTimeout`,
 *   `setInterval`, `setImmediate`, `Date`, `performance`, `process.hrtime` and (Jest)
 *   `queueMicrotask` and `process.nextTick` on the global. Media taken from those would stop
 *   while the test's clock stands still: no frames, no `ended`, no recorder data, a hung test.
 *   Vitest, running in Node's own realm, also swaps the functions of the `node:timers` module
 *   object while it fakes; so they are captured here, once, when the package loads.
 * - jest-environment-jsdom makes the jsdom window the global: its `setTimeout` returns a number
 *   (no `unref()`), and it has no `setImmediate`.
 * `performance` from `node:perf_hooks` is the object itself; fakers replace the global's
 * `performance` property with another object and leave this one alone.
 *
 * So media runs on real time under fake timers. To drive media from a test, give the
 * installation a `VirtualClock` (README, "Fake timers").
 */
import * as timers from 'node:timers';
import { performance as performanceFromNode } from 'node:perf_hooks';

const nodeSetTimeout = timers.setTimeout;
const nodeClearTimeout = timers.clearTimeout;
const nodeSetInterval = timers.setInterval;
const nodeClearInterval = timers.clearInterval;
const nodeSetImmediate = timers.setImmediate;
const perfNow = performanceFromNode.now.bind(performanceFromNode);

/** Node's `setTimeout` (a `Timeout` with `ref()`/`unref()`). */
export function setTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  return nodeSetTimeout(callback, ms);
}

/** Node's `clearTimeout`. */
export function clearTimeout(timer: NodeJS.Timeout | undefined): void {
  nodeClearTimeout(timer);
}

/** Node's `setInterval`. */
export function setInterval(callback: () => void, ms: number): NodeJS.Timeout {
  return nodeSetInterval(callback, ms);
}

/** Node's `clearInterval`. */
export function clearInterval(timer: NodeJS.Timeout | undefined): void {
  nodeClearInterval(timer);
}

/** Node's `setImmediate`: runs `callback` in the check phase of this turn of the event loop. */
export function setImmediate(callback: () => void): NodeJS.Immediate {
  return nodeSetImmediate(callback);
}

/** Resolves after `ms` milliseconds of real time. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => nodeSetTimeout(resolve, ms));
}

/** The epoch time (ms) of `monotonicNow()`'s zero. */
export const timeOrigin: number = performanceFromNode.timeOrigin;

/** Milliseconds on the monotonic clock of `performance.now()` (the real one, not a fake). */
export function monotonicNow(): number {
  return perfNow();
}

const resolved = Promise.resolve();

/**
 * `queueMicrotask` through a promise reaction, which no fake timer replaces. As with
 * `queueMicrotask`, an exception thrown by `callback` is reported as uncaught (on a later turn),
 * and does not stop the microtasks after it.
 */
export function queueMicrotask(callback: () => void): void {
  resolved.then(callback).catch((error: unknown) =>
    nodeSetImmediate(() => {
      throw error;
    }),
  );
}
