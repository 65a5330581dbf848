/**
 * Exponential backoff for watchers that lose their server (a `pactl subscribe` whose PulseAudio
 * server is gone, or was never there): each failed attempt doubles the wait before the next, up
 * to a cap, and a success starts again from the first delay. Without it a watcher that restarts
 * every second spawns a process a second for as long as the installation lives.
 */

/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** The wait after the first failure, ms. Default 1000. */
  readonly initialMs?: number;
  /** The longest wait, ms. Default 30 000. */
  readonly maxMs?: number;
}

/** The waits between the attempts of one watcher: 1 s, 2 s, 4 s, … 30 s, 30 s, … */
export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  #failures = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 1000;
    this.maxMs = Math.max(this.initialMs, options.maxMs ?? 30_000);
  }

  /** Failed attempts since the last success. */
  get failures(): number {
    return this.#failures;
  }

  /** An attempt failed: how long to wait (ms) before the next one. */
  fail(): number {
    const delay = Math.min(this.maxMs, this.initialMs * 2 ** this.#failures);
    this.#failures++;
    return delay;
  }

  /** An attempt succeeded: the next failure waits `initialMs` again. */
  succeed(): void {
    this.#failures = 0;
  }
}
