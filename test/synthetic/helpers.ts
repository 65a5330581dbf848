// Image helpers for the synthetic-media tests: I420 crop, area downscale, RGBA conversion.
import { i420Layout } from '../../src/media/synthetic/test-pattern.js';

/** The three planes of a tightly packed I420 frame. */
export function planes(data: Uint8Array, width: number, height: number) {
  const l = i420Layout(width, height);
  return {
    y: data.subarray(0, l.uOffset),
    u: data.subarray(l.uOffset, l.vOffset),
    v: data.subarray(l.vOffset, l.byteLength),
    cw: l.chromaWidth,
    ch: l.chromaHeight,
  };
}

/** Area-average downscale of one plane by an integer factor (sizes divisible by it). */
function shrinkPlane(src: Uint8Array, w: number, h: number, k: number): Uint8Array {
  const ow = Math.floor(w / k);
  const oh = Math.floor(h / k);
  const out = new Uint8Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let sum = 0;
      for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) sum += src[(y * k + dy) * w + x * k + dx]!;
      out[y * ow + x] = Math.round(sum / (k * k));
    }
  }
  return out;
}

/** Downscales an I420 frame by an integer factor k (width and height divisible by 2k). */
export function boxDownscaleI420(data: Uint8Array, width: number, height: number, k: number) {
  const p = planes(data, width, height);
  const w = width / k;
  const h = height / k;
  const out = new Uint8Array(i420Layout(w, h).byteLength);
  out.set(shrinkPlane(p.y, width, height, k), 0);
  out.set(shrinkPlane(p.u, p.cw, p.ch, k), w * h);
  out.set(shrinkPlane(p.v, p.cw, p.ch, k), w * h + (w / 2) * (h / 2));
  return { data: out, width: w, height: h };
}

/** Crops an I420 frame to [x, x + w) × [y, y + h) (all even). */
export function cropI420(data: Uint8Array, width: number, height: number, x: number, y: number, w: number, h: number) {
  const p = planes(data, width, height);
  const out = new Uint8Array(i420Layout(w, h).byteLength);
  for (let r = 0; r < h; r++) out.set(p.y.subarray((y + r) * width + x, (y + r) * width + x + w), r * w);
  const cw = w / 2;
  for (let r = 0; r < h / 2; r++) {
    const from = (y / 2 + r) * p.cw + x / 2;
    out.set(p.u.subarray(from, from + cw), w * h + r * cw);
    out.set(p.v.subarray(from, from + cw), w * h + (w * h) / 4 + r * cw);
  }
  return { data: out, width: w, height: h };
}

/** BT.601 limited-range I420 to RGBA. */
export function i420ToRgba(data: Uint8Array, width: number, height: number): Uint8ClampedArray {
  const p = planes(data, width, height);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const Y = 1.164 * (p.y[y * width + x]! - 16);
      const ci = (y >> 1) * p.cw + (x >> 1);
      const U = p.u[ci]! - 128;
      const V = p.v[ci]! - 128;
      const i = (y * width + x) * 4;
      out[i] = Y + 1.596 * V;
      out[i + 1] = Y - 0.392 * U - 0.813 * V;
      out[i + 2] = Y + 2.017 * U;
      out[i + 3] = 255;
    }
  }
  return out;
}

/** A small deterministic PRNG (mulberry32) for picking test values. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
