/**
 * What our process and the wrtc host process (host.ts) say to each other.
 *
 * Two channels, both made by `child_process.fork`:
 * - The IPC channel (JSON): commands to the host ({@link Command}, answered by a {@link Reply}
 *   with the same `seq`) and the host's events ({@link HostEvent}). Each reply and event carries
 *   the connection's state as it is when sent ({@link Snapshot}), so that our side answers the
 *   synchronous attributes (`signalingState`, `localDescription`, a transceiver's `mid`) from it.
 * - The media pipe, file descriptor 4 of the host (a Unix socket pair that Node makes for a
 *   `'pipe'` stdio entry): raw frames both ways, each a {@link HEADER_BYTES}-byte header and its
 *   payload. Measured for 640x360 I420 frames (345,600 bytes; bench/wrtc-pipe.mjs): 0.05 ms of
 *   our CPU per frame on the pipe, against 0.37 ms through the IPC channel with
 *   `serialization: 'advanced'`, whose structured clone copies the frame on our side.
 *
 * This module imports nothing but Node's own: the host loads it and nothing else of ours.
 */

/** The kinds of media record on the pipe. */
export const MediaType = {
  /** I420 picture: a = width, b = height; c = 1 from a sender whose track's content is a screencast ("detail", "text"). */
  video: 1,
  /** 10 ms of interleaved signed 16-bit samples: a = sample rate, b = channels, c = frames. */
  audio: 2,
} as const;

/** The size of a media record's header. */
export const HEADER_BYTES = 24;

/** One media record: whose it is (a transceiver id), what it is, and its bytes. */
export interface MediaRecord {
  readonly type: number;
  /** The transceiver the media belongs to (sent by its sender, or received by its receiver). */
  readonly id: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly payload: Buffer;
}

/** The header of a record whose payload is `length` bytes. */
export function mediaHeader(type: number, id: number, a: number, b: number, c: number, length: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER_BYTES);
  header.writeUInt32LE(length, 0);
  header.writeUInt32LE(type, 4);
  header.writeUInt32LE(id, 8);
  header.writeUInt32LE(a, 12);
  header.writeUInt32LE(b, 16);
  header.writeUInt32LE(c, 20);
  return header;
}

/**
 * Cuts the byte stream of the pipe into records. A payload is copied once, when its last chunk
 * arrives (a frame spans a few dozen socket reads); the record owns it.
 */
export class MediaReader {
  readonly #onRecord: (record: MediaRecord) => void;
  #chunks: Buffer[] = [];
  #buffered = 0;

  constructor(onRecord: (record: MediaRecord) => void) {
    this.#onRecord = onRecord;
  }

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    while (this.#buffered >= HEADER_BYTES) {
      const head = this.#chunks[0]!.length >= HEADER_BYTES ? this.#chunks[0]! : this.#take(HEADER_BYTES, false);
      const length = head.readUInt32LE(0);
      if (this.#buffered < HEADER_BYTES + length) return;
      const header = this.#take(HEADER_BYTES, true);
      const payload = this.#take(length, true);
      this.#onRecord({ type: header.readUInt32LE(4), id: header.readUInt32LE(8), a: header.readUInt32LE(12), b: header.readUInt32LE(16), c: header.readUInt32LE(20), payload });
    }
  }

  /** The next `n` bytes, consumed or only looked at. */
  #take(n: number, consume: boolean): Buffer {
    const out = Buffer.allocUnsafeSlow(n);
    let filled = 0;
    let i = 0;
    while (filled < n) {
      const chunk = this.#chunks[i]!;
      const count = Math.min(n - filled, chunk.length);
      chunk.copy(out, filled, 0, count);
      filled += count;
      if (!consume) i++;
      else if (count === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(count);
    }
    if (consume) this.#buffered -= n;
    return out;
  }
}

/** A session description as signalled. */
export interface DescriptionInit {
  type: string;
  sdp: string;
}

/** A transceiver as the host sees it. */
export interface TransceiverState {
  readonly id: number;
  readonly kind: 'audio' | 'video';
  readonly mid: string | null;
  readonly direction: string;
  readonly currentDirection: string | null;
  readonly stopped: boolean;
  /** Whether its sender has a track (addTrack may reuse only a transceiver whose sender has none). */
  readonly sending: boolean;
  /** Whether it has ever been negotiated to send ("[[FiredDirection]]" was sendrecv or sendonly). */
  readonly usedToSend: boolean;
  /** The sender's `getParameters()`. */
  readonly parameters: { encodings: Record<string, unknown>[] } & Record<string, unknown>;
}

/** The connection's state, sent with every reply and event. */
export interface Snapshot {
  readonly signalingState: string;
  readonly connectionState: string;
  readonly iceConnectionState: string;
  readonly iceGatheringState: string;
  readonly canTrickleIceCandidates: boolean | null;
  readonly localDescription: DescriptionInit | null;
  readonly currentLocalDescription: DescriptionInit | null;
  readonly pendingLocalDescription: DescriptionInit | null;
  readonly remoteDescription: DescriptionInit | null;
  readonly currentRemoteDescription: DescriptionInit | null;
  readonly pendingRemoteDescription: DescriptionInit | null;
  readonly transceivers: readonly TransceiverState[];
}

/** The configuration the host makes its connection with. */
export interface HostConfiguration {
  iceServers: { urls: string; username?: string; credential?: string }[];
  iceTransportPolicy: 'all' | 'relay';
  bundlePolicy: 'balanced' | 'max-compat' | 'max-bundle';
}

/** A candidate as signalled. */
export interface CandidateInit {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/** What our side asks of the host. */
export type CommandBody =
  | { op: 'create'; configuration: HostConfiguration }
  | { op: 'createOffer' }
  | { op: 'createAnswer' }
  | { op: 'setLocalDescription'; description: DescriptionInit | null }
  | { op: 'setRemoteDescription'; description: DescriptionInit }
  | { op: 'addIceCandidate'; candidate: CandidateInit | null }
  /** addTrack: `id` is the transceiver our side expects it to use (new or reused). */
  | { op: 'addTrack'; id: number; kind: 'audio' | 'video'; streams: string[] }
  | { op: 'addTransceiver'; id: number; kind: 'audio' | 'video'; withTrack: boolean; direction: string; streams: string[] }
  | { op: 'removeTrack'; id: number }
  | { op: 'setStreams'; id: number; streams: string[] }
  | { op: 'setDirection'; id: number; direction: string }
  | { op: 'stopTransceiver'; id: number }
  | { op: 'getStats' }
  | { op: 'close' };

/** A command as sent: `seq` numbers the replies. */
export type Command = CommandBody & { seq: number };

/** The answer to one command. */
export interface Reply {
  readonly reply: number;
  readonly value?: unknown;
  readonly error?: { name: string; message: string };
  readonly state: Snapshot;
}

/** What the host reports unasked. */
export type HostEventBody =
  | { event: 'icecandidate'; candidate: CandidateInit | null }
  | { event: 'statechange'; which: 'signalingState' | 'connectionState' | 'iceConnectionState' | 'iceGatheringState' }
  | { event: 'negotiationneeded' }
  /** A remote track arrived on transceiver `id`, in the streams with these ids. */
  | { event: 'track'; id: number; streams: string[] }
  /** Something went wrong that no command is waiting for (a frame the stack refused, say). */
  | { event: 'warning'; message: string };

/** An event as sent, with the state after it. */
export type HostEvent = HostEventBody & { state: Snapshot };
