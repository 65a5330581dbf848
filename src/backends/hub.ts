/**
 * The device hub of the process: as a browser shares one camera between its tabs, a real device
 * that two installations (two windows, two `installGlobals` calls) open is opened once.
 *
 * - Providers of real devices are process-wide: one per backend (and argument) for one
 *   environment, made at the first installation that chooses the backend, shared by the later
 *   ones, closed when the last of them gives it back. The built-in synthetic provider is not
 *   here: each installation configures its own devices.
 * - Sources are shared: opening a device in a native mode that is running already returns the
 *   running Source, whichever installation opened it. The Source counts the tracks attached to
 *   it and closes the device when the last one detaches.
 *
 * What stays per installation is the rest of what a tab has: origin, device ids, permissions,
 * exposure (src/algorithms/media-devices-state.ts, src/scope/).
 */
import type { DeviceDescriptor } from '../media/modes.js';
import type { Source } from '../media/source.js';
import type { DeviceProvider, OpenRequest } from './provider.js';

interface Made {
  readonly provider: DeviceProvider;
  readonly table: Map<string, Made>;
  readonly key: string;
  users: number;
}

/** Process-wide providers and the sources open on them. */
export class DeviceHub {
  readonly #made = new WeakMap<object, Map<string, Made>>();
  readonly #byProvider = new Map<DeviceProvider, Made>();
  readonly #opening = new WeakMap<DeviceProvider, Map<string, Promise<Source>>>();
  readonly #open = new Set<Source>();

  /**
   * The provider for `key` in `scope` (an environment: providers made for one environment are
   * not handed to another), made by `make` the first time. Each call is one use; give it back
   * with {@link DeviceHub.release}.
   */
  provider(scope: object, key: string, make: () => DeviceProvider): DeviceProvider {
    let table = this.#made.get(scope);
    if (!table) this.#made.set(scope, (table = new Map()));
    let made = table.get(key);
    if (!made) {
      made = { provider: make(), table, key, users: 0 };
      table.set(key, made);
      this.#byProvider.set(made.provider, made);
    }
    made.users++;
    return made.provider;
  }

  /** Gives back one use of a provider from {@link DeviceHub.provider}; the last use closes it. */
  release(provider: DeviceProvider): void {
    const made = this.#byProvider.get(provider);
    if (!made || --made.users > 0) return;
    this.#byProvider.delete(provider);
    if (made.table.get(made.key) === made) made.table.delete(made.key);
    provider.close?.();
  }

  /** The process-wide providers in use now. */
  get providers(): readonly DeviceProvider[] {
    return [...this.#byProvider.keys()];
  }

  /**
   * A source for `device` of `provider` in the requested mode: the running one if the device is
   * open in that mode already (or being opened), otherwise a newly opened one.
   */
  async open(provider: DeviceProvider, device: DeviceDescriptor, request: OpenRequest): Promise<Source> {
    let table = this.#opening.get(provider);
    if (!table) this.#opening.set(provider, (table = new Map()));
    const key = `${device.rawId}|${JSON.stringify(request)}`;
    for (let pending = table.get(key); pending; ) {
      const running = await pending.catch(() => undefined);
      // A live source that switched modes (applyConstraints) no longer serves requests for the old one.
      if (running && !running.stopped && JSON.stringify(running.mode) === JSON.stringify(request.mode)) return running;
      // Another caller may have started a new opening meanwhile: join it rather than open twice.
      const next = table.get(key);
      pending = next === pending ? undefined : next;
    }
    const opening = provider.open(device, request);
    table.set(key, opening);
    let source: Source;
    try {
      source = await opening;
    } catch (e) {
      if (table.get(key) === opening) table.delete(key);
      throw e;
    }
    this.#open.add(source);
    source.whenReleased((s) => {
      this.#open.delete(s);
      if (table.get(key) === opening) table.delete(key);
    });
    return source;
  }

  /** The sources open now, from every installation. */
  get openSources(): readonly Source[] {
    return [...this.#open].filter((s) => !s.stopped);
  }
}

/** The hub of this process. */
export const deviceHub = new DeviceHub();
