/**
 * `AudioSampleFormat` (WebCodecs § 9.3 "Audio Sample Format",
 * https://w3c.github.io/webcodecs/#audio-sample-formats): each format is
 * a sample type (u8, s16, s32, f32) and an arrangement (interleaved or planar).
 */
import { BYTES_PER_SAMPLE, type SampleType } from '../media/convert/audio.js';
import type { AudioSampleFormat } from '../webidl/webcodecs.js';

/** `enum AudioSampleFormat` (its values and converter are in src/webidl/webcodecs.ts). */
export type { AudioSampleFormat };

/** True when `format` describes a planar arrangement (one plane per channel). */
export function isPlanar(format: AudioSampleFormat): boolean {
  return format.endsWith('-planar');
}

/** The sample type of a format, without its arrangement. */
export function sampleTypeOf(format: AudioSampleFormat): SampleType {
  return format.replace('-planar', '') as SampleType;
}

/** "the number of bytes per sample, as defined by the format" */
export function bytesPerSample(format: AudioSampleFormat): number {
  return BYTES_PER_SAMPLE[sampleTypeOf(format)];
}
