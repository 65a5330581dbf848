/**
 * The transceivers, senders, receivers and tracks of a wrtc connection, as our side mirrors them
 * (connection.ts keeps them up to date from the host's state). They have the shape of werift's
 * (the members RTCPeerConnection.ts, sender-slots.ts, receiver-slots.ts and transceiver.ts use), so
 * the IDL classes run over either stack; media is frames, not RTP (see {@link RAW_MEDIA}).
 */
import type { AudioData } from '../../webcodecs/audio-data.js';
import type { VideoFrame } from '../../webcodecs/video-frame.js';
import type { HostProcess } from './host-process.js';
import { AudioChunker, SEND_CHUNK_FRAMES, SEND_RATE, toVideoRecord } from './media.js';
import { type CommandBody, MediaType, type TransceiverState } from './protocol.js';

/** Marks a stack whose tracks take and give frames (`writeMedia`, `onMedia`) rather than RTP. */
export const RAW_MEDIA = Symbol('raw media');

/** werift's event shape: `subscribe(listener)` → `{ unSubscribe }`. */
export class Signal<T extends unknown[]> {
  readonly #listeners = new Set<(...args: T) => void>();

  subscribe(listener: (...args: T) => void): { unSubscribe: () => void } {
    this.#listeners.add(listener);
    return { unSubscribe: () => void this.#listeners.delete(listener) };
  }

  execute(...args: T): void {
    for (const listener of [...this.#listeners]) listener(...args);
  }
}

/** What a transceiver needs of its connection. */
export interface Link {
  readonly host: HostProcess;
  post(command: CommandBody): void;
}

/** A stream id, as werift's `MediaStream({ id })`. */
export class WrtcMediaStream {
  readonly id: string;
  constructor(init: { id?: string } = {}) {
    this.id = init.id ?? crypto.randomUUID();
  }
}

/** Stands in for werift's codec parameters: libwebrtc negotiates its own codecs. */
export class WrtcCodecParameters {
  readonly init: unknown;
  constructor(init: unknown) {
    this.init = init;
  }
}

/**
 * The stack's end of one of our senders: frames written here go to the host, tagged with the
 * transceiver the track is bound to. Video frames are dropped while the host is behind.
 */
export class WrtcLocalTrack {
  readonly kind: 'audio' | 'video';
  readonly id = crypto.randomUUID();
  #link: Link | null = null;
  #transceiver = 0;
  #audio: AudioChunker | null = null;

  constructor(init: { kind: string }) {
    this.kind = init.kind === 'audio' ? 'audio' : 'video';
  }

  bind(link: Link, transceiver: number): void {
    this.#link = link;
    this.#transceiver = transceiver;
  }

  /**
   * Sends one frame or chunk of audio (and closes it). A video track's `contentHint` travels with
   * each frame: "detail" and "text" make the host's source a screencast, which libwebrtc keeps at
   * full resolution when it must degrade (it drops frames instead), as mst-content-hint asks
   * (https://w3c.github.io/mst-content-hint/#video-content-hints).
   */
  writeMedia(media: VideoFrame | AudioData, contentHint = ''): void {
    const host = this.#link?.host;
    if (!host) return media.close();
    if (this.kind === 'video') {
      const frame = media as VideoFrame;
      const { width, height, data, borrowed } = toVideoRecord(frame);
      if (!borrowed) frame.close();
      const screencast = contentHint === 'detail' || contentHint === 'text' ? 1 : 0;
      const sent = host.writeMedia(MediaType.video, this.#transceiver, width, height, screencast, data, true, () => borrowed && frame.close());
      if (!sent && borrowed) frame.close();
      return;
    }
    const chunks = (this.#audio ??= new AudioChunker()).push(media as AudioData);
    media.close();
    for (const { channels, data } of chunks) host.writeMedia(MediaType.audio, this.#transceiver, SEND_RATE, channels, SEND_CHUNK_FRAMES, data, false, () => {});
  }
}

/** The stack's end of a receiver's track: decoded media arrives on `onMedia`. */
export class WrtcRemoteTrack {
  readonly kind: 'audio' | 'video';
  readonly onMedia = new Signal<[VideoFrame | AudioData]>();
  /** RTP never arrives here (werift's shape). */
  readonly onReceiveRtp = new Signal<[unknown]>();
  readonly ssrc = undefined;

  constructor(kind: 'audio' | 'video') {
    this.kind = kind;
  }
}

/**
 * A sender. Key-frame requests and bitrate estimates are libwebrtc's to act on (its encoder does),
 * so the signals our encoder would follow never fire.
 */
export class WrtcSender {
  readonly #transceiver: WrtcTransceiver;
  /** The track frames are written to (every sender has one: see registerTrack). */
  track: WrtcLocalTrack | undefined;
  /**
   * Whether addTrack or addTransceiver gave it a track ([[SenderTrack]] non-null as addTrack's
   * reuse rule sees it); `track` alone does not count, as our sender slots register one on every
   * sender, a remote offer's included.
   */
  sending = false;
  readonly onPictureLossIndication = new Signal<[]>();
  readonly onRtcp = new Signal<[unknown]>();
  readonly receiverEstimatedMaxBitrate = 0;

  constructor(transceiver: WrtcTransceiver) {
    this.#transceiver = transceiver;
  }

  /** Binds the track our frames are written to; the host attaches a source at the first frame. */
  registerTrack(track: WrtcLocalTrack): void {
    this.track = track;
    track.bind(this.#transceiver.link, this.#transceiver.id);
  }

  setStreams(streams: WrtcMediaStream[]): void {
    this.#transceiver.link.post({ op: 'setStreams', id: this.#transceiver.id, streams: streams.map((s) => s.id) });
  }

  getParameters(): { encodings: Record<string, unknown>[] } {
    return structuredClone(this.#transceiver.state?.parameters ?? { encodings: [] });
  }
}

/** A receiver: its track exists from the start, as werift's does. */
export class WrtcReceiver {
  readonly track: WrtcRemoteTrack;

  constructor(kind: 'audio' | 'video') {
    this.track = new WrtcRemoteTrack(kind);
  }

  /** libwebrtc sends its own picture-loss indications. */
  sendRtcpPLI(_ssrc: number): Promise<void> {
    return Promise.resolve();
  }
}

/** A transceiver, mirrored from the host's state; changes made here are posted to the host. */
export class WrtcTransceiver {
  readonly id: number;
  readonly kind: 'audio' | 'video';
  readonly link: Link;
  readonly sender: WrtcSender;
  readonly receiver: WrtcReceiver;
  /** The host's last word on it (null until the host has reported it). */
  state: TransceiverState | null = null;
  #direction: string;
  #stopping = false;

  constructor(link: Link, id: number, kind: 'audio' | 'video', direction: string) {
    this.link = link;
    this.id = id;
    this.kind = kind;
    this.#direction = direction;
    this.sender = new WrtcSender(this);
    this.receiver = new WrtcReceiver(kind);
  }

  /**
   * Takes the host's state. The direction is the host's only at first sight: after that it changes
   * here (setDirection, addTrack, removeTrack) before the host hears of it, and a state sent
   * in between must not undo it.
   */
  update(state: TransceiverState): void {
    if (this.state === null) this.#direction = state.direction;
    this.state = state;
  }

  /** Sets the direction without telling the host (it makes the same change itself: addTrack, removeTrack). */
  mirrorDirection(direction: string): void {
    this.#direction = direction;
  }

  get mid(): string | undefined {
    return this.state?.mid ?? undefined;
  }

  get direction(): string {
    return this.#direction;
  }

  get currentDirection(): string | undefined {
    return this.state?.currentDirection ?? undefined;
  }

  get stopped(): boolean {
    return this.state?.stopped ?? false;
  }

  get stopping(): boolean {
    return this.#stopping || this.stopped;
  }

  /** Whether addTrack may use it: same kind, never sent, no track, not stopped (webrtc-pc addTrack step 7). */
  reusableFor(kind: string): boolean {
    return this.kind === kind && !this.stopping && !this.sender.sending && !(this.state?.sending ?? false) && !(this.state?.usedToSend ?? false);
  }

  setDirection(direction: string): void {
    this.#direction = direction;
    this.link.post({ op: 'setDirection', id: this.id, direction });
  }

  stop(): void {
    this.#stopping = true;
    this.link.post({ op: 'stopTransceiver', id: this.id });
  }
}
