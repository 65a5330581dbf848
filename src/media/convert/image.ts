/**
 * Plain descriptions of images in byte buffers, shared by the pixel functions in this folder. No
 * classes from the API: a plane is a `Uint8Array` plus where the plane starts and how long its rows
 * are, so a frame's buffer, a pooled buffer or a `SharedArrayBuffer` can be used as they are.
 */

/** One plane: `data[offset + row * stride + column]`. */
export interface Plane {
  data: Uint8Array;
  offset: number;
  /** Bytes from the start of one row to the start of the next. */
  stride: number;
}

/** Planar YUV 4:2:0 (I420): a full-size Y plane, and U and V planes of ceil(w/2) × ceil(h/2). */
export interface I420Image {
  width: number;
  height: number;
  y: Plane;
  u: Plane;
  v: Plane;
}

/** Semi-planar YUV 4:2:0 (NV12): a Y plane, then one plane of interleaved U,V pairs. */
export interface NV12Image {
  width: number;
  height: number;
  y: Plane;
  uv: Plane;
}

/** One plane of packed pixels: RGBA/BGRA (4 bytes a pixel) or YUYV (2 bytes a pixel). */
export interface PackedImage {
  width: number;
  height: number;
  plane: Plane;
}

/** Byte size and plane offsets of a tightly packed I420 image (Y, then U, then V). */
export function i420Size(width: number, height: number): number {
  const cw = (width + 1) >> 1;
  const ch = (height + 1) >> 1;
  return width * height + 2 * cw * ch;
}

/** A tightly packed I420 image over `data` (at `offset`), as VideoFrame's default layout has it. */
export function i420Image(data: Uint8Array, width: number, height: number, offset = 0): I420Image {
  const cw = (width + 1) >> 1;
  const ch = (height + 1) >> 1;
  const ySize = width * height;
  return {
    width,
    height,
    y: { data, offset, stride: width },
    u: { data, offset: offset + ySize, stride: cw },
    v: { data, offset: offset + ySize + cw * ch, stride: cw },
  };
}

/** An I420 image over `data` with its planes where `layout` says (offset and stride of Y, U and V). */
export function i420FromLayout(data: Uint8Array, width: number, height: number, layout: readonly { offset: number; stride: number }[]): I420Image {
  const [y, u, v] = layout;
  return {
    width,
    height,
    y: { data, offset: y!.offset, stride: y!.stride },
    u: { data, offset: u!.offset, stride: u!.stride },
    v: { data, offset: v!.offset, stride: v!.stride },
  };
}

/** A tightly packed NV12 image over `data`. */
export function nv12Image(data: Uint8Array, width: number, height: number, offset = 0): NV12Image {
  const uvStride = ((width + 1) >> 1) * 2;
  return { width, height, y: { data, offset, stride: width }, uv: { data, offset: offset + width * height, stride: uvStride } };
}

/** A tightly packed image of `bytesPerPixel`-byte pixels over `data`. */
export function packedImage(data: Uint8Array, width: number, height: number, bytesPerPixel = 4, offset = 0): PackedImage {
  return { width, height, plane: { data, offset, stride: width * bytesPerPixel } };
}

/** An integer rectangle in pixels. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}
