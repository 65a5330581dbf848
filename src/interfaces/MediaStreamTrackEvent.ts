import { PlatformEvent } from '../realm/current.js';
import { illegalInvocation } from '../platform/errors.js';
import { exposeInterface } from '../platform/interface.js';
import { converters } from '../webidl/index.js';
import type { MediaStreamTrackEventInit } from '../webidl/media-capture.js';
import type { MediaStreamTrack } from './MediaStreamTrack.js';

export type { MediaStreamTrackEventInit };

/** The `addtrack` / `removetrack` event (mediacapture-main §4.4). */
export class MediaStreamTrackEvent extends PlatformEvent {
  #track: MediaStreamTrack;

  constructor(type: string, eventInitDict: MediaStreamTrackEventInit) {
    const context = "Failed to construct 'MediaStreamTrackEvent'";
    if (arguments.length < 2) throw new TypeError(`${context}: 2 arguments required, but only ${arguments.length} present.`);
    const t = converters.DOMString(type, `${context}: type`);
    const { track, ...eventInit } = converters.MediaStreamTrackEventInit(eventInitDict, `${context}: eventInitDict`);
    super(t, eventInit);
    this.#track = track;
  }

  /** The track that was added or removed. */
  get track(): MediaStreamTrack {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrackEvent', 'track');
    return this.#track;
  }
}
exposeInterface(MediaStreamTrackEvent);
