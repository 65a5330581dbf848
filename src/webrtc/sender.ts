/**
 * RTCRtpSender (https://w3c.github.io/webrtc-pc/#rtcrtpsender-interface): sends one of our tracks.
 *
 * Its media path: a sink on the track (src/algorithms/track/sink.ts: frames adapted to the
 * track's settings, black or silent while it is disabled) → {@link RtpEncoder} → the stack's
 * track (`writeRtp`). It runs while the connection is up and the sender has a track; the peer's
 * key-frame requests (PLI) and bitrate estimate (REMB) reach the encoder.
 */
import type { MediaStreamTrack as WeriftTrack, RTCRtpSender as WeriftSender } from 'werift';
import { attachSink } from '../algorithms/track/sink.js';
import type { Track } from '../algorithms/track/track.js';
import { illegalConstructor, illegalInvocation } from '../platform/errors.js';
import { INTERNAL, exposeInterface } from '../platform/interface.js';
import { mediaStreamTrackOf, trackOf, type MediaStreamTrack } from '../interfaces/MediaStreamTrack.js';
import { RtpEncoder } from './rtp-encoder.js';
import type { Werift } from './stack.js';

/** What the sender knows of its peer connection. */
export interface SenderContext {
  readonly werift: Werift;
  /** Whether media can flow (the connection is connected). */
  connected(): boolean;
  /** The connection is closed. */
  closed(): boolean;
}

let internals: { slot(sender: RTCRtpSender): SenderSlots | undefined };

/** The internal slots of one sender. */
export class SenderSlots {
  readonly context: SenderContext;
  readonly kind: 'audio' | 'video';
  /** The stack's sender, and the stack's track our media is written to. */
  readonly native: WeriftSender;
  readonly nativeTrack: WeriftTrack;
  /** [[SenderTrack]]. */
  track: Track | null;
  /** [[AssociatedMediaStreamIds]]. */
  streamIds: string[];
  #encoder: RtpEncoder | null = null;
  #detach: (() => void) | null = null;

  constructor(context: SenderContext, native: WeriftSender, kind: 'audio' | 'video', track: Track | null, streamIds: string[]) {
    this.context = context;
    this.native = native;
    this.kind = kind;
    this.track = track;
    this.streamIds = streamIds;
    this.nativeTrack = native.track ?? new context.werift.MediaStreamTrack({ kind });
    if (!native.track) native.registerTrack(this.nativeTrack);
    native.onPictureLossIndication.subscribe(() => this.#encoder?.requestKeyFrame());
    native.onRtcp.subscribe(() => {
      const remb = Number(native.receiverEstimatedMaxBitrate);
      if (remb > 0) this.#encoder?.setTargetBitrate(remb);
    });
  }

  /** The encoder, while media flows (for stats and tests). */
  get encoder(): RtpEncoder | null {
    return this.#encoder;
  }

  /** Starts or stops the media path to follow the track and the connection state. */
  update(): void {
    const run = this.track !== null && this.track.readyState === 'live' && this.context.connected() && !this.context.closed();
    if (!run) return void this.stop();
    if (this.#detach) return;
    const encoder = (this.#encoder ??= new RtpEncoder({
      kind: this.kind,
      contentHint: this.track!.contentHint,
      onPacket: (packet) => this.nativeTrack.writeRtp(packet),
    }));
    encoder.requestKeyFrame();
    this.#detach = attachSink(this.track!, {
      media: (media) => encoder.write(media),
      ended: () => {
        this.#detach = null;
      },
    });
  }

  /** Replaces the track (replaceTrack's "in parallel" part): the encoder stays, the sink moves. */
  setTrack(track: Track | null): void {
    this.#detach?.();
    this.#detach = null;
    this.track = track;
    this.update();
  }

  /** Stops the media path: the sink detaches, the encoder's process ends. */
  stop(): Promise<void> {
    this.#detach?.();
    this.#detach = null;
    const encoder = this.#encoder;
    this.#encoder = null;
    return encoder ? encoder.close() : Promise.resolve();
  }
}

/** Sends a track to the peer. Made by addTrack and addTransceiver; not constructible from script. */
export class RTCRtpSender {
  readonly #slots: SenderSlots;

  constructor(token: typeof INTERNAL, slots: SenderSlots) {
    if (token !== INTERNAL) throw illegalConstructor('RTCRtpSender');
    this.#slots = slots;
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

  static {
    internals = { slot: (sender) => (#slots in sender ? sender.#slots : undefined) };
  }
}
exposeInterface(RTCRtpSender);

/** Package-internal: the slots of a sender. */
export function senderSlots(sender: RTCRtpSender): SenderSlots {
  const slots = internals.slot(sender);
  if (!slots) throw new TypeError('internal: not an RTCRtpSender');
  return slots;
}
