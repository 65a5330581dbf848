/**
 * The algorithms of the `AudioData` dictionaries (WebCodecs § 9.2, § 9.2.7): "check if a
 * AudioDataInit is a valid AudioDataInit", "Compute Copy Element Count", and the copy of
 * `AudioData.copyTo()` step 9 with its sample-format conversion. The dictionaries' types and
 * converters are in src/webidl/webcodecs.ts.
 */
import { convertSamples, sampleView } from '../media/convert/audio.js';
import { toBufferSourceBytes } from '../webidl/buffer-source.js';
import { converters } from '../webidl/index.js';
import type { AudioSampleFormat, ConvertedAudioDataCopyToOptions } from '../webidl/webcodecs.js';
import { bytesPerSample, isPlanar, sampleTypeOf } from './audio-sample-format.js';

export type { AudioDataCopyToOptions, AudioDataInit } from '../webidl/webcodecs.js';

/** A converted AudioDataInit, with `data` a view on the caller's bytes and `dataSource` the buffer or view given. */
export interface ConvertedAudioDataInit {
  data: Uint8Array;
  dataSource: unknown;
  format: AudioSampleFormat;
  numberOfChannels: number;
  numberOfFrames: number;
  sampleRate: number;
  timestamp: number;
  transfer: ArrayBuffer[];
}

/** The AudioDataInit dictionary converted, and a view on its `data`'s bytes (no copy). */
export function toAudioDataInit(value: unknown, context: string): ConvertedAudioDataInit {
  const init = converters.AudioDataInit(value, context);
  return { ...init, data: toBufferSourceBytes(init.data, `${context}.data`, false), dataSource: init.data };
}

/** "To check if a AudioDataInit is a valid AudioDataInit"; throws the TypeError the constructor would. */
export function checkValidAudioDataInit(init: ConvertedAudioDataInit): void {
  // 1. If sampleRate less than or equal to 0, return false.
  if (init.sampleRate <= 0) throw new TypeError(`AudioData: sampleRate must be greater than 0 (got ${init.sampleRate}).`);
  // 2. If numberOfFrames = 0, return false.
  if (init.numberOfFrames === 0) throw new TypeError('AudioData: numberOfFrames must be greater than 0.');
  // 3. If numberOfChannels = 0, return false.
  if (init.numberOfChannels === 0) throw new TypeError('AudioData: numberOfChannels must be greater than 0.');
  // 4. Verify data has enough data.
  const totalSize = init.numberOfFrames * init.numberOfChannels * bytesPerSample(init.format);
  if (init.data.byteLength < totalSize) {
    throw new TypeError(`AudioData: data has ${init.data.byteLength} bytes, but ${init.numberOfFrames} frames × ${init.numberOfChannels} channels of ${init.format} need ${totalSize}.`);
  }
}

/** The parts of an AudioData the copy algorithms read. */
export interface AudioDataShape {
  format: AudioSampleFormat;
  numberOfFrames: number;
  numberOfChannels: number;
}

/** Compute Copy Element Count (with options): returns [elementCount, copyFrameCount, destFormat]. */
export function computeCopyElementCount(data: AudioDataShape, options: ConvertedAudioDataCopyToOptions): [number, number, AudioSampleFormat] {
  // 1.-2. Let destFormat be [[format]], or options.format if it exists.
  const destFormat = options.format ?? data.format;
  // 3. If destFormat is interleaved and options.planeIndex is greater than 0, throw a RangeError.
  if (!isPlanar(destFormat) && options.planeIndex > 0) {
    throw new RangeError(`AudioData.copyTo: planeIndex ${options.planeIndex} is out of range: ${destFormat} is interleaved and has only plane 0.`);
  }
  // 4. Otherwise, if destFormat is planar and options.planeIndex >= [[number of channels]], throw a RangeError.
  if (isPlanar(destFormat) && options.planeIndex >= data.numberOfChannels) {
    throw new RangeError(`AudioData.copyTo: planeIndex ${options.planeIndex} is out of range: there are ${data.numberOfChannels} channel plane(s).`);
  }
  // 5. Every conversion between AudioSampleFormats is supported here.
  // 6. Let frameCount be the number of frames in the plane identified by options.planeIndex.
  const frameCount = data.numberOfFrames;
  // 7. If options.frameOffset is greater than or equal to frameCount, throw a RangeError.
  if (options.frameOffset >= frameCount) {
    throw new RangeError(`AudioData.copyTo: frameOffset ${options.frameOffset} is not less than the ${frameCount} frames.`);
  }
  // 8. Let copyFrameCount be frameCount - options.frameOffset.
  let copyFrameCount = frameCount - options.frameOffset;
  // 9. If options.frameCount exists: greater than copyFrameCount is a RangeError; otherwise use it.
  if (options.frameCount !== undefined) {
    if (options.frameCount > copyFrameCount) {
      throw new RangeError(`AudioData.copyTo: frameCount ${options.frameCount} is more than the ${copyFrameCount} frames from frameOffset ${options.frameOffset}.`);
    }
    copyFrameCount = options.frameCount;
  }
  // 10.-11. elementCount is copyFrameCount, times [[number of channels]] for an interleaved destFormat.
  const elementCount = isPlanar(destFormat) ? copyFrameCount : copyFrameCount * data.numberOfChannels;
  // 12.
  return [elementCount, copyFrameCount, destFormat];
}

/**
 * copyTo() step 9: copies the frames of plane `planeIndex` from `frameOffset` into `destination`,
 * converting to `destFormat`. From interleaved to planar this picks one channel; from planar to
 * interleaved (plane 0) it interleaves every channel.
 */
export function copyAudioPlane(
  source: Uint8Array,
  data: AudioDataShape,
  destination: Uint8Array,
  destFormat: AudioSampleFormat,
  planeIndex: number,
  frameOffset: number,
  frames: number,
): void {
  const channels = data.numberOfChannels;
  const srcType = sampleTypeOf(data.format);
  const dstType = sampleTypeOf(destFormat);
  const dstBytes = bytesPerSample(destFormat);
  const elements = isPlanar(destFormat) ? frames : frames * channels;
  // Typed arrays need aligned offsets; an unaligned destination is written through a copy.
  const aligned = destination.byteOffset % dstBytes === 0;
  const target = aligned ? destination : new Uint8Array(elements * dstBytes);
  const dst = sampleView(target, dstType, 0, elements);
  const src = sampleView(source, srcType, 0, data.numberOfFrames * channels);
  const frames0 = data.numberOfFrames;
  if (isPlanar(data.format) && isPlanar(destFormat)) {
    convertSamples(src, srcType, planeIndex * frames0 + frameOffset, 1, dst, dstType, 0, 1, frames);
  } else if (!isPlanar(data.format) && !isPlanar(destFormat)) {
    convertSamples(src, srcType, frameOffset * channels, 1, dst, dstType, 0, 1, frames * channels);
  } else if (!isPlanar(data.format)) {
    convertSamples(src, srcType, frameOffset * channels + planeIndex, channels, dst, dstType, 0, 1, frames);
  } else {
    for (let c = 0; c < channels; c++) convertSamples(src, srcType, c * frames0 + frameOffset, 1, dst, dstType, c, channels, frames);
  }
  if (!aligned) destination.set(target);
}
