/**
 * RTCRtpTransceiver (https://w3c.github.io/webrtc-pc/#rtcrtptransceiver-interface): a sender and
 * a receiver sharing one m-line.
 */
import type { RTCRtpTransceiver as WeriftTransceiver } from 'werift';
import { illegalConstructor, illegalInvocation } from '../platform/errors.js';
import { INTERNAL, exposeInterface } from '../platform/interface.js';
import type { RTCRtpReceiver } from './receiver.js';
import type { RTCRtpSender } from './sender.js';

const DIRECTIONS = ['sendrecv', 'sendonly', 'recvonly', 'inactive', 'stopped'] as const;
/** `RTCRtpTransceiverDirection`. */
export type RTCRtpTransceiverDirection = (typeof DIRECTIONS)[number];

/** Converts a value to `RTCRtpTransceiverDirection` (TypeError naming the value otherwise). */
export function toDirection(value: unknown, context: string): RTCRtpTransceiverDirection {
  const s = String(value);
  if (!(DIRECTIONS as readonly string[]).includes(s)) throw new TypeError(`${context}: The provided value '${s}' is not a valid enum value of type RTCRtpTransceiverDirection.`);
  return s as RTCRtpTransceiverDirection;
}

/** A sender and a receiver of one kind, negotiated together. */
export class RTCRtpTransceiver {
  readonly #native: WeriftTransceiver;
  readonly #sender: RTCRtpSender;
  readonly #receiver: RTCRtpReceiver;
  readonly #closed: () => boolean;

  // `native` is typed `object` so that the published types do not name werift's (an optional package).
  constructor(token: typeof INTERNAL, native: object, sender: RTCRtpSender, receiver: RTCRtpReceiver, closed: () => boolean) {
    if (token !== INTERNAL) throw illegalConstructor('RTCRtpTransceiver');
    this.#native = native as WeriftTransceiver;
    this.#sender = sender;
    this.#receiver = receiver;
    this.#closed = closed;
  }

  /** The media id negotiated for the m-line, or null before negotiation. */
  get mid(): string | null {
    if (!(#native in this)) throw illegalInvocation('RTCRtpTransceiver', 'mid');
    return this.#native.mid ?? null;
  }

  get sender(): RTCRtpSender {
    if (!(#native in this)) throw illegalInvocation('RTCRtpTransceiver', 'sender');
    return this.#sender;
  }

  get receiver(): RTCRtpReceiver {
    if (!(#native in this)) throw illegalInvocation('RTCRtpTransceiver', 'receiver');
    return this.#receiver;
  }

  /** The preferred direction; setting it makes renegotiation needed. */
  get direction(): RTCRtpTransceiverDirection {
    if (!(#native in this)) throw illegalInvocation('RTCRtpTransceiver', 'direction');
    return this.#native.stopped ? 'stopped' : this.#native.direction;
  }

  set direction(value: RTCRtpTransceiverDirection) {
    if (!(#native in this)) throw illegalInvocation('RTCRtpTransceiver', 'direction');
    const direction = toDirection(value, "Failed to set the 'direction' property on 'RTCRtpTransceiver'");
    // 1.-2. If the connection is closed or the transceiver stopping, throw InvalidStateError.
    if (this.#closed() || this.#native.stopping) throw new DOMException("Failed to set the 'direction' property on 'RTCRtpTransceiver': The transceiver is stopped.", 'InvalidStateError');
    // 3. If newDirection is equal to "stopped", throw a TypeError.
    if (direction === 'stopped') throw new TypeError("Failed to set the 'direction' property on 'RTCRtpTransceiver': 'stopped' is not a valid direction to set; call stop().");
    this.#native.setDirection(direction);
  }

  /** The direction last negotiated, or null. */
  get currentDirection(): RTCRtpTransceiverDirection | null {
    if (!(#native in this)) throw illegalInvocation('RTCRtpTransceiver', 'currentDirection');
    return (this.#native.currentDirection as RTCRtpTransceiverDirection | undefined) ?? null;
  }

  /** Stops sending and receiving on this transceiver. */
  stop(): void {
    if (!(#native in this)) throw illegalInvocation('RTCRtpTransceiver', 'stop');
    if (this.#closed()) throw new DOMException("Failed to execute 'stop' on 'RTCRtpTransceiver': The RTCPeerConnection's signalingState is 'closed'.", 'InvalidStateError');
    this.#native.stop();
  }
}
exposeInterface(RTCRtpTransceiver);
