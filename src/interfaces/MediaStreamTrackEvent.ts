import { illegalInvocation } from '../platform/errors.js';
import type { EventInit } from '../platform/events.js';
import { exposeInterface } from '../platform/interface.js';
import { dictionaryObject, toBoolean, toDOMString } from '../webidl/converters.js';
import { MediaStreamTrack, isMediaStreamTrack } from './MediaStreamTrack.js';

/** MediaStreamTrackEventInit: EventInit plus the required `track`. */
export interface MediaStreamTrackEventInit extends EventInit {
  track: MediaStreamTrack;
}

/** The `addtrack` / `removetrack` event (mediacapture-main §4.4). */
export class MediaStreamTrackEvent extends Event {
  #track: MediaStreamTrack;

  constructor(type: string, eventInitDict: MediaStreamTrackEventInit) {
    if (arguments.length < 2) throw new TypeError('MediaStreamTrackEvent constructor: 2 arguments required, but only ' + arguments.length + ' present.');
    const t = toDOMString(type, 'MediaStreamTrackEvent constructor: argument 1');
    const init = dictionaryObject(eventInitDict, 'MediaStreamTrackEvent constructor: argument 2');
    // EventInit members (bubbles, cancelable, composed), then own member track (required).
    const bubbles = toBoolean(init?.bubbles);
    const cancelable = toBoolean(init?.cancelable);
    const composed = toBoolean(init?.composed);
    const track = init?.track;
    if (track === undefined) throw new TypeError('MediaStreamTrackEvent constructor: member track is required in MediaStreamTrackEventInit.');
    if (!isMediaStreamTrack(track)) throw new TypeError('MediaStreamTrackEvent constructor: member track is not of type MediaStreamTrack.');
    super(t, { bubbles, cancelable, composed });
    this.#track = track;
  }

  /** The track that was added or removed. */
  get track(): MediaStreamTrack {
    if (!(#track in this)) throw illegalInvocation('MediaStreamTrackEvent', 'track');
    return this.#track;
  }
}
exposeInterface(MediaStreamTrackEvent);
