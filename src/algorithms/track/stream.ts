/**
 * The model of a MediaStream (https://w3c.github.io/mediacapture-main/#mediastream): its id and
 * track set, and Chrome's `active`/`inactive` events. The IDL class (interfaces/MediaStream.ts)
 * holds one Stream; the recorder reads the track set here.
 */
import { fireEvent } from '../../realm/events.js';
import { queueTask } from '../../platform/tasks.js';
import type { InterfaceObjects } from '../interface-objects.js';
import { cloneTrack, observeTrack, type Track } from './track.js';

/** The internal slots of one MediaStream. */
export class Stream {
  /** The MediaStream object this is the model of: its events fire at it. */
  readonly object: EventTarget;
  /** [[id]] */
  readonly id = crypto.randomUUID();
  /** The track set; insertion order is the (UA-defined) order. */
  readonly trackSet = new Set<Track>();
  /** The active state last announced with an `active` or `inactive` event. */
  announcedActive = false;
  /** Called after each change of the track set (the recorder watches it, start() step 15.5). */
  readonly trackSetObservers = new Set<() => void>();
  /** Stops following each track's end. */
  readonly unobserve = new Map<Track, () => void>();

  constructor(object: EventTarget) {
    this.object = object;
  }
}

/** The MediaStream constructor's steps 1–3 (https://w3c.github.io/mediacapture-main/#dom-mediastream-constructor) for `object`. */
export function createStream(object: EventTarget, tracks: Iterable<Track>): Stream {
  // 1.–2. A new stream with a newly generated [[id]].
  const stream = new Stream(object);
  // 3. Add each track, once.
  for (const track of tracks) addToTrackSet(stream, track);
  stream.announcedActive = isActive(stream);
  return stream;
}

/** `active`: true while at least one track has not ended. */
export function isActive(stream: Stream): boolean {
  for (const t of stream.trackSet) if (t.readyState !== 'ended') return true;
  return false;
}

/** The live tracks of the stream, in track set order. */
export function liveTracksOf(stream: Stream): Track[] {
  return [...stream.trackSet].filter((t) => t.readyState === 'live');
}

/** addTrack() (https://w3c.github.io/mediacapture-main/#dom-mediastream-addtrack): adds without an `addtrack` event. */
export function addTrack(stream: Stream, track: Track): void {
  // 2. If track is already in stream's track set, then abort these steps.
  if (stream.trackSet.has(track)) return;
  // 3. Add track to stream's track set.
  addToTrackSet(stream, track);
  activeStateMayHaveChanged(stream);
}

/** removeTrack() (https://w3c.github.io/mediacapture-main/#dom-mediastream-removetrack): removes without a `removetrack` event. */
export function removeTrack(stream: Stream, track: Track): void {
  // 2. If track is not in stream's track set, then abort these steps.
  if (!stream.trackSet.has(track)) return;
  // 3. Remove track from stream's track set.
  stream.trackSet.delete(track);
  for (const o of [...stream.trackSetObservers]) o();
  stream.unobserve.get(track)?.();
  stream.unobserve.delete(track);
  activeStateMayHaveChanged(stream);
}

/** clone() (https://w3c.github.io/mediacapture-main/#dom-mediastream-clone): a new stream with a clone of each track. */
export function cloneStream(stream: Stream, interfaces: Pick<InterfaceObjects, 'createMediaStreamTrack' | 'createMediaStream'>): Stream {
  return interfaces.createMediaStream([...stream.trackSet].map((t) => cloneTrack(t, interfaces)));
}

/** Calls `observer` after each change of the stream's track set, until the returned function is called. */
export function observeTrackSet(stream: Stream, observer: () => void): () => void {
  stream.trackSetObservers.add(observer);
  return () => void stream.trackSetObservers.delete(observer);
}

function addToTrackSet(stream: Stream, track: Track): void {
  if (stream.trackSet.has(track)) return;
  stream.trackSet.add(track);
  for (const o of [...stream.trackSetObservers]) o();
  stream.unobserve.set(track, observeTrack(track, { ended: () => activeStateMayHaveChanged(stream) }));
}

/** Chrome's `active` and `inactive` events: queued when the active state changes. */
function activeStateMayHaveChanged(stream: Stream): void {
  queueTask(() => {
    const active = isActive(stream);
    if (active === stream.announcedActive) return;
    stream.announcedActive = active;
    fireEvent(stream.object, active ? 'active' : 'inactive');
  });
}
