/**
 * "Convert to RGB frame" (WebCodecs § 9.4.6), used by `VideoFrame.copyTo()` with an RGB `format`.
 * Instead of making an intermediate frame and copying it, the rectangle is converted straight into
 * the destination at the computed plane layout.
 *
 * Colour: the frame's `colorSpace.matrix` and `fullRange` choose the YUV→RGB matrix (bt709 and an
 * unset matrix: BT.709; bt470bg / smpte170m: BT.601; bt2020-ncl: BT.2020; unset range: limited).
 * The target `PredefinedColorSpace` ("srgb" or "display-p3") is recorded but no transfer-function or
 * gamut conversion is made: samples are taken to be in the target's primaries already, as they are
 * for camera content in sRGB/BT.709 gamut.
 */
import { convertRGB, yuvToRGB, type RGBOrder, type YUVMatrix, type YUVPlanes } from '../media/convert/color.js';
import type { Plane } from '../media/convert/image.js';
import type { Rect } from './rect.js';
import type { VideoResource } from './slots.js';
import type { ColorSpaceSlots, VideoColorSpace } from './video-color-space.js';
import { pixelFormat, type RGBPixelFormat, type VideoPixelFormat } from './video-pixel-format.js';

function yuvMatrixOf(colorSpace: ColorSpaceSlots | VideoColorSpace): YUVMatrix {
  switch (colorSpace.matrix) {
    case 'bt470bg':
    case 'smpte170m':
      return 'bt601';
    case 'bt2020-ncl':
      return 'bt2020';
    default:
      return 'bt709';
  }
}

/** An 8-bit copy of part of a 10- or 12-bit plane (samples shifted down), so the 8-bit converters can read it. */
function narrowPlane(data: Uint8Array, offset: number, stride: number, columns: number, rows: number, shift: number): Plane {
  const out = new Uint8Array(columns * rows);
  for (let row = 0; row < rows; row++) {
    let i = offset + row * stride;
    let o = row * columns;
    for (let x = 0; x < columns; x++, i += 2) out[o++] = (data[i]! | (data[i + 1]! << 8)) >> shift;
  }
  return { data: out, offset: 0, stride: columns };
}

/**
 * Converts `rect` (integer, sample-aligned, in coded coordinates) of a frame in `format` to
 * `destFormat`, writing rect.width × rect.height pixels at `destination[offset]` with `stride`.
 */
export function convertToRGB(
  source: VideoResource,
  format: VideoPixelFormat,
  colorSpace: ColorSpaceSlots | VideoColorSpace,
  rect: Rect,
  destFormat: RGBPixelFormat,
  destination: Uint8Array,
  offset: number,
  stride: number,
): void {
  const description = pixelFormat(format);
  const data = source.resource.data;
  const planes = source.planes;
  const dst: Plane = { data: destination, offset, stride };
  const order: RGBOrder = destFormat.startsWith('RGB') ? 'RGBA' : 'BGRA';
  const destAlpha = destFormat.endsWith('A');
  const { x, y, width, height } = rect;

  if (description.rgb) {
    const srcOrder: RGBOrder = format.startsWith('RGB') ? 'RGBA' : 'BGRA';
    const p = planes[0]!;
    const src = { width, height, plane: { data, offset: p.offset + y * p.stride + x * 4, stride: p.stride } };
    convertRGB(src, srcOrder, dst, order, !description.alpha || !destAlpha);
    return;
  }

  // The rect's top-left sample in each plane (the rect is aligned to the sub-sampling).
  const planeAt = (index: number): Plane => {
    const { sampleBytes, sampleWidth, sampleHeight } = description.planes[index]!;
    const p = planes[index]!;
    return { data, offset: p.offset + (y / sampleHeight) * p.stride + (x / sampleWidth) * sampleBytes, stride: p.stride };
  };
  const chroma = description.planes[1]!;
  const yuv: YUVPlanes = {
    width,
    height,
    y: planeAt(0),
    u: planeAt(1),
    v: planeAt(format === 'NV12' ? 1 : 2),
    chromaShiftX: chroma.sampleWidth === 2 ? 1 : 0,
    chromaShiftY: chroma.sampleHeight === 2 ? 1 : 0,
  };
  if (format === 'NV12') {
    yuv.v = { ...yuv.v, offset: yuv.v.offset + 1 };
    yuv.chromaStep = 2;
  }
  if (description.alpha && destAlpha) yuv.alpha = planeAt(3);
  if (description.bitDepth !== 8) {
    const shift = description.bitDepth - 8;
    const cw = Math.ceil(width / chroma.sampleWidth);
    const ch = Math.ceil(height / chroma.sampleHeight);
    const narrow = (p: Plane, columns: number, rows: number) => narrowPlane(p.data, p.offset, p.stride, columns, rows, shift);
    yuv.y = narrow(yuv.y, width, height);
    yuv.u = narrow(yuv.u, cw, ch);
    yuv.v = narrow(yuv.v, cw, ch);
    if (yuv.alpha) yuv.alpha = narrow(yuv.alpha, width, height);
  }
  yuvToRGB(yuv, dst, order, { matrix: yuvMatrixOf(colorSpace), fullRange: colorSpace.fullRange ?? false });
}
