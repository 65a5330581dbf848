/**
 * The dictionaries and enumerations of MediaStream Recording
 * (https://w3c.github.io/mediacapture-record/#mediarecorderoptions-section §2.5–§2.7,
 * https://w3c.github.io/mediacapture-record/#blobeventinit §3.3).
 */
import { enumeration, toDOMString, toDouble, toUnsignedLong } from './converters.js';
import { dictionary } from './dictionary.js';
import { EventInit, type ConvertedEventInit } from './events.js';
import { interfaceType } from './interface-types.js';

/** `enum BitrateMode` (§2.6). */
export type BitrateMode = 'constant' | 'variable';
/** The converter of `BitrateMode`. */
export const BitrateMode = enumeration<BitrateMode>('BitrateMode', ['constant', 'variable']);

/** `enum RecordingState` (§2.7). */
export type RecordingState = 'inactive' | 'recording' | 'paused';

/** `MediaRecorderOptions` (§2.5) as script passes it. */
export interface MediaRecorderOptions {
  mimeType?: string;
  audioBitsPerSecond?: number;
  videoBitsPerSecond?: number;
  bitsPerSecond?: number;
  audioBitrateMode?: BitrateMode;
  videoKeyFrameIntervalDuration?: number;
  videoKeyFrameIntervalCount?: number;
}

/** A converted `MediaRecorderOptions`: `mimeType` and `audioBitrateMode` have their defaults. */
export interface ConvertedMediaRecorderOptions {
  audioBitrateMode: BitrateMode;
  audioBitsPerSecond?: number;
  bitsPerSecond?: number;
  mimeType: string;
  videoBitsPerSecond?: number;
  videoKeyFrameIntervalCount?: number;
  videoKeyFrameIntervalDuration?: number;
}

/**
 * `dictionary MediaRecorderOptions { DOMString mimeType = ""; unsigned long audioBitsPerSecond;
 * unsigned long videoBitsPerSecond; unsigned long bitsPerSecond; BitrateMode audioBitrateMode =
 * "variable"; DOMHighResTimeStamp videoKeyFrameIntervalDuration; unsigned long
 * videoKeyFrameIntervalCount; }`
 */
export const MediaRecorderOptions = dictionary<ConvertedMediaRecorderOptions>('MediaRecorderOptions', {
  audioBitrateMode: { type: BitrateMode, default: 'variable' },
  audioBitsPerSecond: { type: toUnsignedLong },
  bitsPerSecond: { type: toUnsignedLong },
  mimeType: { type: toDOMString, default: '' },
  videoBitsPerSecond: { type: toUnsignedLong },
  videoKeyFrameIntervalCount: { type: toUnsignedLong },
  videoKeyFrameIntervalDuration: { type: toDouble },
});

/** `BlobEventInit` (§3.3) as script passes it. */
export interface BlobEventInit extends EventInit {
  data: Blob;
  timecode?: number;
}

/** A converted `BlobEventInit`. */
export interface ConvertedBlobEventInit extends ConvertedEventInit {
  data: Blob;
  timecode: number;
}

/**
 * `dictionary BlobEventInit : EventInit { required Blob data; DOMHighResTimeStamp timecode; }`.
 * An absent `timecode` is 0, as in browsers.
 */
export const BlobEventInit = dictionary<ConvertedBlobEventInit, ConvertedEventInit>('BlobEventInit', EventInit, {
  data: { type: interfaceType('Blob'), required: true },
  timecode: { type: toDouble, default: 0 },
});
