/**
 * Crop-and-scale, as `resizeMode: "crop-and-scale"` needs it (mediacapture-main, the `resizeMode`
 * constrainable property): cut the centred region of the source that has the target's aspect ratio, then resample it to the
 * target size.
 *
 * Filter: area averaging (a box filter with exact fractional coverage) when shrinking, so every
 * source pixel counts in proportion to how much of an output pixel it covers (no aliasing, a
 * checkerboard becomes flat grey); bilinear when enlarging. Separable, in 14-bit fixed point: each
 * source row is filtered horizontally once into a small ring of rows, and each output row is a
 * weighted sum of the ring's rows. A crop without scaling copies rows, and exact 2:1 averages 2×2
 * blocks directly, as exact 3:1 (1080p → 360p) and other integer ratios average k×k blocks. I420 chroma is scaled at half resolution in the same way, with the crop mapped
 * into chroma coordinates, so odd sizes (chroma planes of ceil(w/2) × ceil(h/2)) work.
 *
 * Measured (Node 20, one core, 1080p I420 source): to 1280×720 about 12 ms, crop to 4:3 and scale to
 * 640×480 about 7 ms, to 960×540 (exact 2:1) about 2 ms.
 *
 * Speed: the WebAssembly SIMD kernels (src/media/kernels/) run both passes where available, with
 * the same tables and the same fixed-point arithmetic (an exact 3:1 row, 1080p → 360p, has its
 * own SIMD path); the loops here are the fallback and the reference they are tested against. Filter tables (taps and weights per output column/row) are cached per geometry, and the
 * row ring is reused between calls, so scaling a stream of same-sized frames allocates next to
 * nothing. The loops do integer arithmetic only and no function call per pixel.
 */
import { wasmBox, wasmHalve, wasmScale } from '../kernels/pixels.js';
import type { I420Image, NV12Image, PackedImage, PixelRect, Plane } from './image.js';

/** A source region with fractional edges allowed (chroma crops of odd luma crops are). */
export interface SourceRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface FilterTable {
  taps: number;
  /**
   * The horizontal pass of a single-channel row, specialised for this table (see `periodicKernel`):
   * made on first use, null when the table has no short period.
   */
  kernel?: PeriodicKernel | null;
  /** Source sample index (already clamped to the plane) of each tap: dstLen × taps. */
  indices: Int32Array;
  /** Weight of each tap in 1/16384ths: dstLen × taps, each output's weights summing to exactly 16384. */
  weights: Int32Array;
}

const WEIGHT_BITS = 14;
const WEIGHT_ONE = 1 << WEIGHT_BITS;
/** Horizontal results keep 8 fractional bits: (sum + 2^5) >> 6 of a 14-bit weighted sum. */
const H_SHIFT = WEIGHT_BITS - 8;
const V_SHIFT = WEIGHT_BITS + 8;

const tableCache = new Map<string, FilterTable>();
const TABLE_CACHE_LIMIT = 64;

/**
 * The filter for one axis: output sample i covers source [start + i·scale, start + (i+1)·scale).
 * `limit` is the number of source samples that exist; taps past the edge use the edge sample.
 */
function filterTable(start: number, length: number, limit: number, dstLength: number): FilterTable {
  const key = `${start}:${length}:${limit}:${dstLength}`;
  const cached = tableCache.get(key);
  if (cached) return cached;
  const scale = length / dstLength;
  const shrinking = scale >= 1;
  const taps = shrinking ? Math.ceil(scale) + 1 : 2;
  const indices = new Int32Array(dstLength * taps);
  const weights = new Int32Array(dstLength * taps);
  const exact = new Float64Array(taps);
  const clamp = (j: number) => (j < 0 ? 0 : j >= limit ? limit - 1 : j);
  for (let i = 0; i < dstLength; i++) {
    const base = i * taps;
    if (shrinking) {
      const a = start + i * scale;
      const b = a + scale;
      let j = Math.floor(a);
      for (let k = 0; k < taps; k++, j++) {
        const overlap = Math.min(b, j + 1) - Math.max(a, j);
        indices[base + k] = clamp(j);
        exact[k] = overlap > 0 ? overlap / scale : 0;
      }
    } else {
      const centre = start + (i + 0.5) * scale - 0.5;
      const j = Math.floor(centre);
      indices[base] = clamp(j);
      indices[base + 1] = clamp(j + 1);
      exact[1] = centre - j;
      exact[0] = 1 - exact[1];
    }
    // Quantize, then give the rounding remainder to the largest tap so the weights sum to exactly 1.
    let sum = 0;
    let largest = 0;
    for (let k = 0; k < taps; k++) {
      weights[base + k] = Math.round(exact[k]! * WEIGHT_ONE);
      sum += weights[base + k]!;
      if (exact[k]! > exact[largest]!) largest = k;
    }
    weights[base + largest]! += WEIGHT_ONE - sum;
  }
  const table = compact({ taps, indices, weights }, dstLength);
  if (tableCache.size >= TABLE_CACHE_LIMIT) tableCache.clear();
  tableCache.set(key, table);
  return table;
}

/** Drops the zero-weight taps at the ends of every output's window (e.g. 1.5:1 needs 2 taps, not 3). */
function compact(table: FilterTable, dstLength: number): FilterTable {
  const { taps, indices, weights } = table;
  let first = taps;
  let span = 0;
  const firsts = new Int32Array(dstLength);
  for (let i = 0; i < dstLength; i++) {
    let a = 0;
    let b = taps - 1;
    while (a < b && weights[i * taps + a] === 0) a++;
    while (b > a && weights[i * taps + b] === 0) b--;
    firsts[i] = a;
    first = Math.min(first, a);
    span = Math.max(span, b - a + 1);
  }
  if (span === taps) return table;
  const out = { taps: span, indices: new Int32Array(dstLength * span), weights: new Int32Array(dstLength * span) };
  for (let i = 0; i < dstLength; i++) {
    for (let k = 0; k < span; k++) {
      // A window shorter than span is padded with zero weights on the last tap's sample.
      const from = Math.min(firsts[i]! + k, taps - 1);
      out.indices[i * span + k] = indices[i * taps + from]!;
      out.weights[i * span + k] = firsts[i]! + k < taps ? weights[i * taps + from]! : 0;
    }
  }
  return out;
}

/** A generated horizontal pass over the first `covered` outputs of a row. */
interface PeriodicKernel {
  run: (sd: Uint8Array, rowStart: number, out: Int32Array, outStart: number) => void;
  covered: number;
}

/** The longest period (in outputs) and widest span (in source samples) a kernel is generated for. */
const MAX_PERIOD = 32;
const MAX_SPAN = 96;

/**
 * Most downscales have a rational ratio with a small numerator: 1920 → 1600 is 6:5, → 1280 is
 * 3:2, and the chroma planes follow. Their filter repeats every q outputs, shifted by p source
 * samples, so one period can be written out as straight-line code, with the weights as constants
 * and each source sample loaded once into a local: 6 loads and 10 multiplications for five 6:5
 * outputs, instead of 2 index loads, 2 weight loads and 2 sample loads for each. The code is made
 * (`new Function`, from numbers only) once per filter table, and gives exactly the generic loop's
 * results. Returns null when the table has no period of at most MAX_PERIOD outputs that covers
 * at least half the row.
 */
function periodicKernel(table: FilterTable, dstLength: number): PeriodicKernel | null {
  const { taps, indices, weights } = table;
  for (let q = 1; q <= MAX_PERIOD && 2 * q <= dstLength; q++) {
    const p = indices[q * taps]! - indices[0]!;
    if (p <= 0) continue;
    let i = q;
    check: for (; i < dstLength; i++) {
      for (let k = 0; k < taps; k++) {
        const t = i * taps + k;
        const w = weights[t]!;
        if (w !== weights[t - q * taps]) break check;
        if (w !== 0 && indices[t] !== indices[t - q * taps]! + p) break check;
      }
    }
    const periods = Math.floor(i / q);
    if (periods < 2 || 2 * periods * q < dstLength) continue;
    const base = indices[0]!;
    const used = new Set<number>();
    const lines: string[] = [];
    for (let j = 0; j < q; j++) {
      const terms: string[] = [];
      for (let k = 0; k < taps; k++) {
        const w = weights[j * taps + k]!;
        if (w === 0) continue;
        const off = indices[j * taps + k]! - base;
        used.add(off);
        terms.push(`${w} * s${off}`);
      }
      lines.push(`out[o + ${j}] = (${terms.join(' + ')} + ${1 << (H_SHIFT - 1)}) >> ${H_SHIFT};`);
    }
    if (Math.max(...used) >= MAX_SPAN) return null;
    const loads = [...used].sort((a, b) => a - b).map((off) => `const s${off} = sd[s + ${off}];`);
    const body = `let s = rowStart + ${base};\nlet o = outStart;\nfor (let n = 0; n < ${periods}; n++, s += ${p}, o += ${q}) {\n${loads.join('\n')}\n${lines.join('\n')}\n}`;
    let run: PeriodicKernel['run'];
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      run = new Function('sd', 'rowStart', 'out', 'outStart', body) as PeriodicKernel['run'];
    } catch {
      // Code generation disallowed (node --disallow-code-generation-from-strings): the generic loop.
      return null;
    }
    return { run, covered: periods * q };
  }
  return null;
}

/** Horizontally filtered source rows, kept in a small ring (each source row is filtered once). */
let ring = new Int32Array(0);

function ringOf(length: number): Int32Array {
  if (ring.length < length) ring = new Int32Array(length);
  return ring;
}

/** Horizontal pass of one source row into `out` (at `outStart`), values with 8 fractional bits. */
function filterRow(sd: Uint8Array, rowStart: number, h: FilterTable, dstWidth: number, channels: number, out: Int32Array, outStart: number): void {
  const taps = h.taps;
  const idx = h.indices;
  const w = h.weights;
  const round = 1 << (H_SHIFT - 1);
  let o = outStart;
  if (channels === 1) {
    if (h.kernel === undefined) h.kernel = periodicKernel(h, dstWidth);
    let start = 0;
    if (h.kernel !== null) {
      h.kernel.run(sd, rowStart, out, outStart);
      start = h.kernel.covered;
      o += start;
    }
    if (taps === 2) {
      for (let i = start, t = 2 * start; i < dstWidth; i++, t += 2) {
        out[o++] = (w[t]! * sd[rowStart + idx[t]!]! + w[t + 1]! * sd[rowStart + idx[t + 1]!]! + round) >> H_SHIFT;
      }
      return;
    }
    if (taps === 3) {
      for (let i = start, t = 3 * start; i < dstWidth; i++, t += 3) {
        out[o++] = (w[t]! * sd[rowStart + idx[t]!]! + w[t + 1]! * sd[rowStart + idx[t + 1]!]! + w[t + 2]! * sd[rowStart + idx[t + 2]!]! + round) >> H_SHIFT;
      }
      return;
    }
    for (let i = start, t = taps * start; i < dstWidth; i++, t += taps) {
      let sum = round;
      for (let k = 0; k < taps; k++) sum += w[t + k]! * sd[rowStart + idx[t + k]!]!;
      out[o++] = sum >> H_SHIFT;
    }
    return;
  }
  for (let i = 0, t = 0; i < dstWidth; i++, t += taps) {
    for (let c = 0; c < channels; c++) {
      let sum = round;
      for (let k = 0; k < taps; k++) sum += w[t + k]! * sd[rowStart + idx[t + k]! * channels + c]!;
      out[o++] = sum >> H_SHIFT;
    }
  }
}

/** Exact 2:1 in both directions at an integer offset: each output is the rounded mean of a 2×2 block. */
function halve(src: Plane, x0: number, y0: number, dst: Plane, dstWidth: number, dstHeight: number, channels: number): void {
  if (channels === 1 && wasmHalve(src, x0, y0, dst, dstWidth, dstHeight)) return;
  if (channels === 1 && LITTLE_ENDIAN && halveWords(src, x0, y0, dst, dstWidth, dstHeight)) return;
  const sd = src.data;
  const dd = dst.data;
  for (let y = 0; y < dstHeight; y++) {
    let a = src.offset + (y0 + 2 * y) * src.stride + x0 * channels;
    let b = a + src.stride;
    let o = dst.offset + y * dst.stride;
    if (channels === 1) {
      for (let x = 0; x < dstWidth; x++, a += 2, b += 2) dd[o++] = (sd[a]! + sd[a + 1]! + sd[b]! + sd[b + 1]! + 2) >> 2;
      continue;
    }
    for (let x = 0; x < dstWidth; x++, a += 2 * channels, b += 2 * channels) {
      for (let c = 0; c < channels; c++) dd[o++] = (sd[a + c]! + sd[a + c + channels]! + sd[b + c]! + sd[b + c + channels]! + 2) >> 2;
    }
  }
}

/**
 * Exact k:1 in both directions (k ≥ 3) at an integer offset: each output is the rounded mean of
 * its k×k block, floor((sum + ⌊k²/2⌋) / k²), the exact area average (the separable passes round
 * twice). 1080p → 360p is 3:1 and 720p → 320x180 is 4:1; both have WebAssembly kernels.
 */
function boxAverage(src: Plane, x0: number, y0: number, dst: Plane, dstWidth: number, dstHeight: number, channels: number, k: number): void {
  if ((k === 3 || k === 4) && channels === 1 && wasmBox(k, src, x0, y0, dst, dstWidth, dstHeight)) return;
  const sd = src.data;
  const dd = dst.data;
  const area = k * k;
  const half = area >> 1;
  const rowLength = dstWidth * channels;
  const sums = new Int32Array(rowLength);
  for (let y = 0; y < dstHeight; y++) {
    sums.fill(0);
    for (let r = 0; r < k; r++) {
      const s = src.offset + (y0 + k * y + r) * src.stride + x0 * channels;
      for (let x = 0, i = 0; x < dstWidth; x++) {
        const block = s + x * k * channels;
        for (let c = 0; c < channels; c++, i++) {
          let sum = 0;
          for (let j = 0; j < k; j++) sum += sd[block + j * channels + c]!;
          sums[i]! += sum;
        }
      }
    }
    const o = dst.offset + y * dst.stride;
    for (let i = 0; i < rowLength; i++) dd[o + i] = Math.floor((sums[i]! + half) / area);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * `halve` of one channel, two outputs at a time: the four bytes of a row are loaded as one 32-bit
 * word, the adjacent pairs summed in two 16-bit lanes (at most 1020 with the row below: no carry
 * between lanes), and the two averages stored as one 16-bit word. Same results as the byte loop.
 * Needs rows starting on 4-byte boundaries (source) and 2-byte boundaries (destination), as
 * the planes of even-width frames are; false (nothing done) otherwise.
 */
function halveWords(src: Plane, x0: number, y0: number, dst: Plane, dstWidth: number, dstHeight: number): boolean {
  const first = src.data.byteOffset + src.offset + y0 * src.stride + x0;
  const out = dst.data.byteOffset + dst.offset;
  if (first % 4 !== 0 || src.stride % 4 !== 0 || out % 2 !== 0 || dst.stride % 2 !== 0) return false;
  const words = new Uint32Array(src.data.buffer, 0, src.data.buffer.byteLength >> 2);
  const halves = new Uint16Array(dst.data.buffer, 0, dst.data.buffer.byteLength >> 1);
  const sd = src.data;
  const dd = dst.data;
  const pairs = dstWidth >> 1;
  const rowWords = src.stride >> 2;
  for (let y = 0; y < dstHeight; y++) {
    let a = (first >> 2) + 2 * y * rowWords;
    let b = a + rowWords;
    let o = (out + y * dst.stride) >> 1;
    for (let x = 0; x < pairs; x++, a++, b++) {
      const wa = words[a]!;
      const wb = words[b]!;
      const s = (wa & 0x00ff00ff) + ((wa >>> 8) & 0x00ff00ff) + (wb & 0x00ff00ff) + ((wb >>> 8) & 0x00ff00ff) + 0x00020002;
      halves[o++] = ((s >>> 2) & 0xff) | ((s >>> 10) & 0xff00);
    }
    if (dstWidth & 1) {
      const i = src.offset + (y0 + 2 * y) * src.stride + x0 + 2 * pairs;
      const j = i + src.stride;
      dd[dst.offset + y * dst.stride + 2 * pairs] = (sd[i]! + sd[i + 1]! + sd[j]! + sd[j + 1]! + 2) >> 2;
    }
  }
  return true;
}

/**
 * Resamples `region` of a plane (`srcWidth` × `srcHeight` samples of `channels` interleaved bytes)
 * to `dstWidth` × `dstHeight` in `dst`.
 */
export function scalePlane(
  src: Plane,
  srcWidth: number,
  srcHeight: number,
  region: SourceRegion,
  dst: Plane,
  dstWidth: number,
  dstHeight: number,
  channels = 1,
): void {
  if (dstWidth <= 0 || dstHeight <= 0) return;
  const { x, y, width, height } = region;
  const integral = Number.isInteger(x) && Number.isInteger(y) && x + width <= srcWidth && y + height <= srcHeight;
  // A crop without scaling: copy rows.
  if (integral && width === dstWidth && height === dstHeight) {
    const rowBytes = dstWidth * channels;
    for (let row = 0; row < dstHeight; row++) {
      const s = src.offset + (y + row) * src.stride + x * channels;
      dst.data.set(src.data.subarray(s, s + rowBytes), dst.offset + row * dst.stride);
    }
    return;
  }
  if (integral && width === 2 * dstWidth && height === 2 * dstHeight) {
    halve(src, x, y, dst, dstWidth, dstHeight, channels);
    return;
  }
  const k = width / dstWidth;
  if (integral && Number.isInteger(k) && k >= 3 && height === k * dstHeight) {
    boxAverage(src, x, y, dst, dstWidth, dstHeight, channels, k);
    return;
  }
  const h = filterTable(x, width, srcWidth, dstWidth);
  const v = filterTable(y, height, srcHeight, dstHeight);
  if (wasmScale(src, srcWidth, channels, h, v, dst, dstWidth, dstHeight)) return;
  const rowLength = dstWidth * channels;
  const slots = v.taps + 1;
  const rows = ringOf(slots * rowLength);
  const slotRow = new Int32Array(slots).fill(-1);
  const rowOffsets = new Int32Array(v.taps);
  const sd = src.data;
  const dd = dst.data;
  const vTaps = v.taps;
  const vIdx = v.indices;
  const vW = v.weights;
  const round = 1 << (V_SHIFT - 1);
  for (let oy = 0; oy < dstHeight; oy++) {
    const base = oy * vTaps;
    // Filter the source rows this output row reads, unless the ring already has them.
    for (let k = 0; k < vTaps; k++) {
      if (vW[base + k] === 0) continue;
      const row = vIdx[base + k]!;
      const slot = row % slots;
      if (slotRow[slot] === row) continue;
      slotRow[slot] = row;
      filterRow(sd, src.offset + row * src.stride, h, dstWidth, channels, rows, slot * rowLength);
    }
    const o = dst.offset + oy * dst.stride;
    const r0 = (vIdx[base]! % slots) * rowLength;
    const w0 = vW[base]!;
    if (vTaps === 1) {
      for (let i = 0; i < rowLength; i++) dd[o + i] = (w0 * rows[r0 + i]! + round) >> V_SHIFT;
      continue;
    }
    const r1 = (vIdx[base + 1]! % slots) * rowLength;
    const w1 = vW[base + 1]!;
    if (vTaps === 2) {
      for (let i = 0; i < rowLength; i++) dd[o + i] = (w0 * rows[r0 + i]! + w1 * rows[r1 + i]! + round) >> V_SHIFT;
      continue;
    }
    const r2 = (vIdx[base + 2]! % slots) * rowLength;
    const w2 = vW[base + 2]!;
    if (vTaps === 3) {
      for (let i = 0; i < rowLength; i++) dd[o + i] = (w0 * rows[r0 + i]! + w1 * rows[r1 + i]! + w2 * rows[r2 + i]! + round) >> V_SHIFT;
      continue;
    }
    for (let k = 0; k < vTaps; k++) rowOffsets[k] = (vIdx[base + k]! % slots) * rowLength;
    for (let i = 0; i < rowLength; i++) {
      let sum = round;
      for (let k = 0; k < vTaps; k++) sum += vW[base + k]! * rows[rowOffsets[k]! + i]!;
      dd[o + i] = sum >> V_SHIFT;
    }
  }
}

/**
 * The centred rectangle of a `srcWidth` × `srcHeight` image with the aspect ratio of
 * `targetWidth` × `targetHeight`, its offset rounded down to a multiple of `align` (2 keeps I420
 * chroma aligned). The whole image when the ratios already match.
 */
export function centredCrop(srcWidth: number, srcHeight: number, targetWidth: number, targetHeight: number, align = 2): PixelRect {
  let width = srcWidth;
  let height = srcHeight;
  if (srcWidth * targetHeight > targetWidth * srcHeight) {
    width = Math.max(1, Math.min(srcWidth, Math.round((srcHeight * targetWidth) / targetHeight)));
  } else if (srcWidth * targetHeight < targetWidth * srcHeight) {
    height = Math.max(1, Math.min(srcHeight, Math.round((srcWidth * targetHeight) / targetWidth)));
  }
  const x = Math.floor((srcWidth - width) / 2 / align) * align;
  const y = Math.floor((srcHeight - height) / 2 / align) * align;
  return { x, y, width, height };
}

/** The chroma-plane region for a luma crop, so chroma sample j of the output covers the same area as luma pixels 2j, 2j+1. */
function chromaRegion(crop: PixelRect, dstWidth: number, dstHeight: number): SourceRegion {
  const cw = (dstWidth + 1) >> 1;
  const ch = (dstHeight + 1) >> 1;
  return {
    x: crop.x / 2,
    y: crop.y / 2,
    width: (cw * crop.width) / dstWidth,
    height: (ch * crop.height) / dstHeight,
  };
}

/**
 * Crops `src` to `crop` (default: the centred region with `dst`'s aspect ratio) and scales it to
 * `dst.width` × `dst.height`, into `dst`'s planes.
 */
export function cropAndScaleI420(src: I420Image, dst: I420Image, crop: PixelRect = centredCrop(src.width, src.height, dst.width, dst.height)): void {
  scalePlane(src.y, src.width, src.height, crop, dst.y, dst.width, dst.height);
  const region = chromaRegion(crop, dst.width, dst.height);
  const scw = (src.width + 1) >> 1;
  const sch = (src.height + 1) >> 1;
  const dcw = (dst.width + 1) >> 1;
  const dch = (dst.height + 1) >> 1;
  scalePlane(src.u, scw, sch, region, dst.u, dcw, dch);
  scalePlane(src.v, scw, sch, region, dst.v, dcw, dch);
}

/** NV12 crop-and-scale: as `cropAndScaleI420`, with the interleaved UV plane scaled as 2 channels. */
export function cropAndScaleNV12(src: NV12Image, dst: NV12Image, crop: PixelRect = centredCrop(src.width, src.height, dst.width, dst.height)): void {
  scalePlane(src.y, src.width, src.height, crop, dst.y, dst.width, dst.height);
  const region = chromaRegion(crop, dst.width, dst.height);
  scalePlane(src.uv, (src.width + 1) >> 1, (src.height + 1) >> 1, region, dst.uv, (dst.width + 1) >> 1, (dst.height + 1) >> 1, 2);
}

/** Crop-and-scale of 4-byte pixels (RGBA, BGRA, RGBX, BGRX: the channels are scaled alike). */
export function cropAndScaleRGBA(src: PackedImage, dst: PackedImage, crop: PixelRect = centredCrop(src.width, src.height, dst.width, dst.height, 1)): void {
  scalePlane(src.plane, src.width, src.height, crop, dst.plane, dst.width, dst.height, 4);
}
