import { PlatformEventTarget } from '../realm/current.js';
import { addTrack, cloneStream, createStream, isActive, removeTrack, type Stream } from '../algorithms/track/stream.js';
import type { Track } from '../algorithms/track/track.js';
import { illegalInvocation } from '../platform/errors.js';
import { defineEventHandler } from '../platform/event-handler.js';
import { exposeInterface, idlLength } from '../platform/interface.js';
import { toDOMString, toSequence } from '../webidl/converters.js';
import { registerInterface } from '../webidl/index.js';
import { createMediaStreamTrack, mediaStreamTrackOf, trackOf, type MediaStreamTrack } from './MediaStreamTrack.js';

let unwrap: (value: unknown) => Stream | undefined;
let create: (tracks: readonly Track[]) => Stream;

/**
 * MediaStream (https://w3c.github.io/mediacapture-main/#mediastream): a set of tracks. Also fires
 * Chrome's non-standard `active` and `inactive` events when the stream's active state changes.
 * Its internal slots are its {@link Stream}.
 */
export class MediaStream extends PlatformEventTarget {
  /** The `addtrack` event handler (an enumerable accessor on the prototype). */
  declare onaddtrack: ((ev: Event) => unknown) | null;
  /** The `removetrack` event handler (an enumerable accessor on the prototype). */
  declare onremovetrack: ((ev: Event) => unknown) | null;
  /** The `active` event handler (an enumerable accessor on the prototype). */
  declare onactive: ((ev: Event) => unknown) | null;
  /** The `inactive` event handler (an enumerable accessor on the prototype). */
  declare oninactive: ((ev: Event) => unknown) | null;

  #stream: Stream;

  constructor(streamOrTracks?: MediaStream | Iterable<MediaStreamTrack>) {
    super();
    // WebIDL overload resolution: MediaStream, else sequence<MediaStreamTrack>.
    let tracks: Track[] = [];
    if (arguments.length > 0 && streamOrTracks !== undefined) {
      const stream = unwrap(streamOrTracks);
      if (stream) tracks = [...stream.trackSet];
      else {
        tracks = toSequence(streamOrTracks, "Failed to construct 'MediaStream': argument 1", (item, ctx) => {
          const track = trackOf(item);
          if (!track) throw new TypeError(`${ctx} is not of type MediaStreamTrack.`);
          return track;
        });
      }
    }
    this.#stream = createStream(this, tracks);
  }

  get id(): string {
    if (!(#stream in this)) throw illegalInvocation('MediaStream', 'id');
    return this.#stream.id;
  }

  /** True while at least one track has not ended. */
  get active(): boolean {
    if (!(#stream in this)) throw illegalInvocation('MediaStream', 'active');
    return isActive(this.#stream);
  }

  getAudioTracks(): MediaStreamTrack[] {
    if (!(#stream in this)) throw illegalInvocation('MediaStream', 'getAudioTracks');
    return [...this.#stream.trackSet].filter((t) => t.kind === 'audio').map(mediaStreamTrackOf);
  }

  getVideoTracks(): MediaStreamTrack[] {
    if (!(#stream in this)) throw illegalInvocation('MediaStream', 'getVideoTracks');
    return [...this.#stream.trackSet].filter((t) => t.kind === 'video').map(mediaStreamTrackOf);
  }

  getTracks(): MediaStreamTrack[] {
    if (!(#stream in this)) throw illegalInvocation('MediaStream', 'getTracks');
    return [...this.#stream.trackSet].map(mediaStreamTrackOf);
  }

  getTrackById(trackId: string): MediaStreamTrack | null {
    if (!(#stream in this)) throw illegalInvocation('MediaStream', 'getTrackById');
    if (arguments.length < 1) throw new TypeError("Failed to execute 'getTrackById' on 'MediaStream': 1 argument required, but only 0 present.");
    const id = toDOMString(trackId, "Failed to execute 'getTrackById' on 'MediaStream': argument 1");
    for (const t of this.#stream.trackSet) if (t.id === id) return mediaStreamTrackOf(t);
    return null;
  }

  /** addTrack(): adds without firing `addtrack`. */
  addTrack(track: MediaStreamTrack): void {
    if (!(#stream in this)) throw illegalInvocation('MediaStream', 'addTrack');
    addTrack(this.#stream, requireTrack(track, 'addTrack', arguments.length));
  }

  /** removeTrack(): removes without firing `removetrack`. */
  removeTrack(track: MediaStreamTrack): void {
    if (!(#stream in this)) throw illegalInvocation('MediaStream', 'removeTrack');
    removeTrack(this.#stream, requireTrack(track, 'removeTrack', arguments.length));
  }

  /** clone(): a new stream with a clone of each track. */
  clone(): MediaStream {
    if (!(#stream in this)) throw illegalInvocation('MediaStream', 'clone');
    return mediaStreamOf(cloneStream(this.#stream, { createMediaStreamTrack, createMediaStream }));
  }

  static {
    unwrap = (value) => (typeof value === 'object' && value !== null && #stream in value ? value.#stream : undefined);
    create = (tracks) => new MediaStream(tracks.map(mediaStreamTrackOf)).#stream;
  }
}

/** Package-internal: the {@link Stream} of a MediaStream, or undefined for anything else. */
export function streamOf(value: unknown): Stream | undefined {
  return unwrap(value);
}

/** Brand check usable from other modules. */
export function isMediaStream(value: unknown): value is MediaStream {
  return unwrap(value) !== undefined;
}

/** Package-internal: the MediaStream whose model `stream` is. */
export function mediaStreamOf(stream: Stream): MediaStream {
  const object = stream.object;
  if (!isMediaStream(object)) throw new TypeError('internal: a Stream without its MediaStream');
  return object;
}

/** Package-internal: a new MediaStream whose track set is `tracks`; returns its Stream. */
export function createMediaStream(tracks: readonly Track[]): Stream {
  return create(tracks);
}

/** addTrack/removeTrack step 1: the argument, converted to a MediaStreamTrack. */
function requireTrack(track: unknown, method: string, argc: number): Track {
  if (argc < 1) throw new TypeError(`Failed to execute '${method}' on 'MediaStream': 1 argument required, but only 0 present.`);
  const t = trackOf(track);
  if (!t) throw new TypeError(`Failed to execute '${method}' on 'MediaStream': parameter 1 is not of type 'MediaStreamTrack'.`);
  return t;
}

for (const type of ['addtrack', 'removetrack', 'active', 'inactive']) {
  defineEventHandler(MediaStream.prototype, type, 'MediaStream', isMediaStream);
}
exposeInterface(MediaStream);
// constructor(), constructor(MediaStream), constructor(sequence<MediaStreamTrack>): the shortest is 0.
idlLength(MediaStream, 0);

registerInterface('MediaStream', isMediaStream);
declare module '../webidl/interface-types.js' {
  interface InterfaceTypes {
    MediaStream: MediaStream;
  }
}
