import type { DeviceDescriptor } from '../media/modes.js';
import type { Source } from '../media/source.js';
import type { DeviceProvider, OpenRequest } from './provider.js';

/** A device together with the provider that listed it. */
export interface ProvidedDevice {
  readonly descriptor: DeviceDescriptor;
  readonly provider: DeviceProvider;
  /** Unique across providers: `${provider.name}:${rawId}`. */
  readonly key: string;
}

/**
 * The machine's devices as every MediaDevices of the process sees them: the union of the
 * registered providers, watched for changes, with opened sources shared between tracks (one
 * camera serves two tabs in a browser; here, two scopes or two getUserMedia calls).
 */
export class DeviceManager {
  readonly providers: readonly DeviceProvider[];
  #listeners = new Set<() => void>();
  #unwatch: (() => void)[] = [];
  #openSources = new Map<string, Source>();

  constructor(providers: readonly DeviceProvider[]) {
    this.providers = providers;
  }

  /** The devices of every provider, in provider order. A provider that fails to list contributes nothing. */
  async list(): Promise<ProvidedDevice[]> {
    const lists = await Promise.all(
      this.providers.map(async (provider) => {
        try {
          const devices = await provider.enumerate();
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
   * in that mode, otherwise a newly opened one.
   */
  async open(device: ProvidedDevice, request: OpenRequest): Promise<Source> {
    const key = `${device.key}|${JSON.stringify(request)}`;
    const running = this.#openSources.get(key);
    // A live source that switched modes (applyConstraints) no longer serves requests for the old one.
    if (running && !running.stopped && JSON.stringify(running.mode) === JSON.stringify(request.mode)) return running;
    const source = await device.provider.open(device.descriptor, request);
    this.#openSources.set(key, source);
    source.whenReleased((s) => {
      if (this.#openSources.get(key) === s) this.#openSources.delete(key);
    });
    return source;
  }

  /** Sources open now (for tests and for the "no device left open" checks). */
  get openSources(): Source[] {
    return [...this.#openSources.values()].filter((s) => !s.stopped);
  }

  close(): void {
    for (const u of this.#unwatch) u();
    this.#unwatch = [];
    this.#listeners.clear();
    for (const p of this.providers) p.close?.();
  }
}
