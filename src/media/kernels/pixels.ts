/**
 * The calls into the WebAssembly pixel kernels: copy the planes in (unless they lie in the
 * kernels' memory already), run one kernel, copy the results out (likewise). Each returns false
 * (having done nothing) when the JavaScript kernels are in use, so that its caller in
 * src/media/convert/ runs its scalar reference instead.
 */
import type { I420Image, PackedImage, Plane } from '../convert/image.js';
import { wasmArena } from './wasm.js';

/**
 * RGBA or BGRA (`bgr`) to I420 with the coefficients `k` (see `rgb_to_i420` in kernels.c).
 */
export function wasmRGBToI420(src: PackedImage, dst: I420Image, bgr: boolean, k: Int32Array): boolean {
  const arena = wasmArena();
  if (!arena) return false;
  const { width: w, height: h } = src;
  if (w <= 0 || h <= 0) return true;
  const cw = (w + 1) >> 1;
  const from = arena.addressOf(src.plane.data, src.plane.offset);
  const [y0, u0, v0] = [dst.y, dst.u, dst.v].map((p) => arena.addressOf(p.data, p.offset));
  if (from >= 0 && y0! >= 0 && u0! >= 0 && v0! >= 0) {
    // All in the kernels' memory: one call over the whole frame, no copies.
    arena.exports.rgb_to_i420(from, src.plane.stride, w, h, bgr ? 1 : 0, arena.ints(k), y0!, dst.y.stride, u0!, dst.u.stride, v0!, dst.v.stride);
    return true;
  }
  const rows = Math.min(h, STRIP);
  const s = arena.alloc(w * 4 * rows);
  const y = arena.alloc(w * rows);
  const u = arena.alloc(cw * ((rows + 1) >> 1));
  const v = arena.alloc(cw * ((rows + 1) >> 1));
  const coefficients = arena.ints(k);
  for (let top = 0; top < h; top += STRIP) {
    const n = Math.min(STRIP, h - top);
    const cn = (n + 1) >> 1;
    arena.rowsIn(src.plane, top, n, w * 4, s);
    arena.exports.rgb_to_i420(s, w * 4, w, n, bgr ? 1 : 0, coefficients, y, w, u, cw, v, cw);
    arena.rowsOut(y, w, dst.y, top, n);
    arena.rowsOut(u, cw, dst.u, top >> 1, cn);
    arena.rowsOut(v, cw, dst.v, top >> 1, cn);
  }
  return true;
}

/**
 * Rows per strip: the kernels that convert row by row run on strips of the frame copied in one
 * after another, so that the strip is still in the cache when the kernel reads it (copying a whole
 * 720p RGBA frame in first and reading it again took ~30 % longer). Even, so that each strip
 * holds whole 4:2:0 chroma rows.
 */
const STRIP = 32;

/**
 * 4:2:0 YUV (planar, or NV12 when `chromaStep` is 2 and `v` is `u` one byte on) to RGBA or BGRA
 * with alpha 255, with the coefficients `k` (see `yuv420_to_rgb` in kernels.c).
 */
export function wasmYUV420ToRGB(
  src: { width: number; height: number; y: Plane; u: Plane; v: Plane; chromaStep: 1 | 2 },
  dst: Plane,
  bgr: boolean,
  k: Int32Array,
): boolean {
  const arena = wasmArena();
  if (!arena) return false;
  const { width: w, height: h, chromaStep } = src;
  if (w <= 0 || h <= 0) return true;
  const cw = (w + 1) >> 1;
  const [ya, ua, va, out0] = [src.y, src.u, src.v, dst].map((p) => arena.addressOf(p.data, p.offset));
  if (ya! >= 0 && ua! >= 0 && va! >= 0 && out0! >= 0) {
    arena.exports.yuv420_to_rgb(ya!, src.y.stride, ua!, src.u.stride, va!, src.v.stride, chromaStep, w, h, out0!, dst.stride, bgr ? 1 : 0, arena.ints(k));
    return true;
  }
  const rows = Math.min(h, STRIP);
  const crows = (rows + 1) >> 1;
  const chromaBytes = chromaStep === 2 ? cw * 2 : cw;
  const y = arena.alloc(w * rows);
  const u = arena.alloc(chromaBytes * crows);
  // NV12: one interleaved plane, V is U one byte on.
  const v = chromaStep === 2 ? u + 1 : arena.alloc(cw * crows);
  const out = arena.alloc(w * 4 * rows);
  const coefficients = arena.ints(k);
  for (let top = 0; top < h; top += STRIP) {
    const n = Math.min(STRIP, h - top);
    const cn = (n + 1) >> 1;
    arena.rowsIn(src.y, top, n, w, y);
    arena.rowsIn(src.u, top >> 1, cn, chromaBytes, u);
    if (chromaStep === 1) arena.rowsIn(src.v, top >> 1, cn, cw, v);
    arena.exports.yuv420_to_rgb(y, w, u, chromaBytes, v, chromaBytes, chromaStep, w, n, out, w * 4, bgr ? 1 : 0, coefficients);
    arena.rowsOut(out, w * 4, dst, top, n);
  }
  return true;
}

/** Exact 2:1 of one channel from (x0, y0) of `src` (see `halve_plane` in kernels.c). */
export function wasmHalve(src: Plane, x0: number, y0: number, dst: Plane, dstWidth: number, dstHeight: number): boolean {
  const arena = wasmArena();
  if (!arena) return false;
  const s = arena.copyIn({ data: src.data, offset: src.offset + y0 * src.stride + x0, stride: src.stride }, 2 * dstWidth, 2 * dstHeight);
  const resident = arena.addressOf(dst.data, dst.offset);
  if (resident >= 0) {
    arena.exports.halve_plane(s.at, s.stride, resident, dst.stride, dstWidth, dstHeight);
    return true;
  }
  const out = arena.alloc(dstWidth * dstHeight);
  arena.exports.halve_plane(s.at, s.stride, out, dstWidth, dstWidth, dstHeight);
  arena.copyOut(out, dst, dstWidth, dstHeight);
  return true;
}

/**
 * Exact 3:1 or 4:1 (`k`) of one channel from (x0, y0) of `src`: the rounded mean of each k×k
 * block (see `third_plane` and `quarter_plane` in kernels.c). In strips, like the colour
 * conversions: each strip of source rows is copied in while the kernel still finds it in the cache.
 */
export function wasmBox(k: 3 | 4, src: Plane, x0: number, y0: number, dst: Plane, dstWidth: number, dstHeight: number): boolean {
  const arena = wasmArena();
  if (!arena) return false;
  const rowBytes = k * dstWidth;
  const origin = { data: src.data, offset: src.offset + y0 * src.stride + x0, stride: src.stride };
  const kernel = k === 3 ? arena.exports.third_plane : arena.exports.quarter_plane;
  const from = arena.addressOf(origin.data, origin.offset);
  const to = arena.addressOf(dst.data, dst.offset);
  if (from >= 0 && to >= 0) {
    kernel(from, src.stride, to, dst.stride, dstWidth, dstHeight);
    return true;
  }
  const outRows = Math.min(dstHeight, STRIP);
  const s = arena.alloc(rowBytes * k * outRows);
  const out = arena.alloc(dstWidth * outRows);
  for (let top = 0; top < dstHeight; top += STRIP) {
    const n = Math.min(STRIP, dstHeight - top);
    arena.rowsIn(origin, k * top, k * n, rowBytes, s);
    kernel(s, rowBytes, out, dstWidth, dstWidth, n);
    arena.rowsOut(out, dstWidth, dst, top, n);
  }
  return true;
}

/** The taps of one axis of a separable filter (see `FilterTable` in scale.ts). */
export interface Taps {
  taps: number;
  indices: Int32Array;
  weights: Int32Array;
}

/**
 * Separable resampling of `channels`-byte samples of `src` (`srcWidth` samples a row) with the
 * horizontal taps `h` and vertical taps `v`, into `dstWidth` × `dstHeight` of `dst` (see
 * `scale_plane` in kernels.c).
 */
export function wasmScale(src: Plane, srcWidth: number, channels: number, h: Taps, v: Taps, dst: Plane, dstWidth: number, dstHeight: number): boolean {
  const arena = wasmArena();
  if (!arena) return false;
  // Only the source rows the vertical taps read are copied in, and the row numbers shifted to match.
  let first = Number.POSITIVE_INFINITY;
  let last = -1;
  const vIdx = v.indices;
  for (let i = 0; i < vIdx.length; i++) {
    if (v.weights[i] === 0) continue;
    const row = vIdx[i]!;
    if (row < first) first = row;
    if (row > last) last = row;
  }
  if (last < 0) return false;
  const s = arena.copyIn({ data: src.data, offset: src.offset + first * src.stride, stride: src.stride }, srcWidth * channels, last - first + 1);
  const hIdx = arena.ints(h.indices);
  const hW = arena.ints(h.weights);
  const vIdxAt = arena.alloc(vIdx.length * 4);
  const shifted = new Int32Array(arena.heap.buffer, vIdxAt, vIdx.length);
  for (let i = 0; i < vIdx.length; i++) shifted[i] = v.weights[i] === 0 ? 0 : vIdx[i]! - first;
  const vW = arena.ints(v.weights);
  const rowLength = dstWidth * channels;
  const ring = arena.alloc((v.taps + 1) * rowLength * 4);
  const slotRow = arena.alloc((v.taps + 1) * 4);
  const resident = arena.addressOf(dst.data, dst.offset);
  const out = resident >= 0 ? resident : arena.alloc(rowLength * dstHeight);
  arena.exports.scale_plane(s.at, s.stride, channels, out, resident >= 0 ? dst.stride : rowLength, dstWidth, dstHeight, h.taps, hIdx, hW, v.taps, vIdxAt, vW, ring, slotRow);
  if (resident < 0) arena.copyOut(out, dst, rowLength, dstHeight);
  return true;
}
