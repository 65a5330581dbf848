/**
 * The internal slots of an RTCRtpReceiver (receiver.ts) and its track, kept apart from the IDL
 * class so that the class's published types do not name werift's (an optional package).
 *
 * The receiver's track exists from the transceiver's creation, as the spec says ("create an
 * RTCRtpReceiver": a new MediaStreamTrack of its kind, label "remote <kind>", muted). Its source
 * is a generator source (src/media/generator-source.ts): decoded frames are written to it, so the
 * track behaves as any of ours (processors, the recorder, media elements, applyConstraints with
 * crop-and-scale). It is unmuted when the first frame is decoded, and muted again after
 * {@link REMOTE_MUTE_AFTER_MS} without media.
 *
 * Its media path: the stack's track (RTP) → {@link RtpDecoder} → the source.
 */
import type { MediaStreamTrack as WeriftTrack, RTCRtpReceiver as WeriftReceiver } from 'werift';
import { generatorTrackSource, initialGeneratorSettings } from '../algorithms/transform/generator-track-source.js';
import type { Track } from '../algorithms/track/track.js';
import { GeneratorSource } from '../media/generator-source.js';
import { createMediaStreamTrack } from '../interfaces/MediaStreamTrack.js';
import { stopIdleNackLoop } from './nack.js';
import { RtpDecoder } from './rtp-decoder.js';
import type { Werift } from './stack.js';
import type { WrtcRemoteTrack } from './wrtc/transceiver.js';
import { clearTimeout, setTimeout } from '../platform/timers.js';

/** A remote track is muted after this long without media (as browsers do when RTP stops). */
export const REMOTE_MUTE_AFTER_MS = 3000;

/** The internal slots of one receiver. */
export class ReceiverSlots {
  readonly kind: 'audio' | 'video';
  readonly native: WeriftReceiver;
  readonly source: GeneratorSource;
  /** [[ReceiverTrack]]. */
  readonly track: Track;
  readonly #werift: Werift;
  #decoder: RtpDecoder | null = null;
  #unsubscribe: (() => void) | null = null;
  #muteTimer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(werift: Werift, native: WeriftReceiver, kind: 'audio' | 'video') {
    this.#werift = werift;
    this.native = native;
    stopIdleNackLoop(native);
    this.kind = kind;
    this.source = new GeneratorSource(kind);
    // "Initialize track.muted to true."
    this.source.setMutedState(true);
    const base = generatorTrackSource(this.source);
    // "Initialize track.label to the result of concatenating the string "remote " with kind."
    this.track = createMediaStreamTrack({ source: { ...base, label: `remote ${kind}` }, settings: initialGeneratorSettings(this.source), constraints: {} });
  }

  /** The decoder, while media flows (for stats and tests). */
  get decoder(): RtpDecoder | null {
    return this.#decoder;
  }

  /** Starts receiving the RTP of `nativeTrack` (the stack's remote track for this receiver). */
  receive(nativeTrack: WeriftTrack): void {
    if (this.#stopped) return;
    this.#unsubscribe?.();
    if ('onMedia' in nativeTrack) {
      // wrtc: the stack decodes; its frames arrive as ours.
      const { unSubscribe } = (nativeTrack as unknown as WrtcRemoteTrack).onMedia.subscribe((media) => this.#deliver(media));
      this.#unsubscribe = unSubscribe;
      return;
    }
    const decoder = (this.#decoder ??= new RtpDecoder(this.#werift, {
      kind: this.kind,
      onMedia: (media) => this.#deliver(media),
      onKeyFrameNeeded: () => {
        const ssrc = nativeTrack.ssrc;
        if (ssrc !== undefined) void this.native.sendRtcpPLI(ssrc).catch(() => {});
      },
    }));
    const { unSubscribe } = nativeTrack.onReceiveRtp.subscribe((packet) => decoder.input(packet));
    this.#unsubscribe = unSubscribe;
  }

  #deliver(media: Parameters<GeneratorSource['write']>[0]): void {
    if (this.#stopped) return media.close();
    if (this.source.muted) this.source.setMutedState(false);
    this.source.write(media);
    this.#muteTimer?.refresh();
    this.#muteTimer ??= setTimeout(() => this.source.setMutedState(true), REMOTE_MUTE_AFTER_MS).unref();
  }

  /**
   * Stops receiving ("stop the RTCRtpTransceiver": the receiver's track is ended). The track ends
   * through its source, as when any source ends.
   */
  stop(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    if (this.#muteTimer) clearTimeout(this.#muteTimer);
    this.source.close('The RTCPeerConnection was closed.');
    const decoder = this.#decoder;
    this.#decoder = null;
    return decoder ? decoder.close() : Promise.resolve();
  }
}
