/**
 * The events of RTCPeerConnection that carry data: RTCTrackEvent
 * (https://w3c.github.io/webrtc-pc/#rtctrackevent) and RTCPeerConnectionIceEvent
 * (https://w3c.github.io/webrtc-pc/#rtcpeerconnectioniceevent).
 */
import { exposeInterface } from '../platform/interface.js';

/** DOM's `EventInit`. */
interface EventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
}
import type { MediaStream } from '../interfaces/MediaStream.js';
import type { MediaStreamTrack } from '../interfaces/MediaStreamTrack.js';
import type { RTCIceCandidate } from './descriptions.js';
import type { RTCRtpReceiver } from './receiver.js';
import type { RTCRtpTransceiver } from './transceiver.js';

/** `RTCTrackEventInit`. */
export interface RTCTrackEventInit extends EventInit {
  receiver: RTCRtpReceiver;
  track: MediaStreamTrack;
  streams?: MediaStream[];
  transceiver: RTCRtpTransceiver;
}

/** Fired as `track` when a remote track is negotiated: the receiver's track and the streams it is in. */
export class RTCTrackEvent extends Event {
  readonly #init: RTCTrackEventInit;

  constructor(type: string, eventInitDict: RTCTrackEventInit) {
    if (arguments.length < 2) throw new TypeError(`Failed to construct 'RTCTrackEvent': 2 arguments required, but only ${arguments.length} present.`);
    super(type, eventInitDict);
    for (const member of ['receiver', 'track', 'transceiver'] as const) {
      if (eventInitDict?.[member] === undefined) throw new TypeError(`Failed to construct 'RTCTrackEvent': Required member '${member}' is undefined.`);
    }
    this.#init = { ...eventInitDict, streams: Object.freeze([...(eventInitDict.streams ?? [])]) as MediaStream[] };
  }

  get receiver(): RTCRtpReceiver {
    return this.#init.receiver;
  }

  get track(): MediaStreamTrack {
    return this.#init.track;
  }

  /** A frozen array of the streams the track is in. */
  get streams(): readonly MediaStream[] {
    return this.#init.streams!;
  }

  get transceiver(): RTCRtpTransceiver {
    return this.#init.transceiver;
  }
}
exposeInterface(RTCTrackEvent);

/** `RTCPeerConnectionIceEventInit`. */
export interface RTCPeerConnectionIceEventInit extends EventInit {
  candidate?: RTCIceCandidate | null;
  url?: string | null;
}

/** Fired as `icecandidate`: a new local candidate to signal, or null once gathering is complete. */
export class RTCPeerConnectionIceEvent extends Event {
  readonly #candidate: RTCIceCandidate | null;
  readonly #url: string | null;

  constructor(type: string, eventInitDict: RTCPeerConnectionIceEventInit = {}) {
    super(type, eventInitDict);
    this.#candidate = eventInitDict.candidate ?? null;
    this.#url = eventInitDict.url ?? null;
  }

  get candidate(): RTCIceCandidate | null {
    return this.#candidate;
  }

  get url(): string | null {
    return this.#url;
  }
}
exposeInterface(RTCPeerConnectionIceEvent);
