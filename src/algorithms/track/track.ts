/**
 * The model of a MediaStreamTrack (https://w3c.github.io/mediacapture-main/#mediastreamtrack): its
 * internal slots, and the algorithms of its media flow and life-cycle, named as the spec names
 * them. The IDL class (interfaces/MediaStreamTrack.ts) holds one Track and calls these; everything
 * else in the package (streams, processors, recorders, transfer, getUserMedia) works on Tracks.
 */
import { fireEvent } from '../../realm/events.js';
import type { MediaTrackConstraints, MediaTrackSettings } from '../constraints/dictionaries.js';
import type { MediaKind } from '../../media/modes.js';
import { targetFromSettings, type CountedMedia, type FrameFate } from '../../media/route.js';
import type { SourceObserver } from '../../media/source.js';
import { queueTask } from '../../platform/tasks.js';
import type { InterfaceObjects } from '../interface-objects.js';
import type { TrackSource } from './source.js';
import { AudioTrackStats, VideoTrackStats, type TrackStats } from './stats.js';

/** `MediaStreamTrackState`. */
export type MediaStreamTrackState = 'live' | 'ended';

/** What "create a MediaStreamTrack" is given. */
export interface TrackInit {
  /** The underlying source. */
  readonly source: TrackSource;
  /** The [[Id]]; a new UUID unless the track is the receiving end of a transfer. */
  readonly id?: string;
  /** The initial [[Settings]] (what SelectSettings chose). */
  readonly settings: MediaTrackSettings;
  /** The initial [[Constraints]]. */
  readonly constraints: MediaTrackConstraints;
}

/**
 * Package code that follows a track's state: its media output (sink.ts), the streams that hold it,
 * a transfer's data holder. Called synchronously, after the slot has changed.
 */
export interface TrackStateObserver {
  ended?(): void;
  mutedChanged?(muted: boolean): void;
  enabledChanged?(enabled: boolean): void;
  settingsChanged?(settings: MediaTrackSettings): void;
}

/** Valid contentHint values per kind (https://w3c.github.io/mst-content-hint/#dom-mediastreamtrack-contenthint); anything else is ignored. */
const CONTENT_HINTS: Record<MediaKind, readonly string[]> = {
  audio: ['', 'speech', 'speaking', 'music'],
  video: ['', 'motion', 'detail', 'text'],
};

/** The internal slots of one MediaStreamTrack. */
export class Track {
  /** The MediaStreamTrack object this is the model of: the track's events fire at it. */
  readonly object: EventTarget;
  /** [[Source]] */
  readonly source: TrackSource;
  /** [[Id]] */
  readonly id: string;
  /** [[Kind]] */
  readonly kind: MediaKind;
  /** [[Label]] */
  readonly label: string;
  /** [[ReadyState]] */
  readyState: MediaStreamTrackState = 'live';
  /** [[Enabled]] */
  enabled = true;
  /** [[Muted]] */
  muted: boolean;
  /** [[ContentHint]] (https://w3c.github.io/mst-content-hint/) */
  contentHint = '';
  /** [[Constraints]] */
  constraints: MediaTrackConstraints;
  /** [[Settings]] */
  settings: MediaTrackSettings;
  /** [[IsDetached]] (https://w3c.github.io/mediacapture-extensions/#transferable-mediastreamtrack) */
  detached = false;
  /** [[Stats]] (https://w3c.github.io/mediacapture-extensions/#mediastreamtrack-statistics): null for tracks of other sources. */
  readonly stats: TrackStats | null;
  /** The applyConstraints template method's "maintaining the order of invocations": the last call's settlement. */
  applyConstraintsQueue: Promise<unknown> = Promise.resolve();
  /** See {@link TrackStateObserver}. */
  readonly observers = new Set<TrackStateObserver>();
  /** How the source's media reaches this track: muted changes and its end, each as a queued task. */
  readonly sourceObserver: SourceObserver = {
    // https://w3c.github.io/mediacapture-main/#media-flow: the UA "MUST queue a task ... to set a track's muted state".
    sourceMutedChanged: (muted) => queueTask(() => setMutedState(this, muted)),
    sourceEnded: () => endTrack(this),
  };

  /** Step 1 of "create a MediaStreamTrack": a new track with its internal slots (see {@link createTrack}). */
  constructor(object: EventTarget, init: TrackInit) {
    this.object = object;
    this.source = init.source;
    this.id = init.id ?? crypto.randomUUID();
    this.kind = init.source.media.kind;
    this.label = init.source.label;
    this.muted = init.source.media.muted;
    this.settings = { ...init.settings };
    this.constraints = init.constraints;
    // [[Stats]]: a MediaStreamTrackAudioStats or MediaStreamTrackVideoStats for the tracks of
    // getUserMedia (and the video tracks of getDisplayMedia), as the source says; else null.
    const media = init.source.media;
    this.stats = !init.source.frameStats ? null : this.kind === 'video' ? new VideoTrackStats() : new AudioTrackStats(() => media.now());
  }
}

/**
 * "create a MediaStreamTrack" (https://w3c.github.io/mediacapture-main/#dfn-create-a-mediastreamtrack),
 * run by the MediaStreamTrack constructor for `object`. Tying the source to a MediaDevices (step 2)
 * is left to getUserMedia and getDisplayMedia, which have one.
 */
export function createTrack(object: EventTarget, init: TrackInit): Track {
  // 1. Let track be a new object ... initialized with the internal slots.
  const track = new Track(object, init);
  // A source that has stopped already makes an ended track.
  if (init.source.media.stopped) {
    track.readyState = 'ended';
    return track;
  }
  init.source.media.attach(track.sourceObserver);
  countFrames(track);
  // 3. Run source's MediaStreamTrack source-specific construction steps with track.
  init.source.trackCreated?.(track);
  // 4.
  return track;
}

/**
 * Counts what becomes of each frame of the track's source for [[Stats]], with the track's
 * settings (the route its sinks use), while the track is enabled; from its creation until it ends.
 */
function countFrames(track: Track): void {
  const stats = track.stats;
  if (stats === null) return;
  const count = stats.kind === 'video' ? (fate: FrameFate) => stats.count(fate) : (fate: FrameFate, media: CountedMedia) => stats.count(fate, media);
  const counter = (fate: FrameFate, media: CountedMedia) => {
    // "If no frames are flowing, such as if the track is muted or disabled", nothing is counted.
    if (track.enabled) count(fate, media);
  };
  const start = () => track.source.media.countFrames(targetFromSettings(track.kind, track.settings), counter);
  let stop = start();
  const unobserve = observeTrack(track, {
    settingsChanged: () => {
      stop();
      stop = start();
    },
    ended: () => {
      stop();
      unobserve();
    },
  });
}

/** Calls `observer` on the changes of `track`'s state until the returned function is called. */
export function observeTrack(track: Track, observer: TrackStateObserver): () => void {
  track.observers.add(observer);
  return () => void track.observers.delete(observer);
}

/** "set a track's muted state" (https://w3c.github.io/mediacapture-main/#set-track-muted). */
export function setMutedState(track: Track, newState: boolean): void {
  // 1. (track)
  // 2. If track.[[Muted]] is already newState, then abort these steps.
  if (track.muted === newState) return;
  // 3. Set track.[[Muted]] to newState.
  track.muted = newState;
  for (const o of [...track.observers]) o.mutedChanged?.(newState);
  // 4. If newState is true let eventName be mute, otherwise unmute.
  const eventName = newState ? 'mute' : 'unmute';
  // 5. Fire an event named eventName on track.
  fireEvent(track.object, eventName);
}

/**
 * The track ended for a reason other than stop(): its source ended (the device was unplugged, its
 * process died, the generator's writable closed), or the device permission revocation algorithm
 * ended it ("track ended by the User agent", https://w3c.github.io/mediacapture-main/#ends-nostop).
 * The User Agent MUST queue a task that runs the steps.
 */
export function endTrack(track: Track): void {
  queueTask(() => {
    // 1. If track's [[ReadyState]] has the value "ended" already, then abort these steps.
    if (track.readyState === 'ended') return;
    // 2. Set track's [[ReadyState]] to "ended".
    track.readyState = 'ended';
    // 3. Notify track's [[Source]] that track is ended so that the source may be stopped, unless
    //    other MediaStreamTrack objects depend on it.
    track.source.media.detach(track.sourceObserver);
    trackHasEnded(track);
    // 4. Fire an event named ended at the object.
    fireEvent(track.object, 'ended');
  });
}

/** stop() (https://w3c.github.io/mediacapture-main/#dom-mediastreamtrack-stop): ends the track without an `ended` event. */
export function stopTrack(track: Track): void {
  // 1. (track)
  // 2. If track's [[ReadyState]] is "ended", then abort these steps.
  if (track.readyState === 'ended') return;
  // 3. Notify track's source that track is ended (the last track to go stops the source).
  track.source.media.detach(track.sourceObserver);
  // 4. Set track's [[ReadyState]] to "ended".
  track.readyState = 'ended';
  trackHasEnded(track);
}

/** What follows a track's end in this package, however it ended: the source's hook, then the observers. */
function trackHasEnded(track: Track): void {
  track.source.trackEnded?.(track);
  for (const o of [...track.observers]) o.ended?.();
}

/**
 * "clone a track" (https://w3c.github.io/mediacapture-main/#track-clone). The clone is a new
 * MediaStreamTrack object made by `interfaces`, the interface objects of the caller's realm.
 */
export function cloneTrack(track: Track, interfaces: Pick<InterfaceObjects, 'createMediaStreamTrack'>): Track {
  // 1.–2.
  const source = track.source;
  // 3. Let trackClone be the result of creating a MediaStreamTrack with source and null.
  //    (6.–7. [[Constraints]] and [[Settings]] are given to it as clones.)
  const trackClone = interfaces.createMediaStreamTrack({ source, settings: track.settings, constraints: structuredClone(track.constraints) });
  // 4. Set trackClone's [[ReadyState]] to track's [[ReadyState]] value.
  if (track.readyState === 'ended' && trackClone.readyState === 'live') {
    trackClone.readyState = 'ended';
    source.media.detach(trackClone.sourceObserver);
    trackHasEnded(trackClone);
  }
  // 5. [[Capabilities]]: the source's, shared.
  // 8. Source-specific clone steps: the state browsers copy, enabled and contentHint.
  trackClone.enabled = track.enabled;
  trackClone.contentHint = track.contentHint;
  // 9.
  return trackClone;
}

/** The `enabled` setter: the media output turns to black frames or silence while disabled. */
export function setEnabled(track: Track, enabled: boolean): void {
  if (enabled === track.enabled) return;
  track.enabled = enabled;
  for (const o of [...track.observers]) o.enabledChanged?.(enabled);
}

/** The `contentHint` setter (https://w3c.github.io/mst-content-hint/#dom-mediastreamtrack-contenthint): invalid values are ignored. */
export function setContentHint(track: Track, hint: string): void {
  if (CONTENT_HINTS[track.kind].includes(hint)) track.contentHint = hint;
}

/** [[Settings]] changed (ApplyConstraints step 3): the media output follows. */
export function setSettings(track: Track, settings: MediaTrackSettings): void {
  track.settings = { ...settings };
  for (const o of [...track.observers]) o.settingsChanged?.(track.settings);
}
