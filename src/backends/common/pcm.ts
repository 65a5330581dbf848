/**
 * Interleaved little-endian PCM bytes, as parec and arecord write them, to planar Float32Array channels.
 * Pipe reads do not respect frame boundaries, so a decoder keeps the bytes of a partial frame
 * until the next chunk completes it.
 */

/** The sample formats the capture stream is asked for. */
export type PcmFormat = 's16le' | 'float32le';

export const BYTES_PER_SAMPLE: Readonly<Record<PcmFormat, number>> = { s16le: 2, float32le: 4 };

export class PcmDecoder {
  readonly format: PcmFormat;
  readonly channels: number;
  readonly frameBytes: number;
  #pending: Buffer = Buffer.alloc(0);

  constructor(format: PcmFormat, channels: number) {
    if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`channel count ${channels} is not a positive integer`);
    this.format = format;
    this.channels = channels;
    this.frameBytes = BYTES_PER_SAMPLE[format] * channels;
  }

  /** Bytes held back from the last chunk (an incomplete frame). */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  /**
   * Decodes the whole frames in `pending bytes + chunk`, one Float32Array per channel, in
   * [-1, 1] (s16: divided by 32768). Returns undefined when no whole frame is available yet.
   */
  push(chunk: Buffer): Float32Array[] | undefined {
    const data = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    const frames = Math.floor(data.length / this.frameBytes);
    const used = frames * this.frameBytes;
    // Copy the remainder: `data` may be a pooled or reused buffer.
    this.#pending = Buffer.from(data.subarray(used));
    if (frames === 0) return undefined;
    return deinterleave(data.subarray(0, used), this.format, this.channels);
  }
}

/** Interleaved → planar. `bytes.length` must be a whole number of frames. */
export function deinterleave(bytes: Buffer, format: PcmFormat, channels: number): Float32Array[] {
  const size = BYTES_PER_SAMPLE[format];
  const frames = bytes.length / (size * channels);
  if (!Number.isInteger(frames)) throw new RangeError(`${bytes.length} bytes is not a whole number of ${format} ${channels}-channel frames`);
  const planes = Array.from({ length: channels }, () => new Float32Array(frames));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (format === 'float32le') {
    for (let f = 0, o = 0; f < frames; f++) {
      for (let c = 0; c < channels; c++, o += 4) planes[c]![f] = view.getFloat32(o, true);
    }
  } else {
    for (let f = 0, o = 0; f < frames; f++) {
      for (let c = 0; c < channels; c++, o += 2) planes[c]![f] = view.getInt16(o, true) / 32768;
    }
  }
  return planes;
}

/**
 * When the sample count says a chunk started more than this long before its arrival time allows,
 * samples were lost (an overrun, a suspended source) or the device clock runs slow: the
 * timestamps jump forward to the arrival time. µs.
 */
export const RESYNC_THRESHOLD_US = 50_000;

/** One decoded chunk of a capture stream. */
export interface PcmChunk {
  /** One Float32Array per channel. */
  planes: Float32Array[];
  /** Capture time of the chunk's first sample, µs on the monotonic clock. */
  timestamp: number;
}

/**
 * A PCM capture stream (parec, arecord) turned into timestamped planar chunks. Timestamps are
 * contiguous — each the previous plus its chunk's duration — starting at the first chunk's arrival
 * minus its duration, and jump forward only past RESYNC_THRESHOLD_US of slip.
 */
export class PcmCapture {
  readonly #decoder: PcmDecoder;
  readonly #rate: number;
  readonly #now: () => number;
  #nextTimestamp: number | undefined;
  #framesDelivered = 0;

  constructor(format: PcmFormat, channels: number, sampleRate: number, now: () => number) {
    this.#decoder = new PcmDecoder(format, channels);
    this.#rate = sampleRate;
    this.#now = now;
  }

  /** Frames decoded so far. */
  get framesDelivered(): number {
    return this.#framesDelivered;
  }

  /** Decodes `chunk`; undefined while no whole frame has arrived. */
  push(chunk: Buffer): PcmChunk | undefined {
    const planes = this.#decoder.push(chunk);
    if (!planes) return undefined;
    const frames = planes[0]!.length;
    const duration = (frames / this.#rate) * 1e6;
    const startedAtLatest = this.#now() - duration;
    if (this.#nextTimestamp === undefined || startedAtLatest > this.#nextTimestamp + RESYNC_THRESHOLD_US) {
      this.#nextTimestamp = startedAtLatest;
    }
    const timestamp = this.#nextTimestamp;
    this.#nextTimestamp += duration;
    this.#framesDelivered += frames;
    return { planes, timestamp };
  }
}
