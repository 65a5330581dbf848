/**
 * What the main thread asks the scaling thread (scale-worker.ts) to do: crop-and-scale one I420
 * frame that lies on a SharedArrayBuffer into an I420 buffer on another. Plain data, so that it
 * can be posted; the pixels are not copied, only the buffers' handles are.
 */
import type { Region } from './pyramid.js';

/** Where one I420 image lies in a shared buffer. */
export interface SharedI420 {
  readonly buffer: SharedArrayBuffer;
  /** Of the image's bytes in `buffer`. */
  readonly byteOffset: number;
  readonly byteLength: number;
  readonly width: number;
  readonly height: number;
  /** Offset (from byteOffset) and stride of the Y, U and V planes. */
  readonly planes: readonly { readonly offset: number; readonly stride: number }[];
}

export interface ScaleJob {
  readonly id: number;
  /**
   * Names the source frame: jobs for one frame (one per size) share it, so the scaling thread
   * makes the frame's half- and quarter-size copies once (pyramid.ts), as the main thread does.
   */
  readonly frameKey: number;
  readonly source: SharedI420;
  /** The crop, in source pixels. */
  readonly crop: Region;
  /** Tightly packed, `width` × `height`. */
  readonly destination: SharedI420;
}
