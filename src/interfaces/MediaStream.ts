import { illegalInvocation } from '../platform/errors.js';
import { defineEventHandler } from '../platform/event-handler.js';
import { exposeInterface } from '../platform/interface.js';
import { queueTask } from '../platform/tasks.js';
import { toDOMString, toSequence } from '../webidl/converters.js';
import { MediaStreamTrack, isMediaStreamTrack, trackInternals } from './MediaStreamTrack.js';
import { MediaStreamTrackEvent } from './MediaStreamTrackEvent.js';

/** Package-internal: the UA's "add a track" and "remove a track" algorithms, which fire events. */
export let streamInternals: {
  is(value: unknown): value is MediaStream;
  /** Calls `observer` after each change of the stream's track set, by script or by the UA (recorders watch this). */
  observeTrackSet(stream: MediaStream, observer: () => void): () => void;
  addTrack(stream: MediaStream, track: MediaStreamTrack): void;
  removeTrack(stream: MediaStream, track: MediaStreamTrack): void;
};

/**
 * MediaStream (mediacapture-main §4.2): a set of tracks. Also fires Chrome's non-standard
 * `active` and `inactive` events when the stream's active state changes.
 */
export class MediaStream extends EventTarget {
  /** The `addtrack` event handler (an enumerable accessor on the prototype). */
  declare onaddtrack: ((ev: Event) => any) | null;
  /** The `removetrack` event handler (an enumerable accessor on the prototype). */
  declare onremovetrack: ((ev: Event) => any) | null;
  /** The `active` event handler (an enumerable accessor on the prototype). */
  declare onactive: ((ev: Event) => any) | null;
  /** The `inactive` event handler (an enumerable accessor on the prototype). */
  declare oninactive: ((ev: Event) => any) | null;

  #id: string;
  /** The track set; insertion order is the (UA-defined) order. */
  #tracks = new Set<MediaStreamTrack>();
  #unobserve = new Map<MediaStreamTrack, () => void>();
  /** The active state last announced with an `active`/`inactive` event. */
  #announcedActive: boolean;

  constructor(streamOrTracks?: MediaStream | Iterable<MediaStreamTrack>) {
    super();
    // 1.–2.
    this.#id = crypto.randomUUID();
    // 3. WebIDL overload resolution: MediaStream, else sequence<MediaStreamTrack>.
    if (arguments.length > 0 && streamOrTracks !== undefined) {
      let tracks: MediaStreamTrack[];
      if (isMediaStream(streamOrTracks)) tracks = [...streamOrTracks.#tracks];
      else {
        tracks = toSequence(streamOrTracks, "Failed to construct 'MediaStream': argument 1", (item, ctx) => {
          if (!isMediaStreamTrack(item)) throw new TypeError(`${ctx} is not of type MediaStreamTrack.`);
          return item;
        });
      }
      // 3.2. each track once.
      for (const track of tracks) this.#addToSet(track);
    }
    this.#announcedActive = this.#isActive();
  }

  get id(): string {
    if (!(#id in this)) throw illegalInvocation('MediaStream', 'id');
    return this.#id;
  }

  /** True while at least one track has not ended. */
  get active(): boolean {
    if (!(#tracks in this)) throw illegalInvocation('MediaStream', 'active');
    return this.#isActive();
  }

  getAudioTracks(): MediaStreamTrack[] {
    if (!(#tracks in this)) throw illegalInvocation('MediaStream', 'getAudioTracks');
    return [...this.#tracks].filter((t) => t.kind === 'audio');
  }

  getVideoTracks(): MediaStreamTrack[] {
    if (!(#tracks in this)) throw illegalInvocation('MediaStream', 'getVideoTracks');
    return [...this.#tracks].filter((t) => t.kind === 'video');
  }

  getTracks(): MediaStreamTrack[] {
    if (!(#tracks in this)) throw illegalInvocation('MediaStream', 'getTracks');
    return [...this.#tracks];
  }

  getTrackById(trackId: string): MediaStreamTrack | null {
    if (!(#tracks in this)) throw illegalInvocation('MediaStream', 'getTrackById');
    if (arguments.length < 1) throw new TypeError("Failed to execute 'getTrackById' on 'MediaStream': 1 argument required, but only 0 present.");
    const id = toDOMString(trackId, "Failed to execute 'getTrackById' on 'MediaStream': argument 1");
    for (const t of this.#tracks) if (t.id === id) return t;
    return null;
  }

  /** addTrack() (§4.2.3): adds without firing `addtrack`. */
  addTrack(track: MediaStreamTrack): void {
    if (!(#tracks in this)) throw illegalInvocation('MediaStream', 'addTrack');
    // 1.
    const t = requireTrack(track, 'addTrack', arguments.length);
    // 2.–3.
    if (this.#tracks.has(t)) return;
    this.#addToSet(t);
    this.#activeStateMayHaveChanged();
  }

  /** removeTrack() (§4.2.3): removes without firing `removetrack`. */
  removeTrack(track: MediaStreamTrack): void {
    if (!(#tracks in this)) throw illegalInvocation('MediaStream', 'removeTrack');
    // 1.
    const t = requireTrack(track, 'removeTrack', arguments.length);
    // 2.–3.
    if (!this.#tracks.has(t)) return;
    this.#removeFromSet(t);
    this.#activeStateMayHaveChanged();
  }

  /** clone() (§4.2.3): a new stream with a clone of each track. */
  clone(): MediaStream {
    if (!(#tracks in this)) throw illegalInvocation('MediaStream', 'clone');
    return new MediaStream([...this.#tracks].map((t) => t.clone()));
  }

  #isActive(): boolean {
    for (const t of this.#tracks) if (t.readyState !== 'ended') return true;
    return false;
  }

  #trackSetObservers = new Set<() => void>();

  #addToSet(track: MediaStreamTrack): void {
    if (this.#tracks.has(track)) return;
    this.#tracks.add(track);
    for (const o of [...this.#trackSetObservers]) o();
    this.#unobserve.set(track, trackInternals.observe(track, { ended: () => this.#activeStateMayHaveChanged() }));
  }

  #removeFromSet(track: MediaStreamTrack): void {
    this.#tracks.delete(track);
    for (const o of [...this.#trackSetObservers]) o();
    this.#unobserve.get(track)?.();
    this.#unobserve.delete(track);
  }

  /** Chrome's `active`/`inactive` events: queued when the active state changes. */
  #activeStateMayHaveChanged(): void {
    queueTask(() => {
      const active = this.#isActive();
      if (active === this.#announcedActive) return;
      this.#announcedActive = active;
      this.dispatchEvent(new Event(active ? 'active' : 'inactive'));
    });
  }

  static {
    streamInternals = {
      is: (value): value is MediaStream => typeof value === 'object' && value !== null && #tracks in value,
      observeTrackSet(stream, observer) {
        stream.#trackSetObservers.add(observer);
        return () => stream.#trackSetObservers.delete(observer);
      },
      addTrack(stream, track) {
        // "add a track" (§4.2), run by the UA: 1. abort if present; 2. add; 3. fire addtrack.
        if (stream.#tracks.has(track)) return;
        stream.#addToSet(track);
        stream.dispatchEvent(new MediaStreamTrackEvent('addtrack', { track }));
        stream.#activeStateMayHaveChanged();
      },
      removeTrack(stream, track) {
        // "remove a track" (§4.2), run by the UA.
        if (!stream.#tracks.has(track)) return;
        stream.#removeFromSet(track);
        stream.dispatchEvent(new MediaStreamTrackEvent('removetrack', { track }));
        stream.#activeStateMayHaveChanged();
      },
    };
  }
}


export function isMediaStream(value: unknown): value is MediaStream {
  return streamInternals.is(value);
}

function requireTrack(track: unknown, method: string, argc: number): MediaStreamTrack {
  if (argc < 1) throw new TypeError(`Failed to execute '${method}' on 'MediaStream': 1 argument required, but only 0 present.`);
  if (!isMediaStreamTrack(track)) throw new TypeError(`Failed to execute '${method}' on 'MediaStream': parameter 1 is not of type 'MediaStreamTrack'.`);
  return track;
}

for (const type of ['addtrack', 'removetrack', 'active', 'inactive']) {
  defineEventHandler(MediaStream.prototype, type, 'MediaStream', isMediaStream);
}
exposeInterface(MediaStream);
