import type { DeviceDescriptor } from '../media/modes.js';
import type { Source } from '../media/source.js';
import { deviceHub, type DeviceHub } from './hub.js';
import { knownDevices, type DeviceProvider, type OpenRequest } from './provider.js';
import { selectBackends, type SelectedBackends } from './select.js';

/** A device together with the provider that listed it. */
export interface ProvidedDevice {
  readonly descriptor: DeviceDescriptor;
  readonly provider: DeviceProvider;
  /** Unique across providers: `${provider.name}:${rawId}`. */
  readonly key: string;
}

/** Options of a {@link DeviceManager}. */
export interface DeviceManagerOptions {
  /**
   * The display surfaces' providers for getDisplayMedia. Default: chosen at the first call from
   * the process's environment (MEDIACAPTURE_BACKENDS, else `auto`: X11 where DISPLAY is set).
   */
  readonly displays?: readonly DeviceProvider[];
  /**
   * What closing the manager does with its providers, e.g. {@link SelectedBackends.release}
   * (giving back process-wide providers to the hub). Default: closes each one.
   */
  readonly release?: () => void;
  /** Where devices are opened. Default: the process's {@link deviceHub}. */
  readonly hub?: DeviceHub;
}

/**
 * The devices of one installation: the union of its providers, watched for changes. Devices are
 * opened through the process's device hub, so a source is shared by every track that uses the
 * device in that mode: two getUserMedia calls, or two installations (one camera serves two tabs
 * in a browser).
 */
export class DeviceManager {
  readonly providers: readonly DeviceProvider[];
  readonly #hub: DeviceHub;
  readonly #release: (() => void) | undefined;
  #displays: readonly DeviceProvider[] | undefined;
  #defaultDisplays: SelectedBackends | undefined;
  #listeners = new Set<() => void>();
  #unwatch: (() => void)[] = [];
  #openSources = new Set<Source>();

  constructor(providers: readonly DeviceProvider[], options: DeviceManagerOptions = {}) {
    this.providers = providers;
    this.#hub = options.hub ?? deviceHub;
    this.#release = options.release;
    this.#displays = options.displays;
  }

  /** The providers getDisplayMedia draws display surfaces from (never enumerated, Screen Capture §5.5). */
  get displays(): readonly DeviceProvider[] {
    if (!this.#displays) {
      this.#defaultDisplays = selectBackends({ kinds: ['display'] });
      this.#displays = this.#defaultDisplays.displayProviders;
    }
    return this.#displays;
  }

  /**
   * The devices of every provider, in provider order. A provider that fails to list contributes
   * nothing. Each provider's list is the one its watcher keeps current where it has one
   * ({@link DeviceProvider.knownDevices}): no `pactl` per getUserMedia.
   */
  async list(): Promise<ProvidedDevice[]> {
    const lists = await Promise.all(
      this.providers.map(async (provider) => {
        try {
          const devices = await knownDevices(provider);
          return devices.map((descriptor) => ({ descriptor, provider, key: `${provider.name}:${descriptor.rawId}` }));
        } catch {
          return [];
        }
      }),
    );
    return lists.flat();
  }

  /** Calls `listener` when any provider's device set may have changed. */
  onChange(listener: () => void): () => void {
    if (this.#listeners.size === 0) {
      this.#unwatch = this.providers.map((p) => p.watch(() => this.#changed()));
    }
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        for (const u of this.#unwatch) u();
        this.#unwatch = [];
      }
    };
  }

  #changed(): void {
    for (const l of [...this.#listeners]) l();
  }

  /**
   * A source for the device in the requested mode: the running one if the device is already open
   * in that mode (by this installation or another), otherwise a newly opened one.
   */
  async open(device: ProvidedDevice, request: OpenRequest): Promise<Source> {
    const source = await this.#hub.open(device.provider, device.descriptor, request);
    this.#openSources.add(source);
    source.whenReleased((s) => this.#openSources.delete(s));
    return source;
  }

  /** Sources this manager's tracks use now (for tests and for the "no device left open" checks). */
  get openSources(): Source[] {
    return [...this.#openSources].filter((s) => !s.stopped);
  }

  close(): void {
    for (const u of this.#unwatch) u();
    this.#unwatch = [];
    this.#listeners.clear();
    if (this.#release) this.#release();
    else for (const p of this.providers) p.close?.();
    this.#defaultDisplays?.release();
    this.#defaultDisplays = undefined;
  }
}
