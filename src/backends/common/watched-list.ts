/**
 * A provider's device list kept between calls while its watcher vouches for it, so that
 * getUserMedia and enumerateDevices do not run `pactl` (or read sysfs) every time: a browser too
 * keeps the device lists its device monitor maintains.
 *
 * The watcher gives a version: a number that changes whenever the devices may have changed (an
 * event, the watcher starting, losing its connection, stopping), or `undefined` while no connected
 * watcher can vouch for the list (none runs, or it has not yet shown that it receives events).
 * A list read at one version serves until the version changes; a read that a change overtook is
 * used by the calls that asked for it but not kept. Without a version every call reads afresh, as
 * before the watcher was connected.
 */
export class WatchedList<T> {
  readonly #version: () => number | undefined;
  #kept: { readonly version: number; readonly value: Promise<T> } | undefined;

  /** @param version the watcher's current version, `undefined` while it cannot vouch for a list. */
  constructor(version: () => number | undefined) {
    this.#version = version;
  }

  /**
   * The list: the one kept at the current version, else `read()`'s. `keep` says whether a read
   * list may be kept (e.g. not when a device could not be asked and should be asked again).
   */
  get(read: () => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
    const version = this.#version();
    if (version === undefined) {
      this.#kept = undefined;
      return read();
    }
    if (this.#kept?.version === version) return this.#kept.value;
    const kept = { version, value: read() };
    this.#kept = kept;
    const drop = (): void => {
      if (this.#kept === kept) this.#kept = undefined;
    };
    kept.value.then((value) => {
      if (!keep(value)) drop();
    }, drop);
    return kept.value;
  }
}
