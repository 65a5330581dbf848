/**
 * The WebCodecs raw media interfaces: `VideoFrame`, `AudioData`, `VideoColorSpace` (and the
 * `DOMRectReadOnly` their rectangles are). Package-internal helpers are in ./internal.ts, not here.
 *
 * Interop: this module never touches `globalThis`. If the runtime (a future Node, or a polyfill
 * loaded first) already has `VideoFrame` / `AudioData`, they are left alone; our classes are still
 * exported under their names, and also as `VideoFrameImpl` / `AudioDataImpl`. The globals installer
 * decides what to install: `preexisting.VideoFrame` / `preexisting.AudioData` tell it what was
 * there when this module loaded. Our pipeline produces our classes; frames of a foreign class are
 * not readable by it (their pixels are behind another implementation's slots).
 */
import { AudioData } from './audio-data.js';
import { VideoFrame } from './video-frame.js';

export { AudioData } from './audio-data.js';
export { VideoFrame } from './video-frame.js';
export { VideoColorSpace } from './video-color-space.js';
export { DOMRectReadOnly } from './rect.js';

export type { AudioDataInit, AudioDataCopyToOptions, AudioSampleFormat } from './audio-data.js';
export type {
  AllowSharedBufferSource,
  CanvasImageSource,
  PlaneLayout,
  VideoFrameBufferInit,
  VideoFrameCopyToOptions,
  VideoFrameInit,
  VideoFrameMetadata,
  VideoPixelFormat,
} from './video-frame.js';
export type { AlphaOption, PredefinedColorSpace } from './video-frame-init.js';
export type { VideoColorPrimaries, VideoColorSpaceInit, VideoMatrixCoefficients, VideoTransferCharacteristics } from './video-color-space.js';
export type { DOMRectInit } from './rect.js';

/** Our `VideoFrame`, whatever the global one is. */
export const VideoFrameImpl = VideoFrame;
/** Our `AudioData`, whatever the global one is. */
export const AudioDataImpl = AudioData;

/** The `VideoFrame` and `AudioData` that were on `globalThis` when this module loaded (undefined when none). */
export const preexisting: { readonly VideoFrame: unknown; readonly AudioData: unknown } = Object.freeze({
  VideoFrame: (globalThis as { VideoFrame?: unknown }).VideoFrame,
  AudioData: (globalThis as { AudioData?: unknown }).AudioData,
});
