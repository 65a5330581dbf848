import { PlatformEventTarget } from '../realm/current.js';
import { applyConstraints, getCapabilities, getConstraints, getSettings } from '../algorithms/track/constrainable.js';
import type { InterfaceObjects } from '../algorithms/interface-objects.js';
import {
  cloneTrack,
  createTrack,
  setContentHint,
  setEnabled,
  stopTrack,
  type MediaStreamTrackState,
  type Track,
  type TrackInit,
} from '../algorithms/track/track.js';
import type { MediaTrackCapabilities, MediaTrackConstraints, MediaTrackSettings } from '../algorithms/constraints/dictionaries.js';
import { illegalConstructor, illegalInvocation } from '../platform/errors.js';
import { defineEventHandler } from '../platform/event-handler.js';
import { INTERNAL, exposeInterface, idlLength } from '../platform/interface.js';
import { toBoolean, toDOMString } from '../webidl/converters.js';
import { converters, promiseOperation, registerInterface } from '../webidl/index.js';
import { MediaStreamTrackAudioStats } from './MediaStreamTrackAudioStats.js';
import { MediaStreamTrackVideoStats } from './MediaStreamTrackVideoStats.js';

export type { MediaStreamTrackState } from '../algorithms/track/track.js';

let unwrap: (value: unknown) => Track | undefined;
let create: (init: TrackInit) => Track;

/**
 * MediaStreamTrack (https://w3c.github.io/mediacapture-main/#mediastreamtrack). Script cannot
 * construct it; getUserMedia, clone(), generators and getDisplayMedia do, through the
 * package-internal `INTERNAL` token. Its internal slots and algorithms are its {@link Track}.
 */
export class MediaStreamTrack extends PlatformEventTarget {
  /** The `mute` event handler (an enumerable accessor on the prototype). */
  declare onmute: ((ev: Event) => unknown) | null;
  /** The `unmute` event handler (an enumerable accessor on the prototype). */
  declare onunmute: ((ev: Event) => unknown) | null;
  /** The `ended` event handler (an enumerable accessor on the prototype). */
  declare onended: ((ev: Event) => unknown) | null;

  #track: Track;
  /** The object [[Stats]] is exposed as, made at the first read ([SameObject]). */
  #stats: MediaStreamTrackAudioStats | MediaStreamTrackVideoStats | null | undefined;

  constructor(token?: typeof INTERNAL, init?: TrackInit) {
    if (token !== INTERNAL || !init) throw illegalConstructor('MediaStreamTrack');
    super();
    this.#track = createTrack(this, init);
  }

  /** "audio" or "video". */
  get kind(): string {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'kind');
    return this.#track.kind;
  }

  get id(): string {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'id');
    return this.#track.id;
  }

  get label(): string {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'label');
    return this.#track.label;
  }

  get enabled(): boolean {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'enabled');
    return this.#track.enabled;
  }

  set enabled(value: boolean) {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'enabled');
    setEnabled(this.#track, toBoolean(value));
  }

  get muted(): boolean {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'muted');
    return this.#track.muted;
  }

  get readyState(): MediaStreamTrackState {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'readyState');
    return this.#track.readyState;
  }

  /** A hint for consumers (mediacapture-content-hints). Invalid values are ignored, as in browsers. */
  get contentHint(): string {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'contentHint');
    return this.#track.contentHint;
  }

  set contentHint(value: string) {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'contentHint');
    setContentHint(this.#track, toDOMString(value, "Failed to set 'contentHint' on 'MediaStreamTrack': the value"));
  }

  /**
   * The track's frame counters (mediacapture-extensions, "MediaStreamTrack Statistics"): a
   * MediaStreamTrackVideoStats for camera and screen tracks, a MediaStreamTrackAudioStats for
   * microphone tracks, null for others (generators). The same object every time.
   */
  get stats(): MediaStreamTrackAudioStats | MediaStreamTrackVideoStats | null {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'stats');
    // 1.–2. Return track.[[Stats]].
    if (this.#stats === undefined) {
      const stats = this.#track.stats;
      this.#stats = stats === null ? null : stats.kind === 'video' ? new MediaStreamTrackVideoStats(INTERNAL, stats) : new MediaStreamTrackAudioStats(INTERNAL, stats);
    }
    return this.#stats;
  }

  /** clone(): "clone a track" with this. */
  clone(): MediaStreamTrack {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'clone');
    return mediaStreamTrackOf(cloneTrack(this.#track, trackObjects));
  }

  /** stop(): ends the track without firing `ended`. */
  stop(): void {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'stop');
    stopTrack(this.#track);
  }

  getCapabilities(): MediaTrackCapabilities {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'getCapabilities');
    return getCapabilities(this.#track);
  }

  getConstraints(): MediaTrackConstraints {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'getConstraints');
    return getConstraints(this.#track);
  }

  getSettings(): MediaTrackSettings {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'getSettings');
    return getSettings(this.#track);
  }

  /** applyConstraints(): resolves once the new settings apply; rejects with OverconstrainedError when none satisfy `constraints`. */
  applyConstraints(constraints: MediaTrackConstraints = {}): Promise<undefined> {
    return promiseOperation(() => {
      if (!(#track in this)) throw illegalInvocation('MediaStreamTrack', 'applyConstraints');
      const newConstraints = converters.MediaTrackConstraints(constraints, "Failed to execute 'applyConstraints' on 'MediaStreamTrack': argument 1");
      return applyConstraints(this.#track, newConstraints);
    });
  }

  static {
    unwrap = (value) => (typeof value === 'object' && value !== null && #track in value ? value.#track : undefined);
    create = (init) => new MediaStreamTrack(INTERNAL, init).#track;
  }
}

/**
 * Package-internal: the {@link Track} of a MediaStreamTrack, or undefined for anything else. The
 * one way other IDL classes (MediaStream, the processor, the recorder) reach a track's slots.
 */
export function trackOf(value: unknown): Track | undefined {
  return unwrap(value);
}

/** Brand check usable from other modules. */
export function isMediaStreamTrack(value: unknown): value is MediaStreamTrack {
  return unwrap(value) !== undefined;
}

/** Package-internal: the MediaStreamTrack whose model `track` is. */
export function mediaStreamTrackOf(track: Track): MediaStreamTrack {
  const object = track.object;
  if (!isMediaStreamTrack(object)) throw new TypeError('internal: a Track without its MediaStreamTrack');
  return object;
}

/** Package-internal: a new MediaStreamTrack for `init` ("create a MediaStreamTrack"); returns its Track. */
export function createMediaStreamTrack(init: TrackInit): Track {
  return create(init);
}

/** The part of the interface objects a track needs to clone itself. */
const trackObjects: Pick<InterfaceObjects, 'createMediaStreamTrack'> = { createMediaStreamTrack };

for (const type of ['mute', 'unmute', 'ended']) {
  defineEventHandler(MediaStreamTrack.prototype, type, 'MediaStreamTrack', isMediaStreamTrack);
}
exposeInterface(MediaStreamTrack);
// No constructor in the IDL (the one here takes an internal token): length 0.
idlLength(MediaStreamTrack, 0);

registerInterface('MediaStreamTrack', isMediaStreamTrack);
declare module '../webidl/interface-types.js' {
  interface InterfaceTypes {
    MediaStreamTrack: MediaStreamTrack;
  }
}
