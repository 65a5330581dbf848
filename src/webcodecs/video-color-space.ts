/**
 * `VideoColorSpace` (WebCodecs § 9.9-9.12,
 * https://w3c.github.io/webcodecs/#videocolorspace).
 * A description only: the pixel conversions that read it live in src/media/convert/color.ts.
 */
import { exposeInterface } from '../platform/interface.js';
import { converters } from '../webidl/index.js';
import type {
  ColorSpaceSlots,
  VideoColorPrimaries,
  VideoColorSpaceInit,
  VideoMatrixCoefficients,
  VideoTransferCharacteristics,
} from '../webidl/webcodecs.js';

export type { ColorSpaceSlots, VideoColorPrimaries, VideoColorSpaceInit, VideoMatrixCoefficients, VideoTransferCharacteristics };

/** The colour space of a frame's samples: primaries, transfer function, matrix, and range. */
export class VideoColorSpace {
  #primaries: VideoColorPrimaries | null;
  #transfer: VideoTransferCharacteristics | null;
  #matrix: VideoMatrixCoefficients | null;
  #fullRange: boolean | null;

  constructor(init: VideoColorSpaceInit = {}) {
    const c = converters.VideoColorSpaceInit(init, "Failed to construct 'VideoColorSpace': init");
    // 1.1.-1.4.
    this.#primaries = c.primaries;
    this.#transfer = c.transfer;
    this.#matrix = c.matrix;
    this.#fullRange = c.fullRange;
  }

  get primaries(): VideoColorPrimaries | null {
    return this.#primaries;
  }
  get transfer(): VideoTransferCharacteristics | null {
    return this.#transfer;
  }
  get matrix(): VideoMatrixCoefficients | null {
    return this.#matrix;
  }
  get fullRange(): boolean | null {
    return this.#fullRange;
  }

  /** `[Default] VideoColorSpaceInit toJSON()` */
  toJSON(): ColorSpaceSlots {
    return { primaries: this.#primaries, transfer: this.#transfer, matrix: this.#matrix, fullRange: this.#fullRange };
  }
}
exposeInterface(VideoColorSpace);

/** "the sRGB Color Space" */
export const SRGB_COLOR_SPACE: ColorSpaceSlots = { primaries: 'bt709', transfer: 'iec61966-2-1', matrix: 'rgb', fullRange: true };
/** "the REC709 Color Space" */
export const REC709_COLOR_SPACE: ColorSpaceSlots = { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', fullRange: false };
/** "the Display P3 Color Space" */
export const DISPLAY_P3_COLOR_SPACE: ColorSpaceSlots = { primaries: 'smpte432', transfer: 'iec61966-2-1', matrix: 'rgb', fullRange: true };
/** What camera frames usually are (BT.601, limited range): the pipeline's default for YUV frames it makes. */
export const REC601_COLOR_SPACE: ColorSpaceSlots = { primaries: 'smpte170m', transfer: 'smpte170m', matrix: 'smpte170m', fullRange: false };

/** The [[color space]] objects made so far, by the values they were made from. */
const colorSpaces = new WeakMap<object, VideoColorSpace>();

/**
 * A frame's [[color space]] object (`record` is its slots, shared with its clones): made at the
 * first read, once per record, so a frame and its clones give the same object; a frame made from
 * another frame holds that frame's object itself (Initialize Frame From Other Frame, step 7).
 */
export function colorSpaceObject(record: { readonly colorSpace: ColorSpaceSlots | VideoColorSpace }): VideoColorSpace {
  const value = record.colorSpace;
  if (value instanceof VideoColorSpace) return value;
  let made = colorSpaces.get(record);
  if (!made) colorSpaces.set(record, (made = new VideoColorSpace(value)));
  return made;
}

/** The constants above: already converted, taken as they are. */
const CONVERTED = new Set<VideoColorSpaceInit>([SRGB_COLOR_SPACE, REC709_COLOR_SPACE, DISPLAY_P3_COLOR_SPACE, REC601_COLOR_SPACE]);

/**
 * Pick Color Space (with overrideColorSpace and format), as the values of the VideoColorSpace it
 * returns: a frame makes that object when script first reads `colorSpace` (video-frame.ts), which
 * no script can tell from making it at once, and the media pipeline makes frames that no script
 * reads (a VideoColorSpace per frame was ~5 % of reading a 720p track).
 */
export function pickColorSpace(overrideColorSpace: VideoColorSpaceInit | undefined, rgb: boolean): ColorSpaceSlots {
  // 1. If overrideColorSpace is provided, return a new VideoColorSpace constructed with it.
  if (overrideColorSpace !== undefined) {
    return CONVERTED.has(overrideColorSpace) ? (overrideColorSpace as ColorSpaceSlots) : converters.VideoColorSpaceInit(overrideColorSpace, "Failed to construct 'VideoColorSpace': init");
  }
  // 2. Otherwise, if [[format]] is an RGB format return a new instance of the sRGB Color Space.
  if (rgb) return SRGB_COLOR_SPACE;
  // 3. Otherwise, return a new instance of the REC709 Color Space.
  return REC709_COLOR_SPACE;
}
