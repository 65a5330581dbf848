/**
 * The internal slots of an RTCRtpSender (sender.ts) and its media path: a sink on the track
 * (src/algorithms/track/sink.ts: frames adapted to the track's settings, black or silent while it
 * is disabled) → {@link RtpEncoder} → the stack's track (`writeRtp`). It runs while the
 * connection is up and the sender has a track; the peer's key-frame requests (PLI) and bitrate
 * estimate (REMB) reach the encoder. Kept apart from the IDL class so that the published types of
 * the class do not name werift's (an optional package).
 */
import type { MediaStreamTrack as WeriftTrack, RTCRtpSender as WeriftSender } from 'werift';
import { attachSink } from '../algorithms/track/sink.js';
import type { Track } from '../algorithms/track/track.js';
import { RtpEncoder } from './rtp-encoder.js';
import { isRawMediaStack } from './load-stack.js';
import type { Werift } from './stack.js';
import type { WrtcLocalTrack } from './wrtc/transceiver.js';

/** What the sender knows of its peer connection. */
export interface SenderContext {
  readonly werift: Werift;
  /** Whether media can flow (the connection is connected). */
  connected(): boolean;
  /** The connection is closed. */
  closed(): boolean;
}

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
    if (isRawMediaStack(this.context.werift)) {
      // wrtc: the frames themselves go to the stack, whose libwebrtc encoder follows the peer's
      // key-frame requests and bandwidth estimate (and the track's contentHint, read per frame).
      const nativeTrack = this.nativeTrack as unknown as WrtcLocalTrack;
      const track = this.track!;
      this.#detach = attachSink(track, { media: (media) => nativeTrack.writeMedia(media, track.contentHint), ended: () => void (this.#detach = null) });
      return;
    }
    const encoder = (this.#encoder ??= new RtpEncoder({
      kind: this.kind,
      contentHint: this.track!.contentHint,
      onPacket: (packet) => this.nativeTrack.writeRtp(packet),
    }));
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

const bySender = new WeakMap<object, SenderSlots>();

/** Package-internal: ties an RTCRtpSender to its slots (its constructor calls this). */
export function registerSender(sender: object, slots: SenderSlots): void {
  bySender.set(sender, slots);
}

/** Package-internal: the slots of an RTCRtpSender; TypeError for anything else. */
export function senderSlots(sender: unknown): SenderSlots {
  const slots = typeof sender === 'object' && sender !== null ? bySender.get(sender) : undefined;
  if (!slots) throw new TypeError('parameter 1 is not of type \'RTCRtpSender\'.');
  return slots;
}
