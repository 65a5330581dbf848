import { clearTimeout, monotonicNow, setTimeout } from '../../platform/timers.js';
import type { Clock, ClockHandle, EveryOptions, PeriodicHandle, TickCallback } from './clock.js';
import { checkInterval, tickDueTime } from './clock.js';

// Node's own timers and `performance` (platform/timers.ts): test frameworks' fake timers, which
// replace the globals, must not freeze or warp real capture.

/** Options of {@link RealClock}. */
export interface RealClockOptions {
  /**
   * Whether pending timers keep the Node.js process alive (default true, like an open device).
   * With false, the timers are `unref()`ed.
   */
  keepAlive?: boolean;
}

/**
 * Wall-clock time: `now()` is `performance.now()` in microseconds (so it shares its time origin),
 * and callbacks run from `setTimeout`.
 *
 * Timers may run late (the event loop was busy), never early: a timer that Node fires before its
 * due time is re-armed. A periodic schedule whose process was blocked for longer than one interval
 * does what a camera does: it drops the ticks for the time that passed and delivers only the
 * newest due tick (late by less than one interval), counting the dropped ones in
 * `PeriodicHandle.skipped`; tick indices skip accordingly. `EveryOptions.maxLate` lets a source
 * with a buffer (a microphone's ring buffer) take up to that many overdue ticks late, in order.
 *
 * Exceptions from callbacks propagate to the event loop (an uncaught exception); the schedule is
 * re-armed first.
 */
export class RealClock implements Clock {
  readonly #keepAlive: boolean;

  constructor(options: RealClockOptions = {}) {
    this.#keepAlive = options.keepAlive ?? true;
  }

  now(): number {
    return monotonicNow() * 1000;
  }

  setTimer(atMicros: number, callback: (atMicros: number) => void): ClockHandle {
    let timer: Timer | undefined;
    let cancelled = false;
    const fire = (): void => {
      timer = undefined;
      if (cancelled) return;
      if (this.now() < atMicros) return arm();
      callback(atMicros);
    };
    const arm = (): void => {
      timer = this.#arm(atMicros, fire);
    };
    arm();
    return {
      cancel(): void {
        cancelled = true;
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
      },
      get cancelled() {
        return cancelled;
      },
    };
  }

  every(intervalMicros: number, callback: TickCallback, options: EveryOptions = {}): PeriodicHandle {
    checkInterval(intervalMicros);
    const firstAt = options.firstAt ?? this.now() + intervalMicros;
    return new RealSchedule(this, this.#keepAlive, intervalMicros, firstAt, Math.max(0, options.maxLate ?? 0), callback);
  }

  #arm(atMicros: number, fire: () => void): Timer {
    return armAt(atMicros, this.#keepAlive, fire);
  }
}

type Timer = ReturnType<typeof setTimeout>;

/** Sets a real timeout for `atMicros` (rounded up to whole milliseconds). */
function armAt(atMicros: number, keepAlive: boolean, fire: () => void): Timer {
  const delayMs = Math.max(0, Math.ceil((atMicros - monotonicNow() * 1000) / 1000));
  const t = setTimeout(fire, delayMs);
  if (!keepAlive) t.unref();
  return t;
}

class RealSchedule implements PeriodicHandle {
  readonly interval: number;
  readonly firstAt: number;
  readonly #clock: RealClock;
  readonly #keepAlive: boolean;
  readonly #maxLate: number;
  readonly #callback: TickCallback;
  #next = 0;
  #delivered = 0;
  #skipped = 0;
  #cancelled = false;
  #timer: Timer | undefined;
  /** #fire, made once (not a closure per tick). */
  readonly #onTimer = (): void => this.#fire();

  constructor(clock: RealClock, keepAlive: boolean, interval: number, firstAt: number, maxLate: number, callback: TickCallback) {
    this.#clock = clock;
    this.#keepAlive = keepAlive;
    this.interval = interval;
    this.firstAt = firstAt;
    this.#maxLate = maxLate;
    this.#callback = callback;
    this.#arm();
  }

  get delivered(): number {
    return this.#delivered;
  }

  get skipped(): number {
    return this.#skipped;
  }

  get nextIndex(): number {
    return this.#next;
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  cancel(): void {
    this.#cancelled = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    const due = tickDueTime(this.firstAt, this.interval, this.#next);
    this.#timer = armAt(due, this.#keepAlive, this.#onTimer);
  }

  #fire(): void {
    this.#timer = undefined;
    if (this.#cancelled) return;
    const now = this.#clock.now();
    const last = this.#lastDueIndex(now);
    if (last < this.#next) return this.#arm(); // woken early
    // Ticks #next..last are due. Keep the newest maxLate + 1 of them; drop the rest.
    const drop = Math.max(0, last - this.#next + 1 - (this.#maxLate + 1));
    this.#skipped += drop;
    this.#next += drop;
    try {
      while (this.#next <= last && !this.#cancelled) {
        const index = this.#next++;
        this.#delivered++;
        this.#callback(tickDueTime(this.firstAt, this.interval, index), index);
      }
    } finally {
      if (!this.#cancelled) {
        // Ticks left undelivered because a callback threw count as skipped.
        if (this.#next <= last) {
          this.#skipped += last + 1 - this.#next;
          this.#next = last + 1;
        }
        this.#arm();
      }
    }
  }

  /** The largest index whose due time is <= now (-1 if none). */
  #lastDueIndex(now: number): number {
    let k = Math.floor((now - this.firstAt) / this.interval);
    if (k < -1) k = -1;
    while (tickDueTime(this.firstAt, this.interval, k + 1) <= now) k++;
    while (k >= 0 && tickDueTime(this.firstAt, this.interval, k) > now) k--;
    return k;
  }
}
