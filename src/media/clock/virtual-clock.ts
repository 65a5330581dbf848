import { setImmediate } from '../../platform/timers.js';
import type { Clock, ClockHandle, EveryOptions, PeriodicHandle, TickCallback } from './clock.js';
import { checkInterval, tickDueTime } from './clock.js';

/** Options of {@link VirtualClock.advanceAsync}. */
export interface AdvanceAsyncOptions {
  /**
   * Yield to the event loop after this many callbacks (default 1: after every tick), and once
   * more before the returned promise settles. Raise it to go faster when consumers need not see
   * every tick before the next one runs.
   */
  yieldEvery?: number;
  /**
   * How many macrotask turns (`setImmediate`) each yield lasts (default 1). One turn runs the
   * promise reactions and the `queueTask()` tasks that the ticks queued; tasks that those tasks
   * queue need a second turn, and so on.
   */
  turns?: number;
}

interface Entry {
  due: number;
  /** Creation order: breaks ties between entries due at the same time (first created runs first). */
  readonly seq: number;
  /** One-shot timers: the callback. Periodic schedules: undefined. */
  readonly once: ((at: number) => void) | undefined;
  readonly schedule: VirtualSchedule | undefined;
  cancelled: boolean;
}

class VirtualSchedule implements PeriodicHandle {
  readonly interval: number;
  readonly firstAt: number;
  readonly callback: TickCallback;
  nextIndex = 0;
  entry!: Entry;

  constructor(interval: number, firstAt: number, callback: TickCallback) {
    this.interval = interval;
    this.firstAt = firstAt;
    this.callback = callback;
  }

  get delivered(): number {
    return this.nextIndex;
  }

  get skipped(): number {
    return 0;
  }

  get cancelled(): boolean {
    return this.entry.cancelled;
  }

  cancel(): void {
    this.entry.cancelled = true;
  }
}

/**
 * A clock whose time moves only when a test moves it, for deterministic media tests.
 *
 * `advance(ms)` runs every callback that falls due up to the new time, in time order (ties in the
 * order the timers and schedules were made), each periodic tick exactly once, and never drops a
 * tick (overdue ticks of a schedule made with `firstAt` in the past all run, in order, at the
 * current time); while a callback runs, `now()` is that callback's due time. So with a 30 fps video
 * schedule and a 10 ms audio schedule, `advance(10_000)` delivers exactly 300 frames and 1000
 * audio periods (480 000 samples at 48 kHz), interleaved by time, in a few milliseconds.
 *
 * `advance` is synchronous: promise reactions and queued tasks that the callbacks cause run only
 * after it returns. When consumers must see each tick before the next (a MediaStreamTrackProcessor
 * reader, an event listener), use `advanceAsync`, which yields to the event loop between ticks.
 *
 * An exception thrown by a callback stops the advance at that callback's time and propagates; the
 * clock stays usable (a periodic schedule resumes at its next tick).
 */
export class VirtualClock implements Clock {
  #now: number;
  #heap: Entry[] = [];
  #seq = 0;
  #advancing = false;

  /** @param startMicros the initial `now()` (default 0). */
  constructor(startMicros = 0) {
    this.#now = startMicros;
  }

  now(): number {
    return this.#now;
  }

  setTimer(atMicros: number, callback: (atMicros: number) => void): ClockHandle {
    const entry: Entry = {
      due: Math.max(atMicros, this.#now),
      seq: this.#seq++,
      once: callback,
      schedule: undefined,
      cancelled: false,
    };
    this.#push(entry);
    return {
      cancel: () => void (entry.cancelled = true),
      get cancelled() {
        return entry.cancelled;
      },
    };
  }

  every(intervalMicros: number, callback: TickCallback, options: EveryOptions = {}): PeriodicHandle {
    checkInterval(intervalMicros);
    const firstAt = options.firstAt ?? this.#now + intervalMicros;
    const schedule = new VirtualSchedule(intervalMicros, firstAt, callback);
    schedule.entry = { due: tickDueTime(firstAt, intervalMicros, 0), seq: this.#seq++, once: undefined, schedule, cancelled: false };
    this.#push(schedule.entry);
    return schedule;
  }

  /** How many timers and schedules are live (not cancelled, not yet fired). */
  get pending(): number {
    return this.#heap.filter((e) => !e.cancelled).length;
  }

  /** The due time of the next callback, or undefined when nothing is scheduled. */
  nextDueTime(): number | undefined {
    return this.#peek()?.due;
  }

  /** Moves time forward by `ms` milliseconds, running every callback that falls due. */
  advance(ms: number): void {
    this.advanceTo(this.#now + ms * 1000);
  }

  /** Moves time forward by `micros` microseconds, running every callback that falls due. */
  advanceMicros(micros: number): void {
    this.advanceTo(this.#now + micros);
  }

  /** Moves time forward to `timeMicros` (a time on this clock, µs), running every due callback. */
  advanceTo(timeMicros: number): void {
    this.#begin(timeMicros);
    try {
      for (let e = this.#takeDue(timeMicros); e; e = this.#takeDue(timeMicros)) this.#run(e);
      this.#now = timeMicros;
    } finally {
      this.#advancing = false;
    }
  }

  /** Runs the next scheduled callback, moving time to its due time. False if nothing is scheduled. */
  runNext(): boolean {
    const due = this.nextDueTime();
    if (due === undefined) return false;
    this.#begin(due);
    try {
      const e = this.#takeDue(due);
      if (e) this.#run(e);
    } finally {
      this.#advancing = false;
    }
    return true;
  }

  /**
   * Like `advance(ms)`, but yields to the event loop (macrotasks) between ticks, so that promise
   * reactions and `queueTask()` tasks caused by one tick run before the next tick, and once more
   * at the end. Time stands at the last tick's due time during each yield. Don't advance the
   * clock again until the promise settles (that throws).
   */
  advanceAsync(ms: number, options?: AdvanceAsyncOptions): Promise<void> {
    return this.advanceToAsync(this.#now + ms * 1000, options);
  }

  /** `advanceTo`, yielding to the event loop as `advanceAsync` does. */
  async advanceToAsync(timeMicros: number, options: AdvanceAsyncOptions = {}): Promise<void> {
    const yieldEvery = Math.max(1, Math.floor(options.yieldEvery ?? 1));
    const turns = Math.max(1, Math.floor(options.turns ?? 1));
    this.#begin(timeMicros);
    try {
      let sinceYield = 0;
      for (let e = this.#takeDue(timeMicros); e; e = this.#takeDue(timeMicros)) {
        this.#run(e);
        if (++sinceYield >= yieldEvery) {
          sinceYield = 0;
          await yieldTurns(turns);
        }
      }
      this.#now = timeMicros;
      if (sinceYield > 0) await yieldTurns(turns);
    } finally {
      this.#advancing = false;
    }
  }

  #begin(timeMicros: number): void {
    if (this.#advancing) {
      throw new Error('VirtualClock: advance called while an advance is running (from a callback, or before advanceAsync settled)');
    }
    if (!(timeMicros >= this.#now)) {
      throw new RangeError(`VirtualClock: cannot move time back from ${this.#now} to ${timeMicros} µs`);
    }
    this.#advancing = true;
  }

  /** Removes and returns the earliest live entry due at or before `limit`. */
  #takeDue(limit: number): Entry | undefined {
    const top = this.#peek();
    if (!top || top.due > limit) return undefined;
    this.#pop();
    return top;
  }

  #run(e: Entry): void {
    // A schedule whose firstAt was in the past runs its overdue ticks at the current time.
    if (e.due > this.#now) this.#now = e.due;
    const s = e.schedule;
    if (s) {
      // Reschedule before calling, so that cancel() from the callback, or a throw, leaves the
      // schedule in a consistent state.
      const index = s.nextIndex++;
      const tickTime = e.due;
      e.due = tickDueTime(s.firstAt, s.interval, s.nextIndex);
      this.#push(e);
      s.callback(tickTime, index);
    } else {
      e.once!(e.due);
    }
  }

  // A binary min-heap ordered by (due, seq). Cancelled entries are dropped lazily.

  #peek(): Entry | undefined {
    const h = this.#heap;
    while (h.length > 0 && h[0]!.cancelled) this.#pop();
    return h[0];
  }

  #push(e: Entry): void {
    const h = this.#heap;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(e, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = e;
  }

  #pop(): void {
    const h = this.#heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && before(h[r]!, h[l]!) ? r : l;
      if (!before(h[c]!, last)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = last;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
