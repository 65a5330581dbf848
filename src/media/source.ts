import type { DeviceDescriptor, AudioMode, VideoMode, MediaKind } from './modes.js';
import { mediaKindOf } from './modes.js';

/**
 * What a Source tells the tracks attached to it. Implemented by MediaStreamTrack's internals;
 * the track turns these into the spec's queued tasks ("set a track's muted state", "end a track").
 */
export interface SourceObserver {
  /** The source's muted state changed (e.g. the device was interrupted, or came back). */
  sourceMutedChanged(muted: boolean): void;
  /** The source ended for good (unplugged, failed, file ended without looping). Called once. */
  sourceEnded(reason: string): void;
}

/**
 * One opened device in one native mode, shared by every track that uses it (a "source" in the
 * spec). Backends subclass it and implement `stopSource()`. The base class keeps the observer
 * set, the muted and ended states, and closes the device when its last track detaches.
 */
export abstract class Source {
  readonly device: DeviceDescriptor;
  readonly kind: MediaKind;
  #mode: VideoMode | AudioMode;
  #observers = new Set<SourceObserver>();
  #muted = false;
  #stopped = false;
  #ended = false;

  constructor(device: DeviceDescriptor, mode: VideoMode | AudioMode) {
    this.device = device;
    this.kind = mediaKindOf(device.kind);
    this.#mode = mode;
  }

  /** The native mode the device runs in now. */
  get mode(): VideoMode | AudioMode {
    return this.#mode;
  }

  get muted(): boolean {
    return this.#muted;
  }

  /** True once the source has ended or been released; it produces nothing more. */
  get stopped(): boolean {
    return this.#stopped;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get observerCount(): number {
    return this.#observers.size;
  }

  attach(observer: SourceObserver): void {
    if (this.#stopped) throw new Error('internal: attach to a stopped source');
    this.#observers.add(observer);
  }

  /** Detaches a track. The last detach releases the device ("stop all sources"). */
  detach(observer: SourceObserver): void {
    if (!this.#observers.delete(observer)) return;
    if (this.#observers.size === 0) this.#release();
  }

  /**
   * Changes the native mode while running (applyConstraints picked another mode). Backends that
   * cannot reconfigure return false and the caller keeps the current mode.
   */
  async reconfigure(mode: VideoMode | AudioMode): Promise<boolean> {
    if (this.#stopped) return false;
    const ok = await this.reconfigureSource(mode);
    if (ok) this.#mode = mode;
    return ok;
  }

  /** Backend hook for `reconfigure`; the default cannot change modes. */
  protected async reconfigureSource(_mode: VideoMode | AudioMode): Promise<boolean> {
    return false;
  }

  /** Backends call this when the device is interrupted or resumes. */
  protected setMuted(muted: boolean): void {
    if (this.#stopped || this.#muted === muted) return;
    this.#muted = muted;
    for (const o of [...this.#observers]) o.sourceMutedChanged(muted);
  }

  /**
   * Backends call this when the source ends by itself (device gone, process died, file ended).
   * Every attached track ends once; the device is released.
   */
  protected end(reason: string): void {
    if (this.#stopped) return;
    this.#ended = true;
    const observers = [...this.#observers];
    this.#observers.clear();
    this.#release();
    for (const o of observers) o.sourceEnded(reason);
  }

  #release(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.stopSource();
    this.onRelease?.(this);
  }

  /** Set by whoever keeps a table of open sources, to forget this one when it is released. */
  onRelease: ((source: Source) => void) | undefined;

  /** Releases the device: stop capture, close handles, end and reap processes. Called once. */
  protected abstract stopSource(): void;
}
