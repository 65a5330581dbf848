/**
 * Pixel format and colour conversions between YUV and RGB, on plain byte buffers.
 *
 * Matrices: BT.601 (`'bt601'`, the default), BT.709 and BT.2020 non-constant-luminance, each in
 * limited ("studio", Y 16-235, U/V 16-240; the default) or full range. BT.601 limited range is what
 * webcams deliver and what browsers assume for camera frames (Chromium tags V4L2/UVC capture as
 * SMPTE 170M, limited). Only the matrix and range are applied: no transfer-function or gamut
 * conversion, which for camera content is what browsers do too.
 *
 * Chroma is sampled nearest (each chroma sample covers its 2×2 or 2×1 block), as libyuv's
 * I420ToARGB does. RGB to 4:2:0 averages each 2×2 block of RGB before converting.
 *
 * Speed: RGBA/BGRA → I420 and 4:2:0 → RGBA/BGRA run in WebAssembly SIMD (src/media/kernels/) where
 * available, with the same fixed-point formulas; the loops here are the fallback and the reference
 * the kernels are tested against byte for byte. They are straight-line integer arithmetic on typed
 * arrays with per-matrix coefficients computed once; no function call and no allocation per pixel.
 * Outputs are written into the caller's buffers.
 */
import { wasmRGBToI420, wasmYUV420ToRGB } from '../kernels/pixels.js';
import type { I420Image, NV12Image, PackedImage, Plane } from './image.js';

/** The YUV↔RGB matrix. */
export type YUVMatrix = 'bt601' | 'bt709' | 'bt2020';
/** Byte order of a 4-byte RGB pixel. X formats use the same order, with the 4th byte ignored. */
export type RGBOrder = 'RGBA' | 'BGRA';

export interface YUVOptions {
  /** Default `'bt601'`. */
  matrix?: YUVMatrix;
  /** Default false (limited range). */
  fullRange?: boolean;
}

/** Kr and Kb of each matrix (Kg = 1 - Kr - Kb). */
const MATRIX_K: Record<YUVMatrix, readonly [number, number]> = {
  bt601: [0.299, 0.114],
  bt709: [0.2126, 0.0722],
  bt2020: [0.2627, 0.0593],
};

const ONE = 1 << 16;
const HALF = 1 << 15;

/**
 * The YUV → RGB coefficients in 16.16 fixed point, each rounded once: Y' = (Y - yOffset)·ys + ½,
 * R = (Y' + rv·(V-128)) >> 16, G = (Y' - gu·(U-128) - gv·(V-128)) >> 16, B = (Y' + bu·(U-128)) >> 16.
 * Integer products of rounded coefficients (not a rounded product per value) so that the
 * WebAssembly kernel, which multiplies, gives exactly these bytes.
 */
interface ToRGBCoefficients {
  /** [ys, yOffset, rv, gu, gv, bu], as the WebAssembly kernel takes them. */
  k: Int32Array;
  /** Per-value tables of the same products, for the scalar loop. */
  y: Int32Array;
  rv: Int32Array;
  gu: Int32Array;
  gv: Int32Array;
  bu: Int32Array;
}

const toRGBCache = new Map<string, ToRGBCoefficients>();

function toRGBTables(matrix: YUVMatrix, fullRange: boolean): ToRGBCoefficients {
  const key = `${matrix}:${fullRange}`;
  const cached = toRGBCache.get(key);
  if (cached) return cached;
  const [kr, kb] = MATRIX_K[matrix];
  const kg = 1 - kr - kb;
  const yOffset = fullRange ? 0 : 16;
  const cScale = fullRange ? 1 : 255 / 224;
  const fx = (n: number) => Math.round(n * ONE);
  const ys = fx(fullRange ? 1 : 255 / 219);
  const rv = fx(cScale * 2 * (1 - kr));
  const gu = fx((cScale * 2 * kb * (1 - kb)) / kg);
  const gv = fx((cScale * 2 * kr * (1 - kr)) / kg);
  const bu = fx(cScale * 2 * (1 - kb));
  const tables: ToRGBCoefficients = {
    k: Int32Array.of(ys, yOffset, rv, gu, gv, bu),
    y: new Int32Array(256),
    rv: new Int32Array(256),
    gu: new Int32Array(256),
    gv: new Int32Array(256),
    bu: new Int32Array(256),
  };
  for (let i = 0; i < 256; i++) {
    tables.y[i] = (i - yOffset) * ys + HALF;
    tables.rv[i] = (i - 128) * rv;
    tables.gu[i] = (i - 128) * gu;
    tables.gv[i] = (i - 128) * gv;
    tables.bu[i] = (i - 128) * bu;
  }
  toRGBCache.set(key, tables);
  return tables;
}

function clampedView(data: Uint8Array): Uint8ClampedArray {
  return new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength);
}

/** Any 8-bit YUV layout: planar 4:2:0, 4:2:2, 4:4:4, or semi-planar (NV12: U and V in one plane, step 2). */
export interface YUVPlanes {
  width: number;
  height: number;
  y: Plane;
  u: Plane;
  v: Plane;
  /** log2 of the horizontal chroma sub-sampling: 1 for 4:2:0 and 4:2:2, 0 for 4:4:4. */
  chromaShiftX: 0 | 1;
  /** log2 of the vertical chroma sub-sampling: 1 for 4:2:0, 0 for 4:2:2 and 4:4:4. */
  chromaShiftY: 0 | 1;
  /** Bytes from one chroma sample to the next in a row: 1 (planar, default) or 2 (NV12). */
  chromaStep?: 1 | 2;
  /** An alpha plane (I420A, I422A, I444A); without it alpha is 255. */
  alpha?: Plane;
}

/**
 * YUV (any sub-sampling, planar or NV12) to 4-byte RGB pixels in `order`, into `dst`. Alpha comes
 * from `src.alpha` unless `opaque` is set or there is none, then it is 255.
 */
export function yuvToRGB(src: YUVPlanes, dst: Plane, order: RGBOrder = 'RGBA', options: YUVOptions & { opaque?: boolean } = {}): void {
  const coefficients = toRGBTables(options.matrix ?? 'bt601', options.fullRange ?? false);
  const { y: ty, rv: trv, gu: tgu, gv: tgv, bu: tbu } = coefficients;
  const { width, height, chromaShiftX: sx, chromaShiftY: sy } = src;
  const step = src.chromaStep ?? 1;
  const alpha = options.opaque ? undefined : src.alpha;
  // 4:2:0 without alpha (I420, NV12: camera and decoder frames) has a WebAssembly kernel.
  const nv12Pair = step === 2 && src.v.data === src.u.data && src.v.offset === src.u.offset + 1 && src.v.stride === src.u.stride;
  if (sx === 1 && sy === 1 && !alpha && (step === 1 || nv12Pair) && wasmYUV420ToRGB({ ...src, chromaStep: step }, dst, order === 'BGRA', coefficients.k)) return;
  const yd = src.y.data;
  const ud = src.u.data;
  const vd = src.v.data;
  const ad = alpha?.data;
  const out = clampedView(dst.data);
  const ri = order === 'RGBA' ? 0 : 2;
  const bi = 2 - ri;
  for (let row = 0; row < height; row++) {
    let yi = src.y.offset + row * src.y.stride;
    const chromaRow = row >> sy;
    const u0 = src.u.offset + chromaRow * src.u.stride;
    const v0 = src.v.offset + chromaRow * src.v.stride;
    let ai = alpha ? alpha.offset + row * alpha.stride : 0;
    let di = dst.offset + row * dst.stride;
    if (sx === 1 && !ad) {
      // Two pixels share each chroma sample: look its terms up once.
      let ui = u0;
      let vi = v0;
      const pairs = width >> 1;
      for (let p = 0; p < pairs; p++) {
        const U = ud[ui]!;
        const V = vd[vi]!;
        ui += step;
        vi += step;
        const r = trv[V]!;
        const g = tgu[U]! + tgv[V]!;
        const b = tbu[U]!;
        let Y = ty[yd[yi++]!]!;
        out[di + ri] = (Y + r) >> 16;
        out[di + 1] = (Y - g) >> 16;
        out[di + bi] = (Y + b) >> 16;
        out[di + 3] = 255;
        Y = ty[yd[yi++]!]!;
        out[di + 4 + ri] = (Y + r) >> 16;
        out[di + 5] = (Y - g) >> 16;
        out[di + 4 + bi] = (Y + b) >> 16;
        out[di + 7] = 255;
        di += 8;
      }
      if ((width & 1) === 0) continue;
      // The odd last pixel falls through to the general loop.
    }
    for (let x = sx === 1 && !ad ? width - 1 : 0; x < width; x++) {
      const ci = (x >> sx) * step;
      const U = ud[u0 + ci]!;
      const V = vd[v0 + ci]!;
      const Y = ty[yd[yi++]!]!;
      out[di + ri] = (Y + trv[V]!) >> 16;
      out[di + 1] = (Y - tgu[U]! - tgv[V]!) >> 16;
      out[di + bi] = (Y + tbu[U]!) >> 16;
      out[di + 3] = ad ? ad[ai++]! : 255;
      di += 4;
    }
  }
}

/** I420 to RGBA or BGRA (see `yuvToRGB`). */
export function i420ToRGBA(src: I420Image, dst: Plane, options: YUVOptions & { order?: RGBOrder; alpha?: Plane } = {}): void {
  yuvToRGB({ ...src, chromaShiftX: 1, chromaShiftY: 1, ...(options.alpha ? { alpha: options.alpha } : {}) }, dst, options.order ?? 'RGBA', options);
}

/** NV12 to RGBA or BGRA. */
export function nv12ToRGBA(src: NV12Image, dst: Plane, options: YUVOptions & { order?: RGBOrder } = {}): void {
  const v = { data: src.uv.data, offset: src.uv.offset + 1, stride: src.uv.stride };
  yuvToRGB({ width: src.width, height: src.height, y: src.y, u: src.uv, v, chromaShiftX: 1, chromaShiftY: 1, chromaStep: 2 }, dst, options.order ?? 'RGBA', options);
}

interface ToYUVCoefficients {
  /** [yr, yg, yb, yOffset, ur, ug, ub, vr, vg, vb], as the WebAssembly kernel takes them. */
  k: Int32Array;
  yr: number;
  yg: number;
  yb: number;
  yOffset: number;
  ur: number;
  ug: number;
  ub: number;
  vr: number;
  vg: number;
  vb: number;
}

const toYUVCache = new Map<string, ToYUVCoefficients>();

function toYUVCoefficients(matrix: YUVMatrix, fullRange: boolean): ToYUVCoefficients {
  const key = `${matrix}:${fullRange}`;
  const cached = toYUVCache.get(key);
  if (cached) return cached;
  const [kr, kb] = MATRIX_K[matrix];
  const kg = 1 - kr - kb;
  const yRange = fullRange ? 255 : 219;
  const cRange = fullRange ? 255 : 224;
  const ys = yRange / 255;
  const us = cRange / 255 / (2 * (1 - kb));
  const vs = cRange / 255 / (2 * (1 - kr));
  const fx = (n: number) => Math.round(n * ONE);
  const c = {
    yr: fx(kr * ys),
    yg: fx(kg * ys),
    yb: fx(kb * ys),
    yOffset: ((fullRange ? 0 : 16) << 16) + HALF,
    ur: fx(-kr * us),
    ug: fx(-kg * us),
    ub: fx((1 - kb) * us),
    vr: fx((1 - kr) * vs),
    vg: fx(-kg * vs),
    vb: fx(-kb * vs),
  };
  const coefficients = { ...c, k: Int32Array.of(c.yr, c.yg, c.yb, c.yOffset, c.ur, c.ug, c.ub, c.vr, c.vg, c.vb) };
  toYUVCache.set(key, coefficients);
  return coefficients;
}

/**
 * RGBA or BGRA (alpha ignored) to I420. Each chroma sample is computed from the average RGB of its
 * 2×2 block (the last column/row of an odd-sized image averages the pixels it has).
 */
export function rgbaToI420(src: PackedImage, dst: I420Image, options: YUVOptions & { order?: RGBOrder } = {}): void {
  const k = toYUVCoefficients(options.matrix ?? 'bt601', options.fullRange ?? false);
  const bgr = (options.order ?? 'RGBA') !== 'RGBA';
  if (wasmRGBToI420(src, dst, bgr, k.k)) return;
  const { yr, yg, yb, yOffset, ur, ug, ub, vr, vg, vb } = k;
  const { width, height } = src;
  const sd = src.plane.data;
  const ri = bgr ? 2 : 0;
  const bi = 2 - ri;
  const yOut = clampedView(dst.y.data);
  const uOut = clampedView(dst.u.data);
  const vOut = clampedView(dst.v.data);
  for (let row = 0; row < height; row++) {
    let si = src.plane.offset + row * src.plane.stride;
    let yi = dst.y.offset + row * dst.y.stride;
    for (let x = 0; x < width; x++) {
      yOut[yi++] = (yr * sd[si + ri]! + yg * sd[si + 1]! + yb * sd[si + bi]! + yOffset) >> 16;
      si += 4;
    }
  }
  const chromaOffset = (128 << 16) + HALF;
  const cw = (width + 1) >> 1;
  const ch = (height + 1) >> 1;
  for (let crow = 0; crow < ch; crow++) {
    const row0 = crow * 2;
    const rows = row0 + 1 < height ? 2 : 1;
    const s0 = src.plane.offset + row0 * src.plane.stride;
    const s1 = rows === 2 ? s0 + src.plane.stride : s0;
    let ui = dst.u.offset + crow * dst.u.stride;
    let vi = dst.v.offset + crow * dst.v.stride;
    for (let cx = 0; cx < cw; cx++) {
      const a = s0 + cx * 8;
      const b = s1 + cx * 8;
      // The second column is the first again at an odd right edge.
      const dx = cx * 2 + 1 < width ? 4 : 0;
      const r = sd[a + ri]! + sd[a + dx + ri]! + sd[b + ri]! + sd[b + dx + ri]!;
      const g = sd[a + 1]! + sd[a + dx + 1]! + sd[b + 1]! + sd[b + dx + 1]!;
      const bl = sd[a + bi]! + sd[a + dx + bi]! + sd[b + bi]! + sd[b + dx + bi]!;
      // Sums of 4 samples: divide by 4 inside the fixed-point shift.
      uOut[ui++] = (((ur * r + ug * g + ub * bl + 2) >> 2) + chromaOffset) >> 16;
      vOut[vi++] = (((vr * r + vg * g + vb * bl + 2) >> 2) + chromaOffset) >> 16;
    }
  }
}

/** NV12 to I420: the Y plane is copied, the UV plane split into U and V. */
export function nv12ToI420(src: NV12Image, dst: I420Image): void {
  copyPlane(src.y, dst.y, src.width, src.height);
  const cw = (src.width + 1) >> 1;
  const ch = (src.height + 1) >> 1;
  const sd = src.uv.data;
  const ud = dst.u.data;
  const vd = dst.v.data;
  for (let row = 0; row < ch; row++) {
    let si = src.uv.offset + row * src.uv.stride;
    let ui = dst.u.offset + row * dst.u.stride;
    let vi = dst.v.offset + row * dst.v.stride;
    for (let x = 0; x < cw; x++) {
      ud[ui++] = sd[si]!;
      vd[vi++] = sd[si + 1]!;
      si += 2;
    }
  }
}

/** I420 to NV12: the Y plane is copied, U and V interleaved into one plane. */
export function i420ToNV12(src: I420Image, dst: NV12Image): void {
  copyPlane(src.y, dst.y, src.width, src.height);
  const cw = (src.width + 1) >> 1;
  const ch = (src.height + 1) >> 1;
  const ud = src.u.data;
  const vd = src.v.data;
  const od = dst.uv.data;
  for (let row = 0; row < ch; row++) {
    let ui = src.u.offset + row * src.u.stride;
    let vi = src.v.offset + row * src.v.stride;
    let oi = dst.uv.offset + row * dst.uv.stride;
    for (let x = 0; x < cw; x++) {
      od[oi++] = ud[ui++]!;
      od[oi++] = vd[vi++]!;
    }
  }
}

/**
 * YUYV (YUY2: packed 4:2:2, bytes Y0 U Y1 V for each pair of pixels; what most V4L2 webcams send
 * uncompressed) to I420. Each output chroma sample averages the two rows of its 2×2 block.
 */
export function yuyvToI420(src: PackedImage, dst: I420Image): void {
  const { width, height } = src;
  const sd = src.plane.data;
  const yd = dst.y.data;
  for (let row = 0; row < height; row++) {
    let si = src.plane.offset + row * src.plane.stride;
    let yi = dst.y.offset + row * dst.y.stride;
    for (let x = 0; x < width; x++) {
      yd[yi++] = sd[si]!;
      si += 2;
    }
  }
  const cw = (width + 1) >> 1;
  const ch = (height + 1) >> 1;
  const ud = dst.u.data;
  const vd = dst.v.data;
  for (let crow = 0; crow < ch; crow++) {
    const s0 = src.plane.offset + crow * 2 * src.plane.stride;
    const s1 = crow * 2 + 1 < height ? s0 + src.plane.stride : s0;
    let ui = dst.u.offset + crow * dst.u.stride;
    let vi = dst.v.offset + crow * dst.v.stride;
    for (let cx = 0; cx < cw; cx++) {
      const a = s0 + cx * 4;
      const b = s1 + cx * 4;
      ud[ui++] = (sd[a + 1]! + sd[b + 1]! + 1) >> 1;
      vd[vi++] = (sd[a + 3]! + sd[b + 3]! + 1) >> 1;
    }
  }
}

/**
 * 4-byte RGB pixels from one order to another (RGBA↔BGRA swaps red and blue; same order copies).
 * With `opaque`, alpha is written as 255 (RGBX/BGRX sources, whose 4th byte is padding). `dst` may
 * be `src.plane` itself.
 */
export function convertRGB(src: PackedImage, srcOrder: RGBOrder, dst: Plane, dstOrder: RGBOrder, opaque = false): void {
  const { width, height } = src;
  const sd = src.plane.data;
  const dd = dst.data;
  const swap = srcOrder !== dstOrder;
  for (let row = 0; row < height; row++) {
    let si = src.plane.offset + row * src.plane.stride;
    let di = dst.offset + row * dst.stride;
    if (!swap && !opaque) {
      if (sd === dd) dd.copyWithin(di, si, si + width * 4);
      else dd.set(sd.subarray(si, si + width * 4), di);
      continue;
    }
    for (let x = 0; x < width; x++) {
      const c0 = sd[si]!;
      const c2 = sd[si + 2]!;
      dd[di] = swap ? c2 : c0;
      dd[di + 1] = sd[si + 1]!;
      dd[di + 2] = swap ? c0 : c2;
      dd[di + 3] = opaque ? 255 : sd[si + 3]!;
      si += 4;
      di += 4;
    }
  }
}

/** RGBA↔BGRA, in place when `dst` is omitted. */
export function swapRedBlue(src: PackedImage, dst: Plane = src.plane): void {
  convertRGB(src, 'RGBA', dst, 'BGRA');
}

/** Copies `rowBytes` × `rows` bytes of one plane to another. */
export function copyPlane(src: Plane, dst: Plane, rowBytes: number, rows: number): void {
  if (src.stride === rowBytes && dst.stride === rowBytes) {
    dst.data.set(src.data.subarray(src.offset, src.offset + rowBytes * rows), dst.offset);
    return;
  }
  for (let row = 0; row < rows; row++) {
    const si = src.offset + row * src.stride;
    dst.data.set(src.data.subarray(si, si + rowBytes), dst.offset + row * dst.stride);
  }
}
