import type { DeviceDescriptor } from '../../media/modes.js';
import { notReadable } from '../../platform/errors.js';
import type { DeviceProvider, OpenRequest } from '../provider.js';
import { DEFAULT_AUDIO_MODES, DEFAULT_BUILTIN_DEVICES, DEFAULT_VIDEO_MODES, type BuiltinDeviceConfig } from './config.js';
import { BuiltinSource } from './source.js';
import { RealClock, type Clock } from '../../media/clock/index.js';

let realClock: RealClock | undefined;
function sharedRealClock(): RealClock {
  return (realClock ??= new RealClock());
}

interface DeviceEntry {
  config: BuiltinDeviceConfig;
  descriptor: DeviceDescriptor;
  failure: string | null;
  interrupted: boolean;
}

/**
 * The built-in synthetic devices: the embedded default when a machine has no devices, like
 * Chrome's `--use-fake-device-for-media-stream`, and a device lab for tests — devices can be
 * plugged, unplugged, made to fail to open, or interrupted at run time.
 */
export class BuiltinProvider implements DeviceProvider {
  readonly name = 'builtin';
  #entries = new Map<string, DeviceEntry>();
  #listeners = new Set<() => void>();
  #sources = new Set<BuiltinSource>();
  #opens = 0;
  readonly #initialDevices: readonly BuiltinDeviceConfig[];
  readonly #initialClock: Clock;
  #clock: Clock;

  constructor(devices: readonly BuiltinDeviceConfig[] = DEFAULT_BUILTIN_DEVICES, options: { clock?: Clock } = {}) {
    this.#initialClock = this.#clock = options.clock ?? sharedRealClock();
    for (const config of devices) this.#add(config);
    // With the ids given to those that had none, so that a reset gives the same ids back.
    this.#initialDevices = [...this.#entries.values()].map((e) => e.config);
  }

  /** The clock the devices make media on: a RealClock, or the VirtualClock a test drives. */
  get clock(): Clock {
    return this.#clock;
  }

  /** Makes the devices opened from now on make media on `clock` (open ones keep theirs). */
  setClock(clock: Clock): void {
    this.#clock = clock;
  }

  /**
   * Back to the devices and clock this provider was made with: devices plugged since are gone
   * (their sources end as if unplugged), unplugged ones are back, none fails or is interrupted.
   * Listeners are not told: this is a fresh start (a new page), not a hot-plug.
   */
  reset(): void {
    for (const s of this.sourcesOf()) {
      if (!this.#initialDevices.some((c) => c.id === s.device.rawId)) s.unplugged();
      else s.interrupt(false);
    }
    this.#entries.clear();
    for (const config of this.#initialDevices) this.#add(config);
    this.#clock = this.#initialClock;
  }

  async enumerate(): Promise<readonly DeviceDescriptor[]> {
    return [...this.#entries.values()].map((e) => e.descriptor);
  }

  watch(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async open(device: DeviceDescriptor, request: OpenRequest): Promise<BuiltinSource> {
    const entry = this.#entries.get(device.rawId);
    if (!entry) throw notReadable(`The device "${device.label}" is no longer connected.`);
    if (entry.failure !== null) throw notReadable(entry.failure);
    this.#opens++;
    const source = new BuiltinSource(entry.descriptor, request.mode, entry.config, this.clock, (s) => this.#sources.delete(s));
    this.#sources.add(source);
    if (entry.interrupted) source.interrupt(true);
    return source;
  }

  /** Plugs in a device; `devicechange` follows where it changes what script sees. Returns its id. */
  plug(config: BuiltinDeviceConfig): string {
    const id = this.#add(config);
    this.#changed();
    return id;
  }

  /** Unplugs a device: its tracks end (one `ended` each) and `devicechange` follows. */
  unplug(id: string): void {
    const entry = this.#require(id);
    this.#entries.delete(id);
    for (const s of this.sourcesOf(id)) s.unplugged();
    void entry;
    this.#changed();
  }

  /**
   * Makes opening the device fail with NotReadableError (as when another program holds it), or
   * lets it open again with `false`.
   */
  setFailing(id: string, failing: boolean | string = true): void {
    const entry = this.#require(id);
    entry.failure = failing === false ? null : typeof failing === 'string' ? failing : `The device "${entry.descriptor.label}" is in use by another program or failed to start.`;
  }

  /** Interrupts the device: its tracks are muted until `resume(id)`. */
  interrupt(id: string): void {
    const entry = this.#require(id);
    entry.interrupted = true;
    for (const s of this.sourcesOf(id)) s.interrupt(true);
  }

  /** Ends an interruption: its tracks are unmuted. */
  resume(id: string): void {
    const entry = this.#require(id);
    entry.interrupted = false;
    for (const s of this.sourcesOf(id)) s.interrupt(false);
  }

  /** The ids of the configured devices, in order. */
  get deviceIds(): string[] {
    return [...this.#entries.keys()];
  }

  /** Open sources of a device (or of all devices). */
  sourcesOf(id?: string): BuiltinSource[] {
    return [...this.#sources].filter((s) => !s.stopped && (id === undefined || s.device.rawId === id));
  }

  /** How many times a device was opened (for "a denied request opens no device" checks). */
  get openCount(): number {
    return this.#opens;
  }

  #require(id: string): DeviceEntry {
    const entry = this.#entries.get(id);
    if (!entry) throw new Error(`No built-in device with id "${id}" (have: ${[...this.#entries.keys()].join(', ') || 'none'}).`);
    return entry;
  }

  #add(config: BuiltinDeviceConfig): string {
    const kind = config.kind;
    if (kind !== 'audioinput' && kind !== 'videoinput' && kind !== 'audiooutput') {
      throw new TypeError(`Built-in device kind must be "audioinput", "videoinput" or "audiooutput" (got ${String(kind)}).`);
    }
    let id = config.id;
    if (!id) {
      let n = 0;
      do id = `builtin-${kind}-${n++}`;
      while (this.#entries.has(id));
    }
    if (this.#entries.has(id)) throw new Error(`A built-in device with id "${id}" already exists.`);
    const firstOfKind = ![...this.#entries.values()].some((e) => e.config.kind === kind);
    const descriptor: DeviceDescriptor = {
      rawId: id,
      kind,
      label: config.label ?? defaultLabel(kind, id),
      groupKey: config.group ?? id,
      isDefault: config.isDefault ?? firstOfKind,
      ...(kind === 'videoinput'
        ? { facingMode: config.facingMode ?? 'user', videoModes: validModes(config.videoModes ?? DEFAULT_VIDEO_MODES, id) }
        : { audioModes: config.audioModes ?? DEFAULT_AUDIO_MODES }),
      ...(kind === 'audioinput'
        ? {
            echoCancellation: config.echoCancellation ?? [true, false],
            autoGainControl: config.autoGainControl ?? [true, false],
            noiseSuppression: config.noiseSuppression ?? [true, false],
          }
        : {}),
    };
    this.#entries.set(id, { config: { ...config, id }, descriptor, failure: null, interrupted: false });
    return id;
  }

  #changed(): void {
    for (const l of [...this.#listeners]) l();
  }
}

function defaultLabel(kind: string, id: string): string {
  const what = kind === 'videoinput' ? 'Camera' : kind === 'audioinput' ? 'Microphone' : 'Speaker';
  return `Synthetic ${what} (${id})`;
}

function validModes<T extends { width: number; height: number; frameRate: number }>(modes: T[], id: string): T[] {
  if (modes.length === 0) throw new TypeError(`Built-in camera "${id}" needs at least one video mode.`);
  for (const m of modes) {
    if (!(Number.isInteger(m.width) && m.width > 0 && Number.isInteger(m.height) && m.height > 0 && m.frameRate > 0)) {
      throw new TypeError(`Built-in camera "${id}": invalid mode ${JSON.stringify(m)} (width and height must be positive integers, frameRate positive).`);
    }
  }
  return modes;
}
