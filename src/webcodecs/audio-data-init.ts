/**
 * WebIDL conversion of the `AudioData` dictionaries (WebCodecs § 9.2, § 9.2.7), and the copy of
 * `AudioData.copyTo()` step 9 with its sample-format conversion.
 */
import { convertSamples, sampleView } from '../media/convert/audio.js';
import { dictionaryObject, toDouble, toEnforcedInteger, toEnum, typeError } from '../webidl/converters.js';
import { AUDIO_SAMPLE_FORMATS, bytesPerSample, isPlanar, sampleTypeOf, type AudioSampleFormat } from './audio-sample-format.js';
import { toBufferSourceBytes, toTransferList } from './buffers.js';

const MAX_UNSIGNED_LONG = 0xffff_ffff;

/** `dictionary AudioDataInit` as script passes it. */
export interface AudioDataInit {
  format: AudioSampleFormat;
  sampleRate: number;
  numberOfFrames: number;
  numberOfChannels: number;
  timestamp: number;
  data: ArrayBuffer | ArrayBufferView;
  transfer?: ArrayBuffer[];
}

/** `dictionary AudioDataCopyToOptions`. */
export interface AudioDataCopyToOptions {
  planeIndex: number;
  frameOffset?: number;
  frameCount?: number;
  format?: AudioSampleFormat;
}

/** A converted AudioDataInit: `data` is a view on the caller's bytes, `dataSource` the original value. */
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

function required(dict: Record<string, unknown> | undefined, member: string, context: string): unknown {
  const value = dict?.[member];
  if (value === undefined) throw typeError(`${context}.${member}`, 'is required.');
  return value;
}

/** AudioDataInit, members in WebIDL order (data, format, numberOfChannels, numberOfFrames, sampleRate, timestamp, transfer). */
export function toAudioDataInit(value: unknown, context: string): ConvertedAudioDataInit {
  const dict = dictionaryObject(value, context);
  const dataSource = required(dict, 'data', context);
  const data = toBufferSourceBytes(dataSource, `${context}.data`, false);
  const format = toEnum(required(dict, 'format', context), AUDIO_SAMPLE_FORMATS, `${context}.format`, 'AudioSampleFormat');
  const numberOfChannels = toEnforcedInteger(required(dict, 'numberOfChannels', context), `${context}.numberOfChannels`, 0, MAX_UNSIGNED_LONG);
  const numberOfFrames = toEnforcedInteger(required(dict, 'numberOfFrames', context), `${context}.numberOfFrames`, 0, MAX_UNSIGNED_LONG);
  const sampleRate = Math.fround(toDouble(required(dict, 'sampleRate', context), `${context}.sampleRate`));
  const timestamp = toEnforcedInteger(required(dict, 'timestamp', context), `${context}.timestamp`, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const transfer = dict?.transfer === undefined ? [] : toTransferList(dict.transfer, `${context}.transfer`);
  return { data, dataSource, format, numberOfChannels, numberOfFrames, sampleRate, timestamp, transfer };
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

/** A converted AudioDataCopyToOptions. */
export interface ConvertedCopyToOptions {
  format: AudioSampleFormat | undefined;
  frameCount: number | undefined;
  frameOffset: number;
  planeIndex: number;
}

/** AudioDataCopyToOptions, members in WebIDL order (format, frameCount, frameOffset, planeIndex). */
export function toAudioDataCopyToOptions(value: unknown, context: string): ConvertedCopyToOptions {
  const dict = dictionaryObject(value, context);
  const format = dict?.format === undefined ? undefined : toEnum(dict.format, AUDIO_SAMPLE_FORMATS, `${context}.format`, 'AudioSampleFormat');
  const frameCount = dict?.frameCount === undefined ? undefined : toEnforcedInteger(dict.frameCount, `${context}.frameCount`, 0, MAX_UNSIGNED_LONG);
  const frameOffset = dict?.frameOffset === undefined ? 0 : toEnforcedInteger(dict.frameOffset, `${context}.frameOffset`, 0, MAX_UNSIGNED_LONG);
  const planeIndex = toEnforcedInteger(required(dict, 'planeIndex', context), `${context}.planeIndex`, 0, MAX_UNSIGNED_LONG);
  return { format, frameCount, frameOffset, planeIndex };
}

/** The parts of an AudioData the copy algorithms read. */
export interface AudioDataShape {
  format: AudioSampleFormat;
  numberOfFrames: number;
  numberOfChannels: number;
}

/** Compute Copy Element Count (with options): returns [elementCount, copyFrameCount, destFormat]. */
export function computeCopyElementCount(data: AudioDataShape, options: ConvertedCopyToOptions): [number, number, AudioSampleFormat] {
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
