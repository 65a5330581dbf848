/**
 * Audio sample processing on plain typed arrays: sample-type conversion (u8, s16, s32, f32;
 * interleaved or planar), channel up- and down-mixing, silence. Resampling is in resample.ts and
 * re-exported here.
 *
 * Sample values follow WebCodecs § 9.3.2 "Magnitude of the audio samples": u8 is biased at 128,
 * the integer types are signed, f32 is nominally [-1, 1]. Integer↔float scaling is asymmetric, as
 * in Chromium's `media::FixedSampleTypeTraits`: negative values are divided by |min| and positive
 * values by max, so every type's minimum, bias and maximum map exactly to -1, 0 and +1 and back,
 * and integer→f32→integer round trips are exact for u8 and s16. Float→integer rounds to nearest and
 * clips to the type's range; f32→f32 never clips (the spec asks implementations not to clip f32).
 */

import { wasmMix } from '../kernels/samples.js';

export { Resampler, type ResamplerOptions } from './resample.js';

/** A sample type without its arrangement. */
export type SampleType = 'u8' | 's16' | 's32' | 'f32';
/** The typed array each sample type is stored in. */
export type SampleArray = Uint8Array | Int16Array | Int32Array | Float32Array;

export const BYTES_PER_SAMPLE: Readonly<Record<SampleType, number>> = { u8: 1, s16: 2, s32: 4, f32: 4 };

/** A typed array of `type` over the same memory as `bytes` (byteOffset must be aligned to the sample size). */
export function sampleView(bytes: Uint8Array, type: SampleType, byteOffset = 0, length?: number): SampleArray {
  const start = bytes.byteOffset + byteOffset;
  const count = length ?? Math.floor((bytes.byteLength - byteOffset) / BYTES_PER_SAMPLE[type]);
  switch (type) {
    case 'u8':
      return new Uint8Array(bytes.buffer, start, count);
    case 's16':
      return new Int16Array(bytes.buffer, start, count);
    case 's32':
      return new Int32Array(bytes.buffer, start, count);
    case 'f32':
      return new Float32Array(bytes.buffer, start, count);
  }
}

let scratch = new Float64Array(0);

function scratchOf(length: number): Float64Array {
  if (scratch.length < length) scratch = new Float64Array(Math.max(length, 1024));
  return scratch;
}

/** Reads `count` samples (every `stride`th from `index`) as normalized doubles into `out`. */
function decode(src: SampleArray, type: SampleType, index: number, stride: number, count: number, out: Float64Array): void {
  let i = index;
  switch (type) {
    case 'u8':
      for (let n = 0; n < count; n++, i += stride) {
        const v = src[i]! - 128;
        out[n] = v < 0 ? v / 128 : v / 127;
      }
      return;
    case 's16':
      for (let n = 0; n < count; n++, i += stride) {
        const v = src[i]!;
        out[n] = v < 0 ? v / 32768 : v / 32767;
      }
      return;
    case 's32':
      for (let n = 0; n < count; n++, i += stride) {
        const v = src[i]!;
        out[n] = v < 0 ? v / 2147483648 : v / 2147483647;
      }
      return;
    case 'f32':
      for (let n = 0; n < count; n++, i += stride) out[n] = src[i]!;
      return;
  }
}

/** Writes `count` normalized doubles as `type` samples (every `stride`th from `index`). */
function encode(values: Float64Array, dst: SampleArray, type: SampleType, index: number, stride: number, count: number): void {
  let i = index;
  if (type === 'f32') {
    for (let n = 0; n < count; n++, i += stride) dst[i] = values[n]!;
    return;
  }
  const [negative, positive, bias] = type === 'u8' ? [128, 127, 128] : type === 's16' ? [32768, 32767, 0] : [2147483648, 2147483647, 0];
  for (let n = 0; n < count; n++, i += stride) {
    let v = values[n]!;
    // NaN is silence; beyond full scale clips.
    // biome-ignore lint/suspicious/noSelfCompare: the NaN test, without a call in the sample loop.
    if (!(v === v)) v = 0;
    else if (v > 1) v = 1;
    else if (v < -1) v = -1;
    dst[i] = bias + Math.round(v < 0 ? v * negative : v * positive);
  }
}

/**
 * Converts `count` samples: `dst[dstIndex + n·dstStride] = convert(src[srcIndex + n·srcStride])`.
 * Strides let one call read or write one channel of interleaved data.
 */
export function convertSamples(
  src: SampleArray,
  srcType: SampleType,
  srcIndex: number,
  srcStride: number,
  dst: SampleArray,
  dstType: SampleType,
  dstIndex: number,
  dstStride: number,
  count: number,
): void {
  if (srcType === dstType) {
    if (srcStride === 1 && dstStride === 1) {
      (dst as Uint8Array).set((src as Uint8Array).subarray(srcIndex, srcIndex + count), dstIndex);
      return;
    }
    for (let n = 0, i = srcIndex, o = dstIndex; n < count; n++, i += srcStride, o += dstStride) dst[o] = src[i]!;
    return;
  }
  const values = scratchOf(count);
  decode(src, srcType, srcIndex, srcStride, count, values);
  encode(values, dst, dstType, dstIndex, dstStride, count);
}

/** Interleaved `channels`-channel samples to one array per channel (converting type on the way). */
export function deinterleave(
  src: SampleArray,
  srcType: SampleType,
  channels: number,
  frames: number,
  dst: SampleArray[],
  dstType: SampleType,
): void {
  for (let c = 0; c < channels; c++) convertSamples(src, srcType, c, channels, dst[c]!, dstType, 0, 1, frames);
}

/** One array per channel to interleaved samples (converting type on the way). */
export function interleave(src: readonly SampleArray[], srcType: SampleType, frames: number, dst: SampleArray, dstType: SampleType): void {
  const channels = src.length;
  for (let c = 0; c < channels; c++) convertSamples(src[c]!, srcType, 0, 1, dst, dstType, c, channels, frames);
}

/** Fills samples with silence: the bias value of the type (128 for u8, else 0). */
export function fillSilence(dst: SampleArray, type: SampleType, start = 0, end = dst.length): void {
  dst.fill(type === 'u8' ? 128 : 0, start, end);
}

/** How channels are mixed when their counts differ (Web Audio's ChannelInterpretation). */
export type ChannelInterpretation = 'speakers' | 'discrete';

const SQRT_HALF = Math.SQRT1_2;

/**
 * The mixing matrix `m[out][in]` of Web Audio § "Channel Up-Mixing and Down-Mixing" for speaker
 * layouts mono (1), stereo (2: L R), quad (4: L R SL SR) and 5.1 (6: L R C LFE SL SR); `undefined`
 * where the speakers rules do not apply and mixing is discrete.
 */
function speakersMatrix(inputs: number, outputs: number): readonly (readonly number[])[] | undefined {
  return SPEAKERS[`${inputs}>${outputs}`];
}

const S = SQRT_HALF;
/** The matrices of speakersMatrix, made once (a chunk of audio is mixed every 10 ms). */
const SPEAKERS: Readonly<Record<string, readonly (readonly number[])[]>> = {
  // Up-mixing.
  '1>2': [[1], [1]],
  '1>4': [[1], [1], [0], [0]],
  '1>6': [[0], [0], [1], [0], [0], [0]],
  '2>4': [[1, 0], [0, 1], [0, 0], [0, 0]],
  '2>6': [[1, 0], [0, 1], [0, 0], [0, 0], [0, 0], [0, 0]],
  '4>6': [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]],
  // Down-mixing.
  '2>1': [[0.5, 0.5]],
  '4>1': [[0.25, 0.25, 0.25, 0.25]],
  '6>1': [[S, S, 1, 0, 0.5, 0.5]],
  '4>2': [[0.5, 0, 0.5, 0], [0, 0.5, 0, 0.5]],
  '6>2': [[1, 0, S, 0, S, 0], [0, 1, S, 0, 0, S]],
  '6>4': [[1, 0, S, 0, 0, 0], [0, 1, S, 0, 0, 0], [0, 0, 0, 0, 1, 0], [0, 0, 0, 0, 0, 1]],
};

/**
 * Mixes planar float channels to `outputChannels` channels. With `'speakers'` (default) the Web
 * Audio rules apply for 1, 2, 4 and 6 channels (mono→stereo duplicates, stereo→mono averages, …);
 * any other pair of counts, and `'discrete'`, copies the channels both have and fills the rest with
 * silence. Equal counts copy. Writes into `output` when given (arrays of at least `frames`).
 */
export function mixChannels(
  input: readonly Float32Array[],
  outputChannels: number,
  output?: Float32Array[],
  interpretation: ChannelInterpretation = 'speakers',
): Float32Array[] {
  const frames = input[0]?.length ?? 0;
  const out = output ?? Array.from({ length: outputChannels }, () => new Float32Array(frames));
  const matrix = interpretation === 'speakers' ? speakersMatrix(input.length, outputChannels) : undefined;
  // The WebAssembly kernel computes the same bytes (see mix_channels in kernels.c).
  if (matrix && frames > 0 && wasmMix(input, out, frames, matrix)) return out;
  for (let o = 0; o < outputChannels; o++) {
    const dst = out[o]!;
    if (!matrix) {
      if (o < input.length) dst.set(input[o]!.subarray(0, frames));
      else dst.fill(0, 0, frames);
      continue;
    }
    dst.fill(0, 0, frames);
    const row = matrix[o]!;
    for (let i = 0; i < row.length; i++) {
      const gain = row[i]!;
      if (gain === 0) continue;
      const src = input[i]!;
      if (gain === 1) for (let n = 0; n < frames; n++) dst[n]! += src[n]!;
      else for (let n = 0; n < frames; n++) dst[n]! += gain * src[n]!;
    }
  }
  return out;
}
