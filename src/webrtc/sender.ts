/**
 * RTCRtpSender (https://w3c.github.io/webrtc-pc/#rtcrtpsender-interface): sends one of our tracks.
 *
 * Its slots and media path are in sender-slots.ts.
 */
import type { Track } from '../algorithms/track/track.js';
import { illegalConstructor, illegalInvocation } from '../platform/errors.js';
import { INTERNAL, exposeInterface } from '../platform/interface.js';
import { mediaStreamTrackOf, trackOf, type MediaStreamTrack } from '../interfaces/MediaStreamTrack.js';
import { registerSender, type SenderSlots } from './sender-slots.js';

/** Sends a track to the peer. Made by addTrack and addTransceiver; not constructible from script. */
export class RTCRtpSender {
  readonly #slots: SenderSlots;

  // `slots` is typed `object` so that the published types do not name werift's (an optional package).
  constructor(token: typeof INTERNAL, slots: object) {
    if (token !== INTERNAL) throw illegalConstructor('RTCRtpSender');
    this.#slots = slots as SenderSlots;
    registerSender(this, this.#slots);
  }

  /** The track being sent, or null. */
  get track(): MediaStreamTrack | null {
    if (!(#slots in this)) throw illegalInvocation('RTCRtpSender', 'track');
    const t = this.#slots.track;
    return t ? mediaStreamTrackOf(t) : null;
  }

  /**
   * replaceTrack (https://w3c.github.io/webrtc-pc/#dom-rtcrtpsender-replacetrack): sends
   * `withTrack` in place of the current track without renegotiating. TypeError for a track of
   * another kind; InvalidStateError once the connection is closed.
   */
  replaceTrack(withTrack: MediaStreamTrack | null): Promise<void> {
    if (!(#slots in this)) return Promise.reject(illegalInvocation('RTCRtpSender', 'replaceTrack'));
    const slots = this.#slots;
    let track: Track | null = null;
    if (withTrack !== null) {
      track = trackOf(withTrack) ?? null;
      if (!track) return Promise.reject(new TypeError("Failed to execute 'replaceTrack' on 'RTCRtpSender': parameter 1 is not of type 'MediaStreamTrack'."));
    }
    // 4. If withTrack is non-null and withTrack.kind differs from the transceiver kind of transceiver, return a promise rejected with a newly created TypeError.
    if (track && track.kind !== slots.kind) {
      return Promise.reject(new TypeError(`Failed to execute 'replaceTrack' on 'RTCRtpSender': a ${track.kind} track cannot replace the track of a ${slots.kind} sender.`));
    }
    // 5. Return the result of chaining: if the connection is closed, InvalidStateError.
    if (slots.context.closed()) return Promise.reject(new DOMException("Failed to execute 'replaceTrack' on 'RTCRtpSender': The RTCPeerConnection's signalingState is 'closed'.", 'InvalidStateError'));
    return Promise.resolve().then(() => slots.setTrack(track));
  }

  /** The stream ids the track is signalled in (setStreams). */
  setStreams(...streams: { id: string }[]): void {
    if (!(#slots in this)) throw illegalInvocation('RTCRtpSender', 'setStreams');
    if (this.#slots.context.closed()) throw new DOMException("Failed to execute 'setStreams' on 'RTCRtpSender': The RTCPeerConnection's signalingState is 'closed'.", 'InvalidStateError');
    this.#slots.streamIds = [...new Set(streams.map((s) => s.id))];
    this.#slots.native.setStreams(this.#slots.streamIds.map((id) => new this.#slots.context.werift.MediaStream({ id })));
  }

  /** The sender's parameters as the stack reports them. */
  getParameters(): { encodings: Record<string, unknown>[] } {
    if (!(#slots in this)) throw illegalInvocation('RTCRtpSender', 'getParameters');
    return this.#slots.native.getParameters();
  }

}
exposeInterface(RTCRtpSender);

