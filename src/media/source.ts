import type { DeviceDescriptor, AudioMode, VideoMode, MediaKind } from './modes.js';
import { mediaKindOf } from './modes.js';
import { performance as performanceFromNode } from 'node:perf_hooks';
import { MediaRoute, targetKey, type CountedMedia, type FrameCounter, type Media, type MediaSinkFunction, type MediaTarget } from './route.js';

const realPerformance = performanceFromNode;

/**
 * What a Source tells the tracks attached to it. Implemented by each Track
 * (algorithms/track/track.ts), which turns these into the spec's queued tasks ("set a track's
 * muted state", "track ended by the User agent").
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
 *
 * Media: a backend hands each frame or chunk it makes to `emit()`. The source adapts it once per
 * distinct target (crop-and-scale, frame-rate decimation, resampling, channel mixing) and gives
 * the result to the sinks subscribed with that target. `demandChanged()` tells a backend when
 * the first sink arrives and the last one leaves, so a synthetic source draws nothing nobody reads.
 */
export abstract class Source {
  readonly device: DeviceDescriptor;
  readonly kind: MediaKind;
  #mode: VideoMode | AudioMode;
  #observers = new Set<SourceObserver>();
  #routes = new Map<string, MediaRoute>();
  #routeList: readonly MediaRoute[] = [];
  #sinkCount = 0;
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

  /**
   * Subscribes `sink` to this source's media adapted to `target` (null: as produced). The sink
   * owns each frame it receives. Returns a function that unsubscribes.
   */
  subscribe(target: MediaTarget, sink: MediaSinkFunction): () => void {
    const { route, release } = this.#route(target);
    route.add(sink);
    if (++this.#sinkCount === 1 && !this.#stopped) this.demandChanged(true);
    return () => {
      if (!route.delete(sink)) return;
      release();
      if (--this.#sinkCount === 0 && !this.#stopped) this.demandChanged(false);
    };
  }

  /**
   * Tells `counter` what becomes of each frame this source makes for `target` (delivered,
   * discarded by decimation, dropped), whether or not anyone takes the frames: a track's
   * statistics (mediacapture-extensions §7). Makes no demand: a source nobody reads makes
   * nothing, and nothing is counted. Returns a function that stops the counting.
   */
  countFrames(target: MediaTarget, counter: FrameCounter): () => void {
    const { route, release } = this.#route(target);
    route.addCounter(counter);
    return () => {
      if (route.deleteCounter(counter)) release();
    };
  }

  /** The route of `target` (made if needed), and the function that drops it once it has no sinks or counters left. */
  #route(target: MediaTarget): { route: MediaRoute; release: () => void } {
    const key = targetKey(target);
    let route = this.#routes.get(key);
    if (!route) {
      this.#routes.set(key, (route = new MediaRoute(target, { scaleOffThread: this.scalesOffThread })));
      this.#routeList = [...this.#routes.values()];
    }
    const made = route;
    return {
      route: made,
      release: () => {
        if (made.size === 0 && this.#routes.get(key) === made) {
          this.#routes.delete(key);
          this.#routeList = [...this.#routes.values()];
        }
      },
    };
  }

  /** True while at least one sink is subscribed. */
  get hasDemand(): boolean {
    return this.#sinkCount > 0;
  }

  /**
   * Backends call this with each frame or chunk they produce; the source takes it over (closes
   * it after routing). Nothing flows while the source is muted or stopped: "live samples MUST
   * NOT be made available to a MediaStreamTrack while it is muted" (§4.3.1.1).
   */
  protected emit(media: Media): void {
    try {
      if (this.#stopped || this.#muted) return;
      // A snapshot (replaced, never changed, when routes come and go): no copy per frame.
      const routes = this.#routeList;
      for (let i = 0; i < routes.length; i++) routes[i]!.push(media);
    } finally {
      media.close();
    }
  }

  /**
   * Backends call this for media the device captured and the source could not deliver (frames
   * the process was too busy to take, past what the device buffers): the tracks count them as
   * dropped (https://w3c.github.io/mediacapture-extensions/#the-mediastreamtrackvideostats-interface:
   * "dropped for any other reason"). One call per frame, or per chunk of audio.
   */
  protected dropped(media: CountedMedia): void {
    if (this.#stopped || this.#muted) return;
    const routes = this.#routeList;
    for (let i = 0; i < routes.length; i++) routes[i]!.countLost(media);
  }

  /**
   * The current time on the time line of this source's timestamps, µs: what input latency is
   * measured against. Default `performance.now()`; a source on another clock says so.
   */
  now(): number {
    return realPerformance.now() * 1000;
  }

  /**
   * Backend hook: whether tracks of other sizes may be scaled on the scaling thread
   * (src/media/adapt/scaler-thread.ts). Their frames then come a little later than the source's,
   * and a frame the thread is too far behind for is dropped, as a late camera drops: right for a
   * device on the real clock, not for media that comes faster than real time (a virtual clock).
   * Frames must lie on SharedArrayBuffers for it; others are scaled inline anyway.
   */
  protected get scalesOffThread(): boolean {
    return false;
  }

  /** Backend hook: the first sink subscribed (true) or the last one left (false). */
  protected demandChanged(_active: boolean): void {}

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
    if (this.#sinkCount > 0) this.demandChanged(false);
    this.stopSource();
    const listeners = [...this.#releaseListeners];
    this.#releaseListeners.clear();
    for (const l of listeners) l(this);
  }

  #releaseListeners = new Set<(source: Source) => void>();

  /**
   * Calls `listener` once when the source is released (its last track stopped, or it ended), for
   * whoever keeps a table of open sources. A source released already calls it at once.
   */
  whenReleased(listener: (source: Source) => void): void {
    if (this.#stopped) listener(this);
    else this.#releaseListeners.add(listener);
  }

  /** Releases the device: stop capture, close handles, end and reap processes. Called once. */
  protected abstract stopSource(): void;
}
