/**
 * The state of one media element (`<video>`, `<audio>`) and HTML's algorithms on it
 * (https://html.spec.whatwg.org/multipage/media.html#media-elements): the load algorithm, resource
 * selection, ready states and their events, play()/pause() with pending play promises, the media
 * timeline on the installation's clock, seeking, and reaching the end. What plays is a
 * {@link MediaProvider}: a MediaStream (srcObject) or a media file (src).
 *
 * "Queue a media element task" is {@link MediaElementState.#queue}: a macrotask (queueTask) that the
 * load algorithm can cancel, as its step 2 says.
 */
import type { Clock, ClockHandle, PeriodicHandle } from '../../media/clock/index.js';
import { abortError, notSupported } from '../../platform/errors.js';
import { INTERNAL } from '../../platform/interface.js';
import { queueTask } from '../../platform/tasks.js';
import { queueMicrotask } from '../../platform/timers.js';
import type { AudioData } from '../../webcodecs/audio-data.js';
import type { VideoFrame } from '../../webcodecs/video-frame.js';
import { dispatchTrusted } from '../../realm/realm.js';
import { setCurrentFrame } from '../current-frame.js';
import { windowOf, type ElementLike } from './dom.js';
import { MediaError, type MediaErrorCode } from './media-error.js';
import type { MediaProvider, Metadata, ProviderHost } from './provider.js';

/** https://html.spec.whatwg.org/multipage/media.html#dom-media-readystate */
export const HAVE_NOTHING = 0;
export const HAVE_METADATA = 1;
export const HAVE_CURRENT_DATA = 2;
export const HAVE_FUTURE_DATA = 3;
export const HAVE_ENOUGH_DATA = 4;
/** https://html.spec.whatwg.org/multipage/media.html#dom-media-networkstate */
export const NETWORK_EMPTY = 0;
export const NETWORK_IDLE = 1;
export const NETWORK_LOADING = 2;
export const NETWORK_NO_SOURCE = 3;

/** What the element state needs from its installation. */
export interface ElementContext {
  readonly clock: Clock;
  /** Makes the provider for a media provider object (a MediaStream), or undefined when it is none of ours. */
  providerForObject(object: object, host: ProviderHost, element: ElementLike): MediaProvider | undefined;
  /** Makes the provider for a URL (already resolved against the document). */
  providerForUrl(url: URL, host: ProviderHost, element: ElementLike): MediaProvider;
  /** Called when a provider starts and when it is released, so uninstall can release them all. */
  track(state: MediaElementState, active: boolean): void;
}

/** Receives what the element presents (captureStream()'s tracks). */
export interface PresentationObserver {
  /** Playback has metadata: these kinds of track are selected/enabled. */
  tracksChanged(hasVideo: boolean, hasAudio: boolean): void;
  frame(frame: VideoFrame): void;
  audio(data: AudioData): void;
  /** The media timeline advances or not (captured tracks are muted while it does not). */
  advancingChanged(advancing: boolean): void;
  /** Playback ended, or the source changed: the captured tracks end. */
  ended(): void;
}

/** "time marches on" fires timeupdate every 15 to 250 ms during playback; browsers use 250. */
const TIMEUPDATE_INTERVAL_US = 250_000;

interface PendingTask {
  readonly run: () => void;
  /** The part of the task that settles play promises: run at once when the load algorithm cancels the task. */
  readonly settle?: () => void;
  cancelled: boolean;
}

type PlayPromise = { resolve: () => void; reject: (e: unknown) => void };

/** The internal state of one media element. */
export class MediaElementState {
  readonly element: ElementLike;
  readonly #context: ElementContext;
  readonly #isVideo: boolean;

  // Attributes and flags of HTML.
  networkState = NETWORK_EMPTY;
  readyState = HAVE_NOTHING;
  paused = true;
  seeking = false;
  error: MediaError | null = null;
  currentSrc = '';
  /** The assigned media provider object. */
  srcObject: object | null = null;
  /** [[duration]]: NaN until metadata. */
  duration = NaN;
  videoWidth = 0;
  videoHeight = 0;
  /** The playbackRate and defaultPlaybackRate of the element (a MediaStream hides them as 1). */
  playbackRate = 1;
  defaultPlaybackRate = 1;
  /** [[SinkId]] (https://w3c.github.io/mediacapture-output/#dom-htmlmediaelement-sinkid). */
  sinkId = '';
  #canAutoplay = true;
  #loadedDataFired = false;
  /** "has ended playback", as last decided in a task (the `ended` attribute). */
  #ended = false;
  /** The media timeline: position at the anchor, and the clock time (µs) of the anchor while advancing. */
  #position = 0;
  #anchor: number | null = null;
  #officialPosition = 0;
  #maxPlayed = 0;
  #timeupdates: PeriodicHandle | undefined;
  #endTimer: ClockHandle | undefined;
  #pendingPlayPromises: PlayPromise[] = [];
  #tasks: PendingTask[] = [];
  #provider: MediaProvider | undefined;
  #metadata: Metadata | undefined;
  #currentFrame: VideoFrame | null = null;
  /** Frames presented and dropped, for getVideoPlaybackQuality(). */
  totalVideoFrames = 0;
  droppedVideoFrames = 0;
  /** Audio presented (counted, not played to a speaker: see README "Media elements"). */
  audioFramesPlayed = 0;
  readonly observers = new Set<PresentationObserver>();
  /** Resolved by the ongoing seek. */
  #seekGeneration = 0;

  constructor(element: ElementLike, context: ElementContext) {
    this.element = element;
    this.#context = context;
    this.#isVideo = element.localName === 'video';
  }

  /** The provider is a MediaStream (its rules override some attributes: mediacapture-main §6). */
  get playingStream(): boolean {
    // The assigned media provider object (only a MediaStream is accepted), from the moment it is assigned.
    return this.srcObject !== null;
  }

  get hasProvider(): boolean {
    return this.#provider !== undefined;
  }

  get metadata(): Metadata | undefined {
    return this.readyState >= HAVE_METADATA ? this.#metadata : undefined;
  }

  get currentFrame(): VideoFrame | null {
    return this.#currentFrame;
  }

  /** The `ended` attribute: ended playback, direction forwards. */
  get ended(): boolean {
    return this.#ended;
  }

  /** The `currentTime` getter: the official playback position (https://html.spec.whatwg.org/multipage/media.html#dom-media-currenttime). */
  get currentTime(): number {
    // The official playback position: the current one, held still until the script's task ends
    // (so two reads in one task agree), then updated at the next read.
    if (!this.#officialHeld) {
      this.#officialPosition = this.#currentPosition();
      this.#officialHeld = true;
      queueTask(() => (this.#officialHeld = false));
    }
    return this.#officialPosition;
  }

  #officialHeld = false;

  /** The `played` ranges: one range from 0 to the furthest position played (the official position), or none. */
  get playedEnd(): number {
    this.#maxPlayed = Math.max(this.#maxPlayed, this.currentTime);
    return this.#maxPlayed;
  }

  /** Queues a media element task to fire `type` (cancelled by the load algorithm, like the others). */
  queueEvent(type: string): void {
    this.#queueEvent(type);
  }

  /** The effective playback rate: 1 for a MediaStream. */
  get effectiveRate(): number {
    return this.playingStream ? 1 : this.playbackRate;
  }

  #currentPosition(): number {
    if (this.#anchor === null) return this.#position;
    const p = this.#position + ((this.#context.clock.now() - this.#anchor) / 1e6) * this.effectiveRate;
    return Number.isFinite(this.duration) ? Math.min(p, this.duration) : p;
  }

  /** "potentially playing" (https://html.spec.whatwg.org/multipage/media.html#potentially-playing). */
  get potentiallyPlaying(): boolean {
    return !this.paused && !this.#ended && this.error === null && this.readyState >= HAVE_FUTURE_DATA && !this.seeking;
  }

  // ---- tasks and events ----

  /** "Queue a media element task given the media element": a macrotask the load algorithm can cancel. */
  #queue(run: () => void, settle?: () => void): void {
    const task: PendingTask = { run, cancelled: false, ...(settle ? { settle } : {}) };
    this.#tasks.push(task);
    queueTask(() => {
      const i = this.#tasks.indexOf(task);
      if (i >= 0) this.#tasks.splice(i, 1);
      if (!task.cancelled) task.run();
    });
  }

  #queueEvent(type: string): void {
    this.#queue(() => this.#fire(type));
  }

  #fire(type: string): void {
    // The window's Event, dispatched as the user agent does (isTrusted true where the DOM lets us).
    const EventCtor = windowOf(this.element)?.Event ?? Event;
    const event = new EventCtor(type);
    dispatchTrusted(this.element, event) ?? this.element.dispatchEvent(event);
  }

  /** "take pending play promises". */
  #takePendingPlayPromises(): PlayPromise[] {
    const taken = this.#pendingPlayPromises;
    this.#pendingPlayPromises = [];
    return taken;
  }

  // ---- the load algorithm ----

  /** https://html.spec.whatwg.org/multipage/media.html#media-element-load-algorithm */
  load(): void {
    // 1. Abort any already-running instance of the resource selection algorithm.
    this.#closeProvider();
    // 2. Pending tasks of the media element task source: settle their play promises now, then remove them.
    const pending = this.#tasks;
    this.#tasks = [];
    for (const task of pending) {
      task.cancelled = true;
      task.settle?.();
    }
    // 3. If networkState is NETWORK_LOADING or NETWORK_IDLE, queue a task to fire `abort`.
    if (this.networkState === NETWORK_LOADING || this.networkState === NETWORK_IDLE) this.#queueEvent('abort');
    // 4. If networkState is not NETWORK_EMPTY:
    if (this.networkState !== NETWORK_EMPTY) {
      // 4.1. Queue a task to fire `emptied`.
      this.#queueEvent('emptied');
      // 4.2.–4.3. Abort fetching (done in step 1); forget the media-resource-specific tracks.
      this.#endObservers();
      // 4.4. readyState to HAVE_NOTHING.
      this.readyState = HAVE_NOTHING;
      // 4.5. If paused is false: set it to true, and reject pending play promises with AbortError.
      if (!this.paused) {
        this.paused = true;
        const promises = this.#takePendingPlayPromises();
        for (const p of promises) p.reject(abortError('The media element was reset (load(), src or srcObject changed) before playback started.'));
      }
      // 4.6. seeking to false.
      this.seeking = false;
      // 4.7. Current and official playback position to 0; timeupdate if that changed the official one.
      this.#anchor = null;
      this.#position = 0;
      this.#maxPlayed = 0;
      if (this.#officialPosition !== 0) {
        this.#officialPosition = 0;
        this.#queueEvent('timeupdate');
      }
      // 4.8.–4.9. Timeline offset and duration to NaN (without durationchange).
      this.duration = NaN;
      this.#ended = false;
      this.#setCurrentFrame(null);
      this.videoWidth = 0;
      this.videoHeight = 0;
      this.#metadata = undefined;
      this.#updateTimeline();
    }
    // 5. playbackRate to defaultPlaybackRate (ratechange if it changes, as the setter does). A
    //    MediaStream pins both to 1 without touching them (mediacapture-main §6): the change
    //    shows when the stream is unassigned.
    if (!this.playingStream && this.playbackRate !== this.defaultPlaybackRate) {
      this.playbackRate = this.defaultPlaybackRate;
      this.#queueEvent('ratechange');
    }
    // 6. error to null, can autoplay flag to true.
    this.error = null;
    this.#canAutoplay = true;
    this.#loadedDataFired = false;
    this.totalVideoFrames = 0;
    this.droppedVideoFrames = 0;
    // 7. Invoke the resource selection algorithm.
    this.#selectResource();
  }

  /** https://html.spec.whatwg.org/multipage/media.html#concept-media-load-algorithm */
  #selectResource(): void {
    // 1. networkState to NETWORK_NO_SOURCE. 2. show poster flag to true.
    this.networkState = NETWORK_NO_SOURCE;
    const generation = ++this.#selectionGeneration;
    // 4. Await a stable state (the rest runs once the current script has finished its task step).
    queueMicrotask(() => {
      if (generation !== this.#selectionGeneration) return;
      // 5. Mode: object, attribute, (children: not supported), else NETWORK_EMPTY.
      const src = this.element.getAttribute('src');
      const mode = this.srcObject !== null ? 'object' : src !== null ? 'attribute' : undefined;
      if (!mode) {
        this.networkState = NETWORK_EMPTY;
        return;
      }
      // 6. networkState to NETWORK_LOADING. 7. Queue a task to fire `loadstart`.
      this.networkState = NETWORK_LOADING;
      this.#queueEvent('loadstart');
      const host = this.#host(generation);
      if (mode === 'object') {
        // 8 (object). 1. currentSrc to the empty string. 3. Run the resource fetch algorithm.
        this.currentSrc = '';
        const provider = this.#context.providerForObject(this.srcObject!, host, this.element);
        if (!provider) return this.#queueFailure(generation, 'The media provider object is not one this package can play.');
        this.#startProvider(provider);
        return;
      }
      // 8 (attribute). 1. An empty src fails. 2.–3. Parse it relative to the document; currentSrc.
      let url: URL | undefined;
      try {
        if (src !== '') url = new URL(src!, this.element.ownerDocument?.URL ?? undefined);
      } catch {
        url = undefined;
      }
      if (!url) return this.#queueFailure(generation, `The src "${src}" is not a URL.`);
      this.currentSrc = url.href;
      this.#startProvider(this.#context.providerForUrl(url, host, this.element));
    });
  }

  #selectionGeneration = 0;

  #startProvider(provider: MediaProvider): void {
    this.#provider = provider;
    this.#context.track(this, true);
    provider.start();
  }

  #closeProvider(): void {
    ++this.#selectionGeneration;
    ++this.#seekGeneration;
    const provider = this.#provider;
    this.#provider = undefined;
    this.#timeupdates?.cancel();
    this.#timeupdates = undefined;
    this.#endTimer?.cancel();
    this.#endTimer = undefined;
    if (provider) {
      provider.close();
      this.#context.track(this, false);
    }
  }

  /** Releases the provider and frame (uninstall); the element keeps its attributes. */
  release(): void {
    this.#closeProvider();
    this.#endObservers();
    this.#setCurrentFrame(null);
  }

  /** Queues the "dedicated media source failure steps" (https://html.spec.whatwg.org/multipage/media.html#dedicated-media-source-failure-steps). */
  #queueFailure(generation: number, message: string, code: MediaErrorCode = 4): void {
    // Settle the promises in the task, or at once if a load cancels it.
    let promises: PlayPromise[] | undefined;
    const reject = () => {
      promises ??= this.#takePendingPlayPromises();
      for (const p of promises) p.reject(notSupported(`The element has no supported source: ${message}`));
      promises = [];
    };
    this.#queue(() => {
      if (generation !== this.#selectionGeneration && this.#provider) return;
      // 1. error to a new MediaError (MEDIA_ERR_SRC_NOT_SUPPORTED).
      this.error = new MediaError(INTERNAL, code, message);
      // 2. Forget the media-resource-specific tracks. 3. networkState to NETWORK_NO_SOURCE.
      this.#endObservers();
      this.networkState = code === 4 ? NETWORK_NO_SOURCE : NETWORK_IDLE;
      this.#closeProvider();
      this.#fire('error');
      // 6. Reject pending play promises with NotSupportedError.
      reject();
      this.#updateTimeline();
    }, reject);
  }

  // ---- what the provider tells the element ----

  #host(generation: number): ProviderHost {
    const current = () => generation === this.#selectionGeneration;
    return {
      clock: this.#context.clock,
      metadata: (m) => current() && this.#onMetadata(m),
      frame: (f) => (current() ? this.#onFrame(f) : f.close()),
      audio: (a) => (current() ? this.#onAudio(a) : a.close()),
      enoughData: () => current() && this.#setReadyState(HAVE_ENOUGH_DATA),
      stalled: () => current() && this.readyState > HAVE_CURRENT_DATA && this.#setReadyState(HAVE_CURRENT_DATA),
      endOfMedia: () => current() && this.#queue(() => current() && this.#reachedEnd()),
      restarted: () => current() && this.#queue(() => current() && this.#streamRestarted()),
      failed: (message, code) => current() && this.#queueFailure(generation, message, code === 'src-not-supported' ? 4 : code === 'network' ? 2 : 3),
      position: () => this.#currentPosition(),
      clockTimeOf: (position) => (this.#anchor === null ? undefined : this.#anchor + ((position - this.#position) / this.effectiveRate) * 1e6),
      droppedFrames: (n) => current() && (this.droppedVideoFrames += n),
    };
  }

  /** Resource fetch algorithm, "once enough of the media data has been fetched to determine the duration … and its dimensions". */
  #onMetadata(metadata: Metadata): void {
    if (this.readyState >= HAVE_METADATA) return;
    this.#metadata = metadata;
    // 1.–3. Establish the media timeline; current and official playback position to the earliest possible (0).
    // 4. Update the duration attribute (durationchange).
    this.#setDuration(metadata.duration);
    // 5. (video) videoWidth and videoHeight, and queue a task to fire `resize`.
    if (metadata.width !== undefined && metadata.height !== undefined) this.#setNaturalSize(metadata.width, metadata.height);
    // 6. readyState to HAVE_METADATA (loadedmetadata).
    this.#setReadyState(HAVE_METADATA);
    for (const o of this.observers) o.tracksChanged(metadata.hasVideo, metadata.hasAudio);
  }

  #setDuration(duration: number): void {
    if (Object.is(this.duration, duration)) return;
    this.duration = duration;
    this.#queueEvent('durationchange');
  }

  /** The frame to show now: it becomes the current frame unless playback is paused on a frame already. */
  #onFrame(frame: VideoFrame): void {
    const width = frame.displayWidth;
    const height = frame.displayHeight;
    const show = this.#currentFrame === null || !this.paused || this.seeking;
    if (show) {
      this.#setNaturalSize(width, height);
      this.totalVideoFrames++;
      for (const o of this.observers) o.frame(frame.clone());
      this.#setCurrentFrame(frame);
    } else frame.close();
    // HAVE_CURRENT_DATA: "data for the immediate current playback position is available".
    if (this.readyState === HAVE_METADATA) this.#setReadyState(HAVE_CURRENT_DATA);
  }

  /** "Whenever the natural width or natural height of the video changes": `resize` (a `<video>` only). */
  #setNaturalSize(width: number, height: number): void {
    if (width === this.videoWidth && height === this.videoHeight) return;
    this.videoWidth = width;
    this.videoHeight = height;
    if (this.#isVideo) this.#queueEvent('resize');
  }

  #onAudio(data: AudioData): void {
    if (this.#anchor !== null || this.readyState < HAVE_CURRENT_DATA) {
      this.audioFramesPlayed += data.numberOfFrames;
      for (const o of this.observers) o.audio(data.clone());
    }
    data.close();
    if (this.readyState === HAVE_METADATA) this.#setReadyState(HAVE_CURRENT_DATA);
  }

  #setCurrentFrame(frame: VideoFrame | null): void {
    const old = this.#currentFrame;
    this.#currentFrame = frame;
    setCurrentFrame(this.element, frame);
    if (old && old !== frame) old.close();
  }

  /** https://html.spec.whatwg.org/multipage/media.html#ready-states: the events of each change. */
  #setReadyState(next: number): void {
    const previous = this.readyState;
    if (next === previous) return;
    // HAVE_ENOUGH_DATA straight from HAVE_METADATA passes through HAVE_CURRENT_DATA (loadeddata first).
    if (previous === HAVE_METADATA && next > HAVE_CURRENT_DATA) this.#setReadyState(HAVE_CURRENT_DATA);
    const from = this.readyState;
    this.readyState = next;
    if (from === HAVE_NOTHING && next === HAVE_METADATA) {
      this.#queueEvent('loadedmetadata');
    } else if (from === HAVE_METADATA && next >= HAVE_CURRENT_DATA) {
      // The first time since the load algorithm: `loadeddata`.
      if (!this.#loadedDataFired) {
        this.#loadedDataFired = true;
        this.#queueEvent('loadeddata');
      }
    }
    if (from >= HAVE_FUTURE_DATA && next <= HAVE_CURRENT_DATA) {
      // Playback stalls: timeupdate and waiting.
      if (!this.paused && !this.#ended) {
        this.#queueEvent('timeupdate');
        this.#queueEvent('waiting');
      }
    }
    if (from <= HAVE_CURRENT_DATA && next >= HAVE_FUTURE_DATA) {
      // canplay; and if paused is false, notify about playing.
      this.#queueEvent('canplay');
      if (!this.paused) this.#notifyAboutPlaying();
    }
    if (next === HAVE_ENOUGH_DATA) {
      // Eligible for autoplay: can autoplay flag, paused, autoplay attribute.
      if (this.#canAutoplay && this.paused && this.element.hasAttribute('autoplay')) {
        this.paused = false;
        this.#queueEvent('play');
        this.#notifyAboutPlaying();
      }
      this.#queueEvent('canplaythrough');
    }
    this.#updateTimeline();
  }

  /** https://html.spec.whatwg.org/multipage/media.html#notify-about-playing */
  #notifyAboutPlaying(): void {
    // 1. Take pending play promises. 2. Queue a task: fire `playing`, resolve them.
    const promises = this.#takePendingPlayPromises();
    const resolve = () => {
      for (const p of promises.splice(0)) p.resolve();
    };
    this.#queue(() => {
      this.#fire('playing');
      resolve();
    }, resolve);
  }

  // ---- play and pause ----

  /** play() (https://html.spec.whatwg.org/multipage/media.html#dom-media-play); the caller makes the promise. */
  play(promise: PlayPromise): void {
    // 2. An error of MEDIA_ERR_SRC_NOT_SUPPORTED rejects with NotSupportedError.
    if (this.error?.code === 4) {
      promise.reject(notSupported(`The element has no supported source: ${this.error.message}`));
      return;
    }
    // 3. Append the promise to pending play promises. 4. Run the internal play steps.
    this.#pendingPlayPromises.push(promise);
    this.#internalPlay();
  }

  /** https://html.spec.whatwg.org/multipage/media.html#internal-play-steps */
  #internalPlay(): void {
    // 1. If networkState is NETWORK_EMPTY, invoke the resource selection algorithm.
    if (this.networkState === NETWORK_EMPTY) this.#selectResource();
    // 2. If playback has ended, seek to the earliest possible position (a stream restarts).
    if (this.#ended) {
      this.#ended = false;
      if (!this.playingStream) void this.seek(0, true);
      else this.#setDuration(Infinity);
    }
    // 3. If paused is true:
    if (this.paused) {
      // 3.1. paused to false. 3.2. show poster flag off.
      this.paused = false;
      // 3.3. Queue a task to fire `play`.
      this.#queueEvent('play');
      // 3.4. `waiting` while data is missing, else notify about playing.
      if (this.readyState <= HAVE_CURRENT_DATA) this.#queueEvent('waiting');
      else this.#notifyAboutPlaying();
    } else if (this.readyState >= HAVE_FUTURE_DATA) {
      // 4. Already playing: resolve the pending play promises in a task.
      const promises = this.#takePendingPlayPromises();
      const resolve = () => {
        for (const p of promises.splice(0)) p.resolve();
      };
      this.#queue(resolve, resolve);
    }
    // 5. can autoplay flag to false.
    this.#canAutoplay = false;
    this.#updateTimeline();
  }

  /** pause() (https://html.spec.whatwg.org/multipage/media.html#dom-media-pause). */
  pause(): void {
    // 1. If networkState is NETWORK_EMPTY, invoke the resource selection algorithm.
    if (this.networkState === NETWORK_EMPTY) this.#selectResource();
    // 2. Internal pause steps.
    this.#internalPause();
  }

  /** The element left its document (after a stable state): the internal pause steps. */
  removedFromDocument(): void {
    this.#internalPause();
  }

  /** https://html.spec.whatwg.org/multipage/media.html#internal-pause-steps */
  #internalPause(): void {
    // 1. can autoplay flag to false.
    this.#canAutoplay = false;
    // 2. If paused is false:
    if (!this.paused) {
      // 2.1. paused to true. 2.2. Take pending play promises.
      this.paused = true;
      const promises = this.#takePendingPlayPromises();
      const reject = () => {
        for (const p of promises.splice(0)) p.reject(abortError('play() was interrupted by a call to pause().'));
      };
      // 2.3. Queue a task: fire timeupdate, fire pause, reject the promises with AbortError.
      this.#queue(() => {
        this.#fire('timeupdate');
        this.#fire('pause');
        reject();
      }, reject);
    }
    // 3. Official playback position to the current playback position.
    this.#updateTimeline();
    this.#officialPosition = this.#position;
  }

  // ---- the timeline ----

  /**
   * Starts or stops the media timeline to follow "potentially playing", tells the provider, runs
   * the periodic timeupdate of "time marches on", and arms the timer of the end of a file.
   */
  #updateTimeline(): void {
    const advance = this.potentiallyPlaying && this.#provider !== undefined;
    const clock = this.#context.clock;
    if (advance === (this.#anchor !== null)) return;
    if (advance) {
      this.#anchor = clock.now();
      this.#timeupdates = clock.every(TIMEUPDATE_INTERVAL_US, () => this.#queueEvent('timeupdate'));
      this.#armEndTimer();
    } else {
      this.#position = this.#currentPosition();
      this.#maxPlayed = Math.max(this.#maxPlayed, this.#position);
      this.#anchor = null;
      this.#timeupdates?.cancel();
      this.#timeupdates = undefined;
      this.#endTimer?.cancel();
      this.#endTimer = undefined;
    }
    this.#provider?.advancingChanged(advance);
    for (const o of this.observers) o.advancingChanged(advance);
  }

  /** A file of known duration ends when the timeline reaches its duration. */
  #armEndTimer(): void {
    this.#endTimer?.cancel();
    this.#endTimer = undefined;
    if (this.playingStream || !Number.isFinite(this.duration) || this.#anchor === null) return;
    const at = this.#anchor + ((this.duration - this.#position) / this.effectiveRate) * 1e6;
    const generation = this.#selectionGeneration;
    this.#endTimer = this.#context.clock.setTimer(at, () => {
      if (generation === this.#selectionGeneration) this.#queue(() => generation === this.#selectionGeneration && this.#reachedEnd());
    });
  }

  /** The playback rate changed (a file): keep the timeline continuous. */
  rateChanged(): void {
    if (this.#anchor !== null) {
      this.#position = this.#currentPosition();
      this.#anchor = this.#context.clock.now();
      this.#armEndTimer();
    }
    this.#provider?.rateChanged?.();
  }

  /**
   * "When the current playback position reaches the end of the media resource when the direction
   * of playback is forwards" (https://html.spec.whatwg.org/multipage/media.html#reaches-the-end),
   * run in a task. For a MediaStream: "ended playback" (mediacapture-main §6).
   */
  #reachedEnd(): void {
    if (this.#ended || this.readyState < HAVE_METADATA) return;
    // 1. loop (not for a MediaStream, which "cannot be looped"): seek to the start, no `ended`.
    if (!this.playingStream && this.element.hasAttribute('loop')) {
      void this.seek(0, true);
      return;
    }
    this.#position = this.#currentPosition();
    this.#updateTimelineEnded();
    // A live stream that ends gets a duration: the time of its last frame (durationchange).
    if (this.duration === Infinity) {
      this.duration = this.#position;
      this.#fire('durationchange');
    }
    // 3.1. Fire timeupdate.
    this.#fire('timeupdate');
    // 3.2. If paused is false: paused to true, fire `pause`, reject pending play promises (AbortError).
    if (!this.paused) {
      this.paused = true;
      this.#fire('pause');
      for (const p of this.#takePendingPlayPromises()) p.reject(abortError('Playback ended before play() resolved.'));
    }
    // 3.3. Fire `ended`.
    this.#fire('ended');
    // mediacapture-fromelement: the captured tracks end when playback ends.
    this.#endObservers();
  }

  /** 2. "the ended IDL attribute starts returning true": stop the timeline. */
  #updateTimelineEnded(): void {
    this.#ended = true;
    this.#updateTimeline();
  }

  /** A MediaStream active again after it ended: autoplay plays on (mediacapture-main §6 note). */
  #streamRestarted(): void {
    if (!this.#ended || !this.element.hasAttribute('autoplay')) return;
    this.#ended = false;
    // Live again: no end in sight (the duration the end gave it goes).
    this.#setDuration(Infinity);
    if (this.paused) {
      this.paused = false;
      this.#queueEvent('play');
      this.#notifyAboutPlaying();
    }
    this.#updateTimeline();
  }

  #endObservers(): void {
    for (const o of this.observers) o.ended();
  }

  /**
   * The seeking algorithm (https://html.spec.whatwg.org/multipage/media.html#dom-media-seek), for
   * a file: `seeking`, the provider shows the frame at the new position, `timeupdate`, `seeked`.
   */
  async seek(newPosition: number, _internal = false): Promise<void> {
    // 1.–2. Not for a MediaStream (mediacapture-main §6: attempts to alter currentTime are ignored).
    const provider = this.#provider;
    if (this.readyState === HAVE_NOTHING || !provider?.seek) return;
    // 4. If a seek is in progress, it is abandoned (its steps stop at their next await).
    const generation = ++this.#seekGeneration;
    // 5. seeking to true.
    this.seeking = true;
    // 7.–10. Clamp to the seekable range [0, duration].
    const target = Math.max(0, Number.isFinite(this.duration) ? Math.min(newPosition, this.duration) : newPosition);
    // 11. Queue a task to fire `seeking`.
    this.#queueEvent('seeking');
    // 12. Set the current playback position to the new position.
    this.#updateTimeline();
    this.#position = target;
    this.#officialPosition = target;
    this.#ended = false;
    // 13. Wait until the user agent has established whether the media data for the new position is available.
    await provider.seek(target);
    if (generation !== this.#seekGeneration || this.#provider !== provider) return;
    // 14. Await a stable state. 15. seeking to false. 16. Run time marches on.
    this.seeking = false;
    // 17. Queue a task to fire `timeupdate` and `seeked`.
    this.#queueEvent('timeupdate');
    this.#queueEvent('seeked');
    this.#updateTimeline();
  }
}
