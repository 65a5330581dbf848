/**
 * The PulseAudio backend: microphones (sources, including the monitors of sinks) and speakers
 * (sinks) of the PulseAudio server that libpulse's rules pick (PULSE_SERVER, …), through the
 * pulseaudio-utils programs: `pactl` to list and watch, `parec` to capture. PipeWire's
 * pipewire-pulse serves the same protocol and works the same way.
 *
 * Machines without a sound server use the ALSA backend (src/backends/alsa/) instead. Not here
 * yet: the muted state (a source muted in the mixer could set the track's `muted`).
 */
import type { AudioMode, DeviceDescriptor } from '../../media/modes.js';
import type { Source } from '../../media/source.js';
import { notReadable } from '../../platform/errors.js';
import type { DeviceProvider, OpenRequest } from '../provider.js';
import { pulseDevices } from './descriptors.js';
import { changesDevices, Pactl, PulseEvents, type PulseEventsOptions } from './pactl.js';
import { PulseSource } from './source.js';
import { OpenSources } from '../common/open-sources.js';
import { WatchedList } from '../common/watched-list.js';
import { soundServerAnswers } from '../common/sound-server.js';
import { clearTimeout, setTimeout } from '../../platform/timers.js';

export interface PulseProviderOptions {
  /**
   * The environment for pactl and parec (PULSE_SERVER, XDG_RUNTIME_DIR, …). Default: process.env
   * at the time of each call.
   */
  readonly env?: () => NodeJS.ProcessEnv;
  /** The monotonic clock for sample timestamps, µs. Default `performance.now() × 1000`. */
  readonly now?: () => number;
  /** How long watch() waits after an event for more before telling its listeners. Default 50 ms. */
  readonly debounceMs?: number;
  /** The `pactl subscribe` watcher's clock and backoff (see {@link PulseEventsOptions}). */
  readonly watcher?: PulseEventsOptions;
}

export class PulseProvider implements DeviceProvider {
  readonly name = 'pulse';
  readonly #pactl: Pactl;
  readonly #events: PulseEvents;
  readonly #options: PulseProviderOptions;
  readonly #sources = new OpenSources<PulseSource>();
  readonly #unwatchers = new Set<() => void>();
  readonly #known: WatchedList<readonly DeviceDescriptor[]>;

  /**
   * Whether this machine can use the backend: pactl runs and a server answers. Never throws.
   */
  static async supports(options: Pick<PulseProviderOptions, 'env'> = {}): Promise<boolean> {
    return soundServerAnswers(options.env?.() ?? process.env);
  }

  constructor(options: PulseProviderOptions = {}) {
    this.#options = options;
    this.#pactl = new Pactl(options.env);
    this.#events = new PulseEvents(this.#pactl, options.watcher);
    this.#known = new WatchedList(() => this.#events.devicesVersion);
  }

  async enumerate(): Promise<readonly DeviceDescriptor[]> {
    return pulseDevices(await this.#pactl.inventory());
  }

  /**
   * The devices, listed with pactl only when `pactl subscribe` (running for watch() or an open
   * source) has seen a change since the last listing, or cannot vouch for it yet.
   */
  knownDevices(): Promise<readonly DeviceDescriptor[]> {
    return this.#known.get(() => this.enumerate());
  }

  watch(listener: () => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    const unsubscribe = this.#events.subscribe((event) => {
      if (!changesDevices(event) || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        listener();
      }, this.#options.debounceMs ?? 50);
    });
    const unwatch = (): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      unsubscribe();
      this.#unwatchers.delete(unwatch);
    };
    this.#unwatchers.add(unwatch);
    return unwatch;
  }

  /**
   * Resolves once the `pactl subscribe` behind watch() and device-removal detection is receiving
   * events (it prints nothing when it starts, so a change in its first milliseconds would be
   * missed). For tests; rejects if nothing is being watched.
   */
  watching(): Promise<void> {
    return this.#events.ready();
  }

  /** The pid of the `pactl subscribe` process, while one runs. */
  get watcherPid(): number | undefined {
    return this.#events.pid;
  }

  /** Exits of the watcher since it last reached the server (see PulseEvents.failedAttempts); 0 while connected. */
  get watcherFailures(): number {
    return this.#events.failedAttempts;
  }

  async open(device: DeviceDescriptor, request: OpenRequest): Promise<Source> {
    if (device.kind !== 'audioinput') {
      throw notReadable(`PulseAudio device "${device.rawId}" is a ${device.kind}; only audio inputs can be captured`);
    }
    const mode = request.mode as AudioMode;
    if (typeof mode.sampleRate !== 'number' || typeof mode.channelCount !== 'number') {
      throw notReadable(`PulseAudio device "${device.rawId}" was asked for a mode that is not an audio mode`);
    }
    const source = await PulseSource.open(device, mode, {
      env: this.#options.env?.() ?? process.env,
      events: this.#events,
      ...(this.#options.now ? { now: this.#options.now } : {}),
    });
    this.#sources.add(source);
    return source;
  }

  /** The sources open now. */
  get openSources(): readonly PulseSource[] {
    return this.#sources.list;
  }

  close(): void {
    for (const unwatch of [...this.#unwatchers]) unwatch();
  }
}
