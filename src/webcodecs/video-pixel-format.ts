/**
 * `VideoPixelFormat` (WebCodecs § 9.8 "Pixel Format",
 * https://w3c.github.io/webcodecs/#pixel-format): for each format, its
 * planes in order, with the bytes per sample and the sub-sampling factors that "Compute Layout and
 * Allocation Size" and "Verify Rect Offset Alignment" read.
 */
import type { VideoPixelFormat } from '../webidl/webcodecs.js';

/** `enum VideoPixelFormat` (its values and converter are in src/webidl/webcodecs.ts). */
export type { VideoPixelFormat };

/** The formats `copyTo()` can convert to ("Parse VideoFrameCopyToOptions" step 10). */
export const RGB_FORMATS = ['RGBA', 'RGBX', 'BGRA', 'BGRX'] as const;
export type RGBPixelFormat = (typeof RGB_FORMATS)[number];

/** One plane of a format. */
export interface PlaneDescription {
  /** Bytes of one element: 1 or 2 for a Y/U/V/A sample, 2 for an NV12 UV pair, 4 for an RGBA pixel. */
  readonly sampleBytes: number;
  /** "the horizontal sub-sampling factor of each subsample for plane" */
  readonly sampleWidth: number;
  /** "the vertical sub-sampling factor of each subsample for plane" */
  readonly sampleHeight: number;
}

/** What the pixel format sections say about a format. */
export interface PixelFormatDescription {
  readonly planes: readonly PlaneDescription[];
  /** The format's "equivalent opaque format" (itself when it has no alpha). */
  readonly opaque: VideoPixelFormat;
  /** Bits per sample: 8, 10 or 12 (10 and 12 are stored in 16-bit little-endian integers). */
  readonly bitDepth: 8 | 10 | 12;
  /** True for RGBA, RGBX, BGRA, BGRX. */
  readonly rgb: boolean;
  readonly alpha: boolean;
}

function yuv(chroma: '420' | '422' | '444', bitDepth: 8 | 10 | 12, alpha: boolean, opaque: VideoPixelFormat): PixelFormatDescription {
  const sampleBytes = bitDepth === 8 ? 1 : 2;
  const full: PlaneDescription = { sampleBytes, sampleWidth: 1, sampleHeight: 1 };
  const sub: PlaneDescription = {
    sampleBytes,
    sampleWidth: chroma === '444' ? 1 : 2,
    sampleHeight: chroma === '420' ? 2 : 1,
  };
  return { planes: alpha ? [full, sub, sub, full] : [full, sub, sub], opaque, bitDepth, rgb: false, alpha };
}

function rgb(alpha: boolean, opaque: VideoPixelFormat): PixelFormatDescription {
  return { planes: [{ sampleBytes: 4, sampleWidth: 1, sampleHeight: 1 }], opaque, bitDepth: 8, rgb: true, alpha };
}

const FORMATS: Readonly<Record<VideoPixelFormat, PixelFormatDescription>> = {
  I420: yuv('420', 8, false, 'I420'),
  I420P10: yuv('420', 10, false, 'I420P10'),
  I420P12: yuv('420', 12, false, 'I420P12'),
  I420A: yuv('420', 8, true, 'I420'),
  I420AP10: yuv('420', 10, true, 'I420P10'),
  I420AP12: yuv('420', 12, true, 'I420P12'),
  I422: yuv('422', 8, false, 'I422'),
  I422P10: yuv('422', 10, false, 'I422P10'),
  I422P12: yuv('422', 12, false, 'I422P12'),
  I422A: yuv('422', 8, true, 'I422'),
  I422AP10: yuv('422', 10, true, 'I422P10'),
  I422AP12: yuv('422', 12, true, 'I422P12'),
  I444: yuv('444', 8, false, 'I444'),
  I444P10: yuv('444', 10, false, 'I444P10'),
  I444P12: yuv('444', 12, false, 'I444P12'),
  I444A: yuv('444', 8, true, 'I444'),
  I444AP10: yuv('444', 10, true, 'I444P10'),
  I444AP12: yuv('444', 12, true, 'I444P12'),
  NV12: {
    planes: [
      { sampleBytes: 1, sampleWidth: 1, sampleHeight: 1 },
      { sampleBytes: 2, sampleWidth: 2, sampleHeight: 2 },
    ],
    opaque: 'NV12',
    bitDepth: 8,
    rgb: false,
    alpha: false,
  },
  RGBA: rgb(true, 'RGBX'),
  RGBX: rgb(false, 'RGBX'),
  BGRA: rgb(true, 'BGRX'),
  BGRX: rgb(false, 'BGRX'),
};

/** The description of `format`. */
export function pixelFormat(format: VideoPixelFormat): PixelFormatDescription {
  return FORMATS[format];
}

/** "the number of planes as defined by format" */
export function numberOfPlanes(format: VideoPixelFormat): number {
  return FORMATS[format].planes.length;
}

/** The format's "equivalent opaque format". */
export function equivalentOpaqueFormat(format: VideoPixelFormat): VideoPixelFormat {
  return FORMATS[format].opaque;
}

export function isRGBFormat(format: string): format is RGBPixelFormat {
  return (RGB_FORMATS as readonly string[]).includes(format);
}

/** Rows of a plane for a frame `height` pixels tall (rounded up, as the format sections say). */
export function planeRows(plane: PlaneDescription, height: number): number {
  return Math.ceil(height / plane.sampleHeight);
}

/** Bytes in one row of a plane for a frame `width` pixels wide (elements rounded up). */
export function planeRowBytes(plane: PlaneDescription, width: number): number {
  return Math.ceil(width / plane.sampleWidth) * plane.sampleBytes;
}
