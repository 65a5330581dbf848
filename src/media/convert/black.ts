/**
 * Black frames: what a disabled or muted video track delivers (mediacapture-main § 4.3.1.1 "Media Flow": "black
 * frames for video").
 *
 * Which luma is black: in limited-range YUV (what camera frames are, see color.ts) black is Y = 16,
 * U = V = 128, and that is the default here, so converting the frame to RGB with the frame's own
 * colour space gives exactly (0, 0, 0) and an encoder sees a legal value. Chromium's
 * `media::VideoFrame::CreateBlackFrame` uses Y = 0 instead (below the limited range; it also
 * converts to RGB 0,0,0 because conversions clamp). Pass `{ luma: 0 }` to match Chromium's bytes.
 */
import type { I420Image, NV12Image, PackedImage, Plane } from './image.js';

/** Black luma in limited range. */
export const BLACK_LUMA_LIMITED = 16;
/** Neutral chroma. */
export const NEUTRAL_CHROMA = 128;

export interface BlackOptions {
  /** The Y value to fill with: default 16 (limited range); 0 for full range or Chromium's bytes. */
  luma?: number;
}

/** Fills `rowBytes` × `rows` bytes of a plane with `value`. */
export function fillPlane(plane: Plane, rowBytes: number, rows: number, value: number): void {
  const { data, offset, stride } = plane;
  if (stride === rowBytes) {
    data.fill(value, offset, offset + rowBytes * rows);
    return;
  }
  for (let row = 0; row < rows; row++) {
    const start = offset + row * stride;
    data.fill(value, start, start + rowBytes);
  }
}

/** Fills an I420 image with black. */
export function fillBlackI420(image: I420Image, options: BlackOptions = {}): void {
  const cw = (image.width + 1) >> 1;
  const ch = (image.height + 1) >> 1;
  fillPlane(image.y, image.width, image.height, options.luma ?? BLACK_LUMA_LIMITED);
  fillPlane(image.u, cw, ch, NEUTRAL_CHROMA);
  fillPlane(image.v, cw, ch, NEUTRAL_CHROMA);
}

/** Fills an NV12 image with black. */
export function fillBlackNV12(image: NV12Image, options: BlackOptions = {}): void {
  fillPlane(image.y, image.width, image.height, options.luma ?? BLACK_LUMA_LIMITED);
  fillPlane(image.uv, ((image.width + 1) >> 1) * 2, (image.height + 1) >> 1, NEUTRAL_CHROMA);
}

/** Fills 4-byte RGB pixels (any channel order) with opaque black: 0, 0, 0 and alpha 255. */
export function fillBlackRGBA(image: PackedImage): void {
  const { data, offset, stride } = image.plane;
  const rowBytes = image.width * 4;
  for (let row = 0; row < image.height; row++) {
    const start = offset + row * stride;
    data.fill(0, start, start + rowBytes);
    for (let i = start + 3; i < start + rowBytes; i += 4) data[i] = 255;
  }
}
