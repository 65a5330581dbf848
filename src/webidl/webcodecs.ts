/**
 * The dictionaries and enumerations of WebCodecs' raw media interfaces
 * (https://w3c.github.io/webcodecs/#raw-media-interfaces: `AudioData` § 9.2, `VideoFrame` § 9.4,
 * `PlaneLayout` § 9.7, `VideoPixelFormat` § 9.8, `VideoColorSpace` § 9.9): their types and converters.
 * The algorithms that validate converted values are in src/webcodecs/.
 */
import { toArrayBuffer, toBufferSource, type BufferSourceValue } from './buffer-source.js';
import {
  enumeration,
  nullable,
  sequence,
  toBoolean,
  toDouble,
  toEnforcedLongLong,
  toEnforcedUnsignedLong,
  toEnforcedUnsignedLongLong,
  toFloat,
  toLongLong,
  toUnsignedLongLong,
  typeError,
  isObject,
  type Converter,
} from './converters.js';
import { dictionary } from './dictionary.js';
import { DOMRectInit, type Rect } from './geometry.js';

// Enumerations.

/** The `VideoPixelFormat` enumeration, in IDL order. */
export const VIDEO_PIXEL_FORMATS = [
  'I420', 'I420P10', 'I420P12',
  'I420A', 'I420AP10', 'I420AP12',
  'I422', 'I422P10', 'I422P12',
  'I422A', 'I422AP10', 'I422AP12',
  'I444', 'I444P10', 'I444P12',
  'I444A', 'I444AP10', 'I444AP12',
  'NV12',
  'RGBA', 'RGBX', 'BGRA', 'BGRX',
] as const;
/** `enum VideoPixelFormat`. */
export type VideoPixelFormat = (typeof VIDEO_PIXEL_FORMATS)[number];
/** The converter of `VideoPixelFormat`. */
export const VideoPixelFormat = enumeration<VideoPixelFormat>('VideoPixelFormat', VIDEO_PIXEL_FORMATS);

/** The `AudioSampleFormat` enumeration, in IDL order. */
export const AUDIO_SAMPLE_FORMATS = ['u8', 's16', 's32', 'f32', 'u8-planar', 's16-planar', 's32-planar', 'f32-planar'] as const;
/** `enum AudioSampleFormat`. */
export type AudioSampleFormat = (typeof AUDIO_SAMPLE_FORMATS)[number];
/** The converter of `AudioSampleFormat`. */
export const AudioSampleFormat = enumeration<AudioSampleFormat>('AudioSampleFormat', AUDIO_SAMPLE_FORMATS);

/** `enum VideoColorPrimaries`. */
export type VideoColorPrimaries = 'bt709' | 'bt470bg' | 'smpte170m' | 'bt2020' | 'smpte432';
/** The converter of `VideoColorPrimaries`. */
export const VideoColorPrimaries = enumeration<VideoColorPrimaries>('VideoColorPrimaries', ['bt709', 'bt470bg', 'smpte170m', 'bt2020', 'smpte432']);

/** `enum VideoTransferCharacteristics`. */
export type VideoTransferCharacteristics = 'bt709' | 'smpte170m' | 'iec61966-2-1' | 'linear' | 'pq' | 'hlg';
/** The converter of `VideoTransferCharacteristics`. */
export const VideoTransferCharacteristics = enumeration<VideoTransferCharacteristics>('VideoTransferCharacteristics', [
  'bt709', 'smpte170m', 'iec61966-2-1', 'linear', 'pq', 'hlg',
]);

/** `enum VideoMatrixCoefficients`. */
export type VideoMatrixCoefficients = 'rgb' | 'bt709' | 'bt470bg' | 'smpte170m' | 'bt2020-ncl';
/** The converter of `VideoMatrixCoefficients`. */
export const VideoMatrixCoefficients = enumeration<VideoMatrixCoefficients>('VideoMatrixCoefficients', ['rgb', 'bt709', 'bt470bg', 'smpte170m', 'bt2020-ncl']);

/** `enum AlphaOption`. */
export type AlphaOption = 'keep' | 'discard';
/** The converter of `AlphaOption`. */
export const AlphaOption = enumeration<AlphaOption>('AlphaOption', ['keep', 'discard']);

/** `enum PredefinedColorSpace` (HTML). */
export type PredefinedColorSpace = 'srgb' | 'display-p3';
/** The converter of `PredefinedColorSpace`. */
export const PredefinedColorSpace = enumeration<PredefinedColorSpace>('PredefinedColorSpace', ['srgb', 'display-p3']);

// PlaneLayout, VideoColorSpaceInit, VideoFrameMetadata.

/** `dictionary PlaneLayout`. */
export interface PlaneLayout {
  offset: number;
  stride: number;
}

/** `dictionary PlaneLayout { [EnforceRange] required unsigned long offset; [EnforceRange] required unsigned long stride; }` */
export const PlaneLayout = dictionary<PlaneLayout>('PlaneLayout', {
  offset: { type: toEnforcedUnsignedLong, required: true },
  stride: { type: toEnforcedUnsignedLong, required: true },
});

/** `dictionary VideoColorSpaceInit` as script passes it: every member nullable, default null. */
export interface VideoColorSpaceInit {
  primaries?: VideoColorPrimaries | null;
  transfer?: VideoTransferCharacteristics | null;
  matrix?: VideoMatrixCoefficients | null;
  fullRange?: boolean | null;
}

/** A converted `VideoColorSpaceInit`: every member present (null when not given). */
export interface ColorSpaceSlots {
  primaries: VideoColorPrimaries | null;
  transfer: VideoTransferCharacteristics | null;
  matrix: VideoMatrixCoefficients | null;
  fullRange: boolean | null;
}

/**
 * `dictionary VideoColorSpaceInit { VideoColorPrimaries? primaries = null; VideoTransferCharacteristics?
 * transfer = null; VideoMatrixCoefficients? matrix = null; boolean? fullRange = null; }`
 */
export const VideoColorSpaceInit = dictionary<ColorSpaceSlots>('VideoColorSpaceInit', {
  fullRange: { type: nullable(toBoolean), default: null },
  matrix: { type: nullable(VideoMatrixCoefficients), default: null },
  primaries: { type: nullable(VideoColorPrimaries), default: null },
  transfer: { type: nullable(VideoTransferCharacteristics), default: null },
});

/**
 * `dictionary VideoFrameMetadata`: members are listed in the VideoFrame Metadata Registry (and
 * extended by mediacapture-extensions: captureTime, receiveTime, rtpTimestamp, segments,
 * backgroundBlur, …). All of them are serializable.
 */
export type VideoFrameMetadata = Record<string, unknown>;

/**
 * The converter of `VideoFrameMetadata`. Its members are those of the registry, an open list, so
 * it is not made by the dictionary helper: the object's own enumerable members are copied (the
 * constructors copy them again with StructuredSerialize, "Copy VideoFrame metadata").
 */
export const VideoFrameMetadata: Converter<VideoFrameMetadata> = (value, context) => {
  if (value !== undefined && value !== null && !isObject(value)) {
    throw typeError(context, 'is not an object, so it cannot be converted to a VideoFrameMetadata dictionary.');
  }
  return { ...(value as object | null | undefined) };
};

// VideoFrame.

/** `dictionary VideoFrameBufferInit` as script passes it. */
export interface VideoFrameBufferInit {
  format: VideoPixelFormat;
  codedWidth: number;
  codedHeight: number;
  timestamp: number;
  duration?: number;
  layout?: PlaneLayout[];
  visibleRect?: DOMRectInit;
  rotation?: number;
  flip?: boolean;
  displayWidth?: number;
  displayHeight?: number;
  colorSpace?: VideoColorSpaceInit;
  transfer?: ArrayBuffer[];
  metadata?: VideoFrameMetadata;
}

/** A converted `VideoFrameBufferInit`. */
export interface ConvertedVideoFrameBufferInit {
  codedHeight: number;
  codedWidth: number;
  colorSpace?: ColorSpaceSlots;
  displayHeight?: number;
  displayWidth?: number;
  duration?: number;
  flip: boolean;
  format: VideoPixelFormat;
  layout?: PlaneLayout[];
  metadata?: VideoFrameMetadata;
  rotation: number;
  timestamp: number;
  transfer: ArrayBuffer[];
  visibleRect?: Rect;
}

/** `dictionary VideoFrameBufferInit` (§ 9.4.2). */
export const VideoFrameBufferInit = dictionary<ConvertedVideoFrameBufferInit>('VideoFrameBufferInit', {
  codedHeight: { type: toEnforcedUnsignedLong, required: true },
  codedWidth: { type: toEnforcedUnsignedLong, required: true },
  colorSpace: { type: VideoColorSpaceInit },
  displayHeight: { type: toEnforcedUnsignedLong },
  displayWidth: { type: toEnforcedUnsignedLong },
  duration: { type: toEnforcedUnsignedLongLong },
  flip: { type: toBoolean, default: false },
  format: { type: VideoPixelFormat, required: true },
  layout: { type: sequence(PlaneLayout) },
  metadata: { type: VideoFrameMetadata },
  rotation: { type: toDouble, default: 0 },
  timestamp: { type: toEnforcedLongLong, required: true },
  transfer: { type: sequence(toArrayBuffer), default: [] },
  visibleRect: { type: DOMRectInit },
});

/** `dictionary VideoFrameInit` as script passes it. */
export interface VideoFrameInit {
  duration?: number;
  timestamp?: number;
  alpha?: AlphaOption;
  visibleRect?: DOMRectInit;
  rotation?: number;
  flip?: boolean;
  displayWidth?: number;
  displayHeight?: number;
  metadata?: VideoFrameMetadata;
}

/** A converted `VideoFrameInit`. */
export interface ConvertedVideoFrameInit {
  alpha: AlphaOption;
  displayHeight?: number;
  displayWidth?: number;
  duration?: number;
  flip: boolean;
  metadata?: VideoFrameMetadata;
  rotation: number;
  timestamp?: number;
  visibleRect?: Rect;
}

/** `dictionary VideoFrameInit` (§ 9.4.2). */
export const VideoFrameInit = dictionary<ConvertedVideoFrameInit>('VideoFrameInit', {
  alpha: { type: AlphaOption, default: 'keep' },
  displayHeight: { type: toEnforcedUnsignedLong },
  displayWidth: { type: toEnforcedUnsignedLong },
  duration: { type: toUnsignedLongLong },
  flip: { type: toBoolean, default: false },
  metadata: { type: VideoFrameMetadata },
  rotation: { type: toDouble, default: 0 },
  timestamp: { type: toLongLong },
  visibleRect: { type: DOMRectInit },
});

/** `dictionary VideoFrameCopyToOptions` as script passes it. */
export interface VideoFrameCopyToOptions {
  rect?: DOMRectInit;
  layout?: PlaneLayout[];
  format?: VideoPixelFormat;
  colorSpace?: PredefinedColorSpace;
}

/** A converted `VideoFrameCopyToOptions`. */
export interface ConvertedVideoFrameCopyToOptions {
  colorSpace?: PredefinedColorSpace;
  format?: VideoPixelFormat;
  layout?: PlaneLayout[];
  rect?: Rect;
}

/** `dictionary VideoFrameCopyToOptions { DOMRectInit rect; sequence<PlaneLayout> layout; VideoPixelFormat format; PredefinedColorSpace colorSpace; }` */
export const VideoFrameCopyToOptions = dictionary<ConvertedVideoFrameCopyToOptions>('VideoFrameCopyToOptions', {
  colorSpace: { type: PredefinedColorSpace },
  format: { type: VideoPixelFormat },
  layout: { type: sequence(PlaneLayout) },
  rect: { type: DOMRectInit },
});

// AudioData.

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

/** A converted `AudioDataInit`: `data` is the buffer or view itself. */
export interface ConvertedAudioDataInit {
  data: BufferSourceValue;
  format: AudioSampleFormat;
  numberOfChannels: number;
  numberOfFrames: number;
  sampleRate: number;
  timestamp: number;
  transfer: ArrayBuffer[];
}

/** `dictionary AudioDataInit` (§ 9.2.2). */
export const AudioDataInit = dictionary<ConvertedAudioDataInit>('AudioDataInit', {
  data: { type: toBufferSource, required: true },
  format: { type: AudioSampleFormat, required: true },
  numberOfChannels: { type: toEnforcedUnsignedLong, required: true },
  numberOfFrames: { type: toEnforcedUnsignedLong, required: true },
  sampleRate: { type: toFloat, required: true },
  timestamp: { type: toEnforcedLongLong, required: true },
  transfer: { type: sequence(toArrayBuffer), default: [] },
});

/** `dictionary AudioDataCopyToOptions` as script passes it. */
export interface AudioDataCopyToOptions {
  planeIndex: number;
  frameOffset?: number;
  frameCount?: number;
  format?: AudioSampleFormat;
}

/** A converted `AudioDataCopyToOptions`. */
export interface ConvertedAudioDataCopyToOptions {
  format?: AudioSampleFormat;
  frameCount?: number;
  frameOffset: number;
  planeIndex: number;
}

/**
 * `dictionary AudioDataCopyToOptions { [EnforceRange] required unsigned long planeIndex;
 * [EnforceRange] unsigned long frameOffset = 0; [EnforceRange] unsigned long frameCount; AudioSampleFormat format; }`
 */
export const AudioDataCopyToOptions = dictionary<ConvertedAudioDataCopyToOptions>('AudioDataCopyToOptions', {
  format: { type: AudioSampleFormat },
  frameCount: { type: toEnforcedUnsignedLong },
  frameOffset: { type: toEnforcedUnsignedLong, default: 0 },
  planeIndex: { type: toEnforcedUnsignedLong, required: true },
});
