/**
 * RTCRtpReceiver (https://w3c.github.io/webrtc-pc/#rtcrtpreceiver-interface). Its slots, its
 * track and its media path are in receiver-slots.ts.
 */
import { illegalConstructor, illegalInvocation } from '../platform/errors.js';
import { INTERNAL, exposeInterface } from '../platform/interface.js';
import { mediaStreamTrackOf, type MediaStreamTrack } from '../interfaces/MediaStreamTrack.js';
import type { ReceiverSlots } from './receiver-slots.js';

/** Receives a remote track. Made with its transceiver; not constructible from script. */
export class RTCRtpReceiver {
  readonly #slots: ReceiverSlots;

  // `slots` is typed `object` so that the published types do not name werift's (an optional package).
  constructor(token: typeof INTERNAL, slots: object) {
    if (token !== INTERNAL) throw illegalConstructor('RTCRtpReceiver');
    this.#slots = slots as ReceiverSlots;
  }

  /** The remote track: one of our MediaStreamTracks, whose frames are decoded from the peer's RTP. */
  get track(): MediaStreamTrack {
    if (!(#slots in this)) throw illegalInvocation('RTCRtpReceiver', 'track');
    return mediaStreamTrackOf(this.#slots.track);
  }

}
exposeInterface(RTCRtpReceiver);

