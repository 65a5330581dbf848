/**
 * Talking to the PulseAudio server through `pactl` (pulseaudio-utils): one-shot queries, and one
 * shared `pactl subscribe` process for change events.
 *
 * Which server: libpulse's usual rules (PULSE_SERVER, then XDG_RUNTIME_DIR/pulse/native, …) on
 * the environment at the time of each call, so a test setup that sets PULSE_SERVER is honoured.
 * LC_ALL=C is forced: pactl's text output and parec's messages are translated otherwise.
 */
import type { Clock, ClockHandle } from '../../media/clock/index.js';
import { RealClock } from '../../media/clock/index.js';
import { Backoff, type BackoffOptions } from '../common/backoff.js';
import { OwnedProcess, runProgram } from '../common/process.js';
import { cLocale } from '../common/sound-server.js';
import { parsePactlInfo, parsePactlList, parseSubscribeLine, type PulseEvent } from './pactl-text.js';
import type { PulseInventory } from './descriptors.js';
import { delay, monotonicNow } from '../../platform/timers.js';

/** The environment for pactl and parec: the caller's (or process.env), in the C locale. */
export const pulseEnv: (base?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv = cLocale;

export class Pactl {
  readonly #env: (() => NodeJS.ProcessEnv) | undefined;

  /** @param env the environment to run pactl in; default process.env at the time of each call. */
  constructor(env?: () => NodeJS.ProcessEnv) {
    this.#env = env;
  }

  get env(): NodeJS.ProcessEnv {
    return pulseEnv(this.#env?.() ?? process.env);
  }

  /** Runs `pactl <args>` and returns its stdout. Rejects with the program's error when it fails. */
  async run(args: readonly string[], timeoutMs = 5000): Promise<string> {
    const { stdout } = await runProgram('pactl', args, { env: this.env, timeoutMs });
    return stdout.toString('utf8');
  }

  /** Sources, sinks and server info, queried in parallel. */
  async inventory(): Promise<PulseInventory> {
    const [sources, sinks, info] = await Promise.all([
      this.run(['list', 'sources']),
      this.run(['list', 'sinks']),
      this.run(['info']),
    ]);
    return { sources: parsePactlList(sources), sinks: parsePactlList(sinks), info: parsePactlInfo(info) };
  }
}

/**
 * Whether a `pactl subscribe` event may change the device list (or its order). A "change" on a
 * source or sink is its state, volume or port (one comes with every capture that starts or
 * stops), not its presence: the list, and `devicechange`, ignore it.
 */
export function changesDevices(event: PulseEvent): boolean {
  if (event.facility === 'source' || event.facility === 'sink') return event.type !== 'change';
  // The server's "change" is a new default sink or source: the order of the list changes.
  return event.facility === 'server';
}

/** The event listeners get when the server's reachability changes: the device list may differ. */
const SERVER_CHANGED: PulseEvent = { type: 'change', facility: 'server', index: 0xffffffff };

/** Options of {@link PulseEvents}. */
export interface PulseEventsOptions {
  /**
   * The clock of the retry and settle timers. Default: the real clock, whose timers do not keep
   * Node alive (watching for devices must not, as an ondevicechange handler doesn't in a browser).
   */
  readonly clock?: Clock;
  /** The waits between attempts to reach a server that does not answer. Default 1 s doubling to 30 s. */
  readonly retry?: BackoffOptions;
  /**
   * How long a new `pactl subscribe` must run without exiting before it counts as connected
   * (pactl prints nothing when its subscription is in place), ms. Default 500.
   */
  readonly settleMs?: number;
}

/**
 * One `pactl subscribe` process, shared by every listener, running while there is at least one.
 *
 * pactl prints nothing when its subscription is in place, so events in the first few
 * milliseconds after the start are missed; {@link PulseEvents.ready} waits until one is seen.
 *
 * When the server cannot be reached (it died, or never ran), pactl exits at once. The watcher
 * then retries with exponential backoff ({@link Backoff}: 1 s, 2 s, 4 s, … 30 s), and tells its
 * listeners only about changes of the server's reachability, never about its own failed
 * attempts: one synthetic "change on server" event when a connected subscription is lost (the
 * server's devices are gone), and one when a subscription connects after failures (they may be
 * back). A subscription counts as connected once it delivers an event or has run `settleMs`.
 */
export class PulseEvents {
  readonly #pactl: Pactl;
  readonly #clock: Clock;
  readonly #backoff: Backoff;
  readonly #settleMs: number;
  readonly #listeners = new Set<(event: PulseEvent) => void>();
  #proc: OwnedProcess | undefined;
  #partial = '';
  #seenEvent = false;
  /** The running subscription is known to be connected. */
  #connected = false;
  /** An attempt failed since the last connected subscription (the listeners' device list may be stale). */
  #unreachable = false;
  #retryTimer: ClockHandle | undefined;
  #settleTimer: ClockHandle | undefined;
  /** Changes whenever the server's devices may have changed unseen (see {@link PulseEvents.devicesVersion}). */
  #version = 0;

  constructor(pactl: Pactl, options: PulseEventsOptions = {}) {
    this.#pactl = pactl;
    this.#clock = options.clock ?? new RealClock({ keepAlive: false });
    this.#backoff = new Backoff(options.retry);
    this.#settleMs = options.settleMs ?? 500;
  }

  get listening(): boolean {
    return this.#listeners.size > 0;
  }

  /** The pid of the `pactl subscribe` process, while one runs. */
  get pid(): number | undefined {
    return this.#proc?.running ? this.#proc.pid : undefined;
  }

  /** Exits since the subscription was last connected: the lost one, then each failed attempt (0 while connected). */
  get failedAttempts(): number {
    return this.#backoff.failures;
  }

  /**
   * A number that changes whenever the server's sources, sinks or defaults may have changed: an
   * event that {@link changesDevices}, the subscription starting, ending or being lost. `undefined` unless a
   * subscription runs that has delivered an event (pactl prints nothing when its subscription is
   * in place, so until then a change could go unseen; every pactl the provider runs to list makes
   * "client" events, so the first listing proves it). For the provider's kept device list (common/watched-list.ts).
   */
  get devicesVersion(): number | undefined {
    return this.#proc?.running && this.#seenEvent ? this.#version : undefined;
  }

  /** Calls `listener` with every event until the returned function is called. */
  subscribe(listener: (event: PulseEvent) => void): () => void {
    this.#listeners.add(listener);
    if (!this.#proc && !this.#retryTimer) this.#start();
    return () => {
      if (!this.#listeners.delete(listener)) return;
      if (this.#listeners.size === 0) this.#stop();
    };
  }

  /**
   * Resolves once the subscription is known to be in place: the first event has arrived. Makes
   * events happen by running `pactl stat` (each pactl connection is a "new client" event) until
   * one does, for at most `timeoutMs`.
   */
  async ready(timeoutMs = 3000): Promise<void> {
    const deadline = monotonicNow() + timeoutMs;
    while (!this.#seenEvent) {
      if (!this.#proc || monotonicNow() > deadline) throw new Error('pactl subscribe is not running or saw no event');
      await this.#pactl.run(['stat']).catch(() => {});
      if (!this.#seenEvent) await delay(20);
    }
  }

  #start(): void {
    this.#version++;
    this.#partial = '';
    this.#seenEvent = false;
    this.#connected = false;
    const proc = new OwnedProcess('pactl', ['subscribe'], {
      env: this.#pactl.env,
      killGraceMs: 500,
      // Watching for devices must not keep Node running (an ondevicechange handler doesn't in a
      // browser either); the exit hook ends it.
      keepAlive: false,
      onUnexpectedExit: () => {
        if (this.#proc === proc) this.#exited();
      },
    });
    this.#proc = proc;
    this.#settleTimer = this.#clock.setTimer(this.#clock.now() + this.#settleMs * 1000, () => {
      this.#settleTimer = undefined;
      if (this.#proc === proc && proc.running) this.#connect();
    });
    proc.started.catch(() => {
      // pactl missing: nothing to watch, and nothing to retry. enumerate() reports the problem.
      if (this.#proc !== proc) return;
      this.#proc = undefined;
      this.#cancelSettle();
    });
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (text: string) => {
      const lines = (this.#partial + text).split('\n');
      this.#partial = lines.pop() ?? '';
      for (const line of lines) {
        const event = parseSubscribeLine(line);
        if (!event) continue;
        this.#seenEvent = true;
        if (changesDevices(event)) this.#version++;
        if (!this.#connected) this.#connect();
        this.#emit(event);
      }
    });
  }

  /** The subscription is in place: the backoff starts over; after failures, the devices may be back. */
  #connect(): void {
    this.#cancelSettle();
    this.#connected = true;
    this.#backoff.succeed();
    if (this.#unreachable) {
      this.#unreachable = false;
      this.#emit(SERVER_CHANGED);
    }
  }

  /** The subscription ended by itself: the server went away, or never answered. */
  #exited(): void {
    const wasConnected = this.#connected;
    this.#version++;
    this.#proc = undefined;
    this.#connected = false;
    this.#cancelSettle();
    this.#unreachable = true;
    // A connected server was lost: its devices are gone. A failed attempt changes nothing.
    if (wasConnected) this.#emit(SERVER_CHANGED);
    if (this.#listeners.size === 0) return;
    const delayMs = this.#backoff.fail();
    this.#retryTimer = this.#clock.setTimer(this.#clock.now() + delayMs * 1000, () => {
      this.#retryTimer = undefined;
      if (this.#listeners.size > 0 && !this.#proc) this.#start();
    });
  }

  #cancelSettle(): void {
    this.#settleTimer?.cancel();
    this.#settleTimer = undefined;
  }

  #stop(): void {
    this.#version++;
    this.#retryTimer?.cancel();
    this.#retryTimer = undefined;
    this.#cancelSettle();
    const proc = this.#proc;
    this.#proc = undefined;
    this.#connected = false;
    void proc?.kill();
  }

  #emit(event: PulseEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }
}
