/**
 * The time base every Source paces its frames and samples on.
 *
 * A Source asks for "a callback at each frame time" with {@link Clock.every}; the clock works out
 * each due time from the schedule's first due time and the tick's index
 * (`firstAt + index × interval`), never by adding intervals up, so a schedule does not drift however
 * long it runs. Two implementations: `RealClock` (wall time, for capture) and `VirtualClock` (time
 * moves only when a test says so).
 *
 * All times are microseconds on the clock's own monotonic time line (`now()`), not epoch times.
 */

/** A scheduled callback that can be called off. */
export interface ClockHandle {
  /** Stops the callback from running (again). Safe to call more than once, or from the callback. */
  cancel(): void;
  /** True once `cancel()` was called (a one-shot timer that has fired is not "cancelled"). */
  readonly cancelled: boolean;
}

/** The handle of a periodic schedule made with {@link Clock.every}. */
export interface PeriodicHandle extends ClockHandle {
  /** The schedule's interval, microseconds. */
  readonly interval: number;
  /** The due time of tick 0, microseconds. */
  readonly firstAt: number;
  /** How many ticks were delivered to the callback. */
  readonly delivered: number;
  /**
   * How many ticks were dropped because the process was blocked past their due time (see
   * `RealClock`). A `VirtualClock` never drops ticks, so this stays 0 there.
   * `delivered + skipped` is the index of the next tick.
   */
  readonly skipped: number;
  /** The index of the next tick to be delivered (or considered for dropping). */
  readonly nextIndex: number;
}

/**
 * Called at each tick of a periodic schedule.
 * @param tickTime the tick's due time, `firstAt + tickIndex × interval` (µs), not the time it ran.
 * @param tickIndex 0 for the first tick; with dropped ticks, indices skip (a Source can tell
 *   which frame or sample range is missing).
 */
export type TickCallback = (tickTime: number, tickIndex: number) => void;

/** Options of {@link Clock.every}. */
export interface EveryOptions {
  /**
   * The due time of tick 0 (µs on this clock). Default: `now() + interval`, so that, like a
   * device, the first frame or audio period is ready one interval after capture starts, and
   * running N intervals of time yields exactly N ticks. Pass `clock.now()` for a tick at once
   * (on the next turn of a RealClock, or the next `advance` of a VirtualClock). A time in the
   * past makes ticks overdue at once: a RealClock treats them as missed (see `maxLate`), a
   * VirtualClock runs them all at its current time.
   */
  firstAt?: number;
  /**
   * RealClock only: how many overdue ticks to deliver late, in order, when the process was
   * blocked. Ticks older than that are dropped and counted in `skipped`. Default 0: deliver only
   * the newest due tick, as a camera does (it does not produce frames for the time the process
   * could not read them). A microphone with a ring buffer of N periods would pass N.
   */
  maxLate?: number;
}

/** A monotonic time source with media-friendly scheduling. */
export interface Clock {
  /** The current time in microseconds (monotonic; may have a fractional part). */
  now(): number;
  /**
   * Runs `callback` once, at or after `atMicros` on this clock. A time in the past runs as soon
   * as possible. The callback receives the time it was scheduled for.
   */
  setTimer(atMicros: number, callback: (atMicros: number) => void): ClockHandle;
  /**
   * Calls `callback(tickTime, tickIndex)` at each tick `firstAt + tickIndex × interval`, until
   * cancelled. `intervalMicros` may be fractional (1e6 / 30 for 30 fps).
   */
  every(intervalMicros: number, callback: TickCallback, options?: EveryOptions): PeriodicHandle;
}

/**
 * The due time of tick `index` of a schedule: `firstAt + index × interval`, rounded to whole
 * nanoseconds. The rounding takes away floating-point noise (300 × (1e6 / 30) is 1e7 + 2e-9), so
 * that the 300th tick of a 30 fps schedule started at 0 is due at exactly 10 s; and the noise never
 * accumulates, as each due time is computed afresh from the index.
 */
export function tickDueTime(firstAt: number, interval: number, index: number): number {
  return Math.round((firstAt + index * interval) * 1000) / 1000;
}

/** Throws a RangeError unless `interval` is a finite number > 0. */
export function checkInterval(interval: number): void {
  if (!(interval > 0) || !Number.isFinite(interval)) {
    throw new RangeError(`clock interval must be a finite number of microseconds > 0, got ${interval}`);
  }
}
