/**
 * Raw media for ffmpeg in one stream, with timestamps: a live Matroska file (Segment and Clusters
 * of unknown size, as when streaming) holding an uncompressed video track (`V_UNCOMPRESSED`,
 * colour space `I420`, which ffmpeg's rawvideo decoder reads as yuv420p) and a float PCM audio
 * track (`A_PCM/FLOAT/IEEE`, 32-bit: ffmpeg's pcm_f32le). ffmpeg reads it with `-f matroska`.
 *
 * Why not `-f rawvideo` and `-f f32le` on two inputs:
 * - Raw video has no timestamps, so ffmpeg numbers the frames at a constant rate, and every frame
 *   the recorder drops (the encoder is behind) would have to be replaced by a repeat to keep the
 *   picture in time with the sound: more work for an encoder that is already late. With a
 *   timestamp on each frame, a dropped frame is simply absent and the one before it lasts longer
 *   (variable frame rate), as in browsers' recordings.
 * - ffmpeg (5.1) encodes its outputs in timestamp order and, with two inputs, waits for the input
 *   whose stream is behind; a track that sends nothing for a moment (a muted microphone) then
 *   stalls the other's input, whose queue fills. One input, written in the order media arrives,
 *   is read in that order whatever each track does.
 *
 * Timestamps are in milliseconds (TimecodeScale 1 ms): a block's timestamp is relative to its
 * cluster's, in a signed 16-bit field, so a new cluster starts when that would overflow.
 */

/** EBML element IDs (Matroska specification), as their bytes. */
const ID = {
  EBML: [0x1a, 0x45, 0xdf, 0xa3],
  EBMLVersion: [0x42, 0x86],
  EBMLReadVersion: [0x42, 0xf7],
  EBMLMaxIDLength: [0x42, 0xf2],
  EBMLMaxSizeLength: [0x42, 0xf3],
  DocType: [0x42, 0x82],
  DocTypeVersion: [0x42, 0x87],
  DocTypeReadVersion: [0x42, 0x85],
  Segment: [0x18, 0x53, 0x80, 0x67],
  Info: [0x15, 0x49, 0xa9, 0x66],
  TimestampScale: [0x2a, 0xd7, 0xb1],
  MuxingApp: [0x4d, 0x80],
  WritingApp: [0x57, 0x41],
  Tracks: [0x16, 0x54, 0xae, 0x6b],
  TrackEntry: [0xae],
  TrackNumber: [0xd7],
  TrackUID: [0x73, 0xc5],
  TrackType: [0x83],
  CodecID: [0x86],
  Video: [0xe0],
  PixelWidth: [0xb0],
  PixelHeight: [0xba],
  ColourSpace: [0x2e, 0xb5, 0x24],
  Audio: [0xe1],
  SamplingFrequency: [0xb5],
  Channels: [0x9f],
  BitDepth: [0x62, 0x64],
  Cluster: [0x1f, 0x43, 0xb6, 0x75],
  Timestamp: [0xe7],
  SimpleBlock: [0xa3],
} as const;

/** The "unknown" element size: the element lasts until one that cannot be its child. */
const UNKNOWN_SIZE = [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

/** An EBML variable-size integer holding `n` (the shortest form that is not all ones). */
export function ebmlSize(n: number): number[] {
  for (let length = 1; length <= 8; length++) {
    if (n < 2 ** (7 * length) - 1) {
      const bytes: number[] = [];
      let v = n;
      for (let i = 0; i < length; i++) {
        bytes.unshift(v % 256);
        v = Math.floor(v / 256);
      }
      bytes[0]! |= 0x80 >> (length - 1);
      return bytes;
    }
  }
  throw new RangeError(`EBML size too large: ${n}`);
}

type Bytes = readonly number[];

function element(id: Bytes, body: Bytes): number[] {
  return [...id, ...ebmlSize(body.length), ...body];
}

function uint(id: Bytes, value: number): number[] {
  const body: number[] = [];
  let v = value;
  do {
    body.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  return element(id, body);
}

function text(id: Bytes, value: string): number[] {
  return element(id, [...value].map((c) => c.charCodeAt(0) & 0x7f));
}

function float64(id: Bytes, value: number): number[] {
  const body = new Uint8Array(8);
  new DataView(body.buffer).setFloat64(0, value);
  return element(id, [...body]);
}

/** The raw tracks of one recording. */
export interface RawTracks {
  readonly video: { readonly width: number; readonly height: number } | null;
  readonly audio: { readonly sampleRate: number; readonly channels: number } | null;
}

/** Writes the stream: `header()` once, then the bytes that go before each block's data. */
export class RawMatroskaWriter {
  readonly #tracks: RawTracks;
  /** Track numbers: video 1, audio the next. */
  readonly videoTrack: number;
  readonly audioTrack: number;
  #clusterTime: number | null = null;

  constructor(tracks: RawTracks) {
    this.#tracks = tracks;
    this.videoTrack = tracks.video ? 1 : 0;
    this.audioTrack = tracks.audio ? this.videoTrack + 1 : 0;
  }

  /** The EBML header, the start of the Segment, its Info and Tracks. */
  header(): Uint8Array {
    const { video, audio } = this.#tracks;
    const entries: number[] = [];
    if (video) {
      const v = [...uint(ID.PixelWidth, video.width), ...uint(ID.PixelHeight, video.height), ...element(ID.ColourSpace, [0x49, 0x34, 0x32, 0x30])];
      entries.push(
        ...element(ID.TrackEntry, [...uint(ID.TrackNumber, this.videoTrack), ...uint(ID.TrackUID, this.videoTrack), ...uint(ID.TrackType, 1), ...text(ID.CodecID, 'V_UNCOMPRESSED'), ...element(ID.Video, v)]),
      );
    }
    if (audio) {
      const a = [...float64(ID.SamplingFrequency, audio.sampleRate), ...uint(ID.Channels, audio.channels), ...uint(ID.BitDepth, 32)];
      entries.push(
        ...element(ID.TrackEntry, [...uint(ID.TrackNumber, this.audioTrack), ...uint(ID.TrackUID, this.audioTrack), ...uint(ID.TrackType, 2), ...text(ID.CodecID, 'A_PCM/FLOAT/IEEE'), ...element(ID.Audio, a)]),
      );
    }
    return Uint8Array.from([
      ...element(ID.EBML, [
        ...uint(ID.EBMLVersion, 1),
        ...uint(ID.EBMLReadVersion, 1),
        ...uint(ID.EBMLMaxIDLength, 4),
        ...uint(ID.EBMLMaxSizeLength, 8),
        ...text(ID.DocType, 'matroska'),
        ...uint(ID.DocTypeVersion, 4),
        ...uint(ID.DocTypeReadVersion, 2),
      ]),
      ...ID.Segment,
      ...UNKNOWN_SIZE,
      ...element(ID.Info, [...uint(ID.TimestampScale, 1_000_000), ...text(ID.MuxingApp, 'mediacapture'), ...text(ID.WritingApp, 'mediacapture')]),
      ...element(ID.Tracks, entries),
    ]);
  }

  /**
   * What goes before a block of `size` bytes of track `track` at `timestampMs`: a new Cluster when
   * the block's time does not fit the current one's, then the SimpleBlock's header.
   */
  blockHeader(track: number, timestampMs: number, size: number): Uint8Array {
    const ms = Math.round(timestampMs);
    const out: number[] = [];
    let relative = this.#clusterTime === null ? Infinity : ms - this.#clusterTime;
    if (relative > 32_767 || relative < -32_768) {
      this.#clusterTime = ms;
      relative = 0;
      out.push(...ID.Cluster, ...UNKNOWN_SIZE, ...uint(ID.Timestamp, Math.max(0, ms)));
    }
    // Track number (1-byte EBML integer), relative timestamp (big-endian int16), flags (key frame).
    const rel = relative & 0xffff;
    out.push(...ID.SimpleBlock, ...ebmlSize(4 + size), 0x80 | track, rel >> 8, rel & 0xff, 0x80);
    return Uint8Array.from(out);
  }
}
