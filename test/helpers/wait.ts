/**
 * Waiting in tests: on an event, on a condition, or on a clock, never on a fixed sleep.
 *
 * A fixed sleep ("wait 300 ms, then look") is a guess about how fast this machine is; on a busy
 * machine the guess is wrong and the test fails. Instead a test waits for the thing itself:
 *
 * - {@link waitFor}: the next event of a type on an EventTarget or an EventEmitter;
 * - {@link until}: a condition that becomes true (polled), e.g. a process gone from /proc;
 * - {@link clockPassed}: a timer on the clock under test, for "nothing happened meanwhile"
 *   checks, which then hold by the clock's own ordering rather than by a guess.
 *
 * Every wait has a deadline, only so that a broken test fails with a message instead of hanging.
 * Deadlines are generous and scale with the environment variable `MC_TEST_TIME_FACTOR` (default
 * 1; e.g. 3 on a slow or very busy machine). vitest.config.ts scales the test timeouts by the
 * same factor. A deadline is never what a test asserts.
 *
 * The timers used here are Node's own (node:timers), captured at load, so that a test's fake
 * timers (`vi.useFakeTimers()`) do not stop a wait.
 */
import type { EventEmitter } from 'node:events';
import { setImmediate as realSetImmediate, setTimeout as realSetTimeout, clearTimeout as realClearTimeout } from 'node:timers';
import type { Clock } from '../../src/media/clock/index.js';

/** Reads `MC_TEST_TIME_FACTOR`: a number ≥ 1 (anything else counts as 1). */
export function timeFactor(env: NodeJS.ProcessEnv = process.env): number {
  const factor = Number(env.MC_TEST_TIME_FACTOR);
  return Number.isFinite(factor) && factor >= 1 ? factor : 1;
}

/** `ms` scaled by {@link timeFactor}: the deadline for a wait that takes far less on a quiet machine. */
export function scaled(ms: number): number {
  return ms * timeFactor();
}

/** The default deadline of {@link until} and {@link waitFor}: 10 s, scaled. */
export const DEFAULT_DEADLINE_MS = 10_000;

/** Options of {@link until}. */
export interface UntilOptions {
  /** Give up after this many milliseconds (before scaling). Default {@link DEFAULT_DEADLINE_MS}. */
  readonly timeoutMs?: number;
  /** What is awaited, for the error message ("ffmpeg to exit"). */
  readonly what?: string;
  /** How often to look, ms. Default 10. */
  readonly pollMs?: number;
}

/**
 * Resolves with the first truthy value of `condition()`, looked at now and then every `pollMs`.
 * Rejects when the (scaled) deadline passes, or when `condition` throws.
 */
export async function until<T>(condition: () => T | Promise<T>, options: UntilOptions | string = {}): Promise<NonNullable<T>> {
  const { timeoutMs = DEFAULT_DEADLINE_MS, what = 'a condition', pollMs = 10 } = typeof options === 'string' ? { what: options } : options;
  const limit = scaled(timeoutMs);
  const deadline = performance.now() + limit;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out after ${limit} ms waiting for ${what}`);
    await new Promise((resolve) => realSetTimeout(resolve, pollMs));
  }
}

/** Options of {@link waitFor}. */
export interface WaitForOptions<E> {
  /** Give up after this many milliseconds (before scaling). Default {@link DEFAULT_DEADLINE_MS}. */
  readonly timeoutMs?: number;
  /** Only an event for which this returns true counts. */
  readonly filter?: (event: E) => boolean;
}

/**
 * Resolves with the next `type` event of `target` (an EventTarget, or an EventEmitter: then with
 * the first argument of the event). Listen before doing what causes the event.
 */
export function waitFor<E = Event>(target: EventTarget | EventEmitter, type: string, options: WaitForOptions<E> = {}): Promise<E> {
  const limit = scaled(options.timeoutMs ?? DEFAULT_DEADLINE_MS);
  return new Promise<E>((resolve, reject) => {
    const listener = (event: E): void => {
      if (options.filter && !options.filter(event)) return;
      stop();
      resolve(event);
    };
    const emitter = 'addEventListener' in target ? undefined : target;
    if (emitter) emitter.on(type, listener);
    else (target as EventTarget).addEventListener(type, listener as unknown as EventListener);
    const timer = realSetTimeout(() => {
      stop();
      reject(new Error(`timed out after ${limit} ms waiting for a "${type}" event`));
    }, limit);
    function stop(): void {
      realClearTimeout(timer);
      if (emitter) emitter.off(type, listener);
      else (target as EventTarget).removeEventListener(type, listener as unknown as EventListener);
    }
  });
}

/**
 * For debounced or coalesced notifications, whose promise is about real time ("one call for a
 * burst of events"): resolves once `count()` has stayed the same for `quietMs`, a span that the
 * caller derives from the debounce interval under test. Rejects at the (scaled) deadline.
 */
export async function quiet(count: () => number, quietMs: number, what = 'the calls to stop'): Promise<void> {
  let last = count();
  let since = performance.now();
  await until(
    () => {
      const now = count();
      if (now !== last) {
        last = now;
        since = performance.now();
      }
      return performance.now() - since >= quietMs;
    },
    { what, pollMs: Math.max(1, Math.min(10, quietMs / 10)) },
  );
}

/**
 * Resolves after `n` turns of the event loop (macrotasks, `setImmediate`): time for the tasks
 * queued so far (`queueTask`) and the promise reactions they cause to run.
 */
export async function turns(n = 3): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => realSetImmediate(resolve));
}

/**
 * Resolves once `micros` of the clock's time have passed from now, by a timer on that clock.
 * Timers of one clock fire in order of their due times, so anything the clock had due before
 * that time has run when this resolves: "no tick after cancel()" is then a fact, not a guess.
 */
export function clockPassed(clock: Clock, micros: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(clock.now() + micros, () => resolve()));
}
