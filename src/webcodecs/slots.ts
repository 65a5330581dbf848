/**
 * The one narrow door between the IDL classes and package-internal code. `VideoFrame` and
 * `AudioData` fill these hooks in their static blocks (they alone can read and write their `#slots`);
 * internal.ts wraps them in typed functions for the media pipeline. Nothing here is exported from
 * the package entry point.
 */
import type { AudioData } from './audio-data.js';
import type { AudioSampleFormat } from './audio-sample-format.js';
import type { PlaneLayout } from './layout.js';
import type { MediaResource } from './media-resource.js';
import type { ColorSpaceSlots, VideoColorSpace } from './video-color-space.js';
import type { VideoFrame } from './video-frame.js';
import type { VideoPixelFormat } from './video-pixel-format.js';

/** A video media resource: bytes plus where each plane of the coded image lies in them. */
export interface VideoResource {
  readonly resource: MediaResource;
  /** Offset and stride of each plane of `format`, in `resource.data`. */
  readonly planes: readonly PlaneLayout[];
}

/**
 * Every internal slot of a VideoFrame (§ 9.4.1) except `[[Detached]]`. A frame and its clones share
 * one such record: never change it (make a new one).
 */
export interface VideoFrameSlots {
  readonly resourceReference: VideoResource;
  readonly format: VideoPixelFormat;
  readonly codedWidth: number;
  readonly codedHeight: number;
  readonly visibleLeft: number;
  readonly visibleTop: number;
  readonly visibleWidth: number;
  readonly visibleHeight: number;
  readonly rotation: number;
  readonly flip: boolean;
  readonly displayWidth: number;
  readonly displayHeight: number;
  readonly duration: number | null;
  readonly timestamp: number;
  /**
   * [[color space]]: its values, the VideoColorSpace object being made when script first reads it
   * (`colorSpaceObject`), or that object where it exists already.
   */
  readonly colorSpace: ColorSpaceSlots | VideoColorSpace;
  readonly metadata: Record<string, unknown>;
}

/** Every internal slot of an AudioData (§ 9.2.1) except `[[Detached]]`. */
export interface AudioDataSlots {
  resourceReference: MediaResource;
  format: AudioSampleFormat;
  sampleRate: number;
  numberOfFrames: number;
  numberOfChannels: number;
  timestamp: number;
}

export interface SlotAccess<T, S> {
  /** A new object with these slots; takes ownership of one reference to the resource. */
  create(slots: S): T;
  /** The slots of a live object; null once it is closed (detached). */
  read(object: T): S | null;
}

/** Filled by video-frame.ts when it loads. */
export const videoFrameSlots = {} as SlotAccess<VideoFrame, VideoFrameSlots>;
/** Filled by audio-data.ts when it loads. */
export const audioDataSlots = {} as SlotAccess<AudioData, AudioDataSlots>;
