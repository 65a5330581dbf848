/**
 * Interleaved little-endian PCM bytes, as parec writes them, to planar Float32Array channels.
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
