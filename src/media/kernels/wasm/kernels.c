/*
 * Pixel and sample kernels in WebAssembly SIMD (128-bit), for src/media/kernels/wasm.ts.
 *
 * Each pixel kernel computes exactly what its scalar JavaScript reference in src/media/convert/
 * computes (same fixed-point formulas, same rounding, same edge rules), byte for byte; the tests
 * compare the two on random sizes. The sample kernels (at the end) are exact where their
 * references' arithmetic can be followed step for step (the channel mixer) and within one unit in
 * the last place of a float otherwise (the resampler adds its products in another order). The JavaScript side calls one kernel on planes in this module's memory
 * (frames the pools put there, or planes it copies in and results it copies out); the kernels
 * never allocate. The memory is shared so that growing it does not detach frames' views of it.
 *
 * Build: `npm run build:wasm` (scripts/build-wasm.mjs: clang --target=wasm32 -msimd128 -O3).
 */
#include <stdint.h>
#include <wasm_simd128.h>

typedef uint8_t u8;
typedef int32_t i32;
typedef int64_t i64;
typedef float f32;
typedef double f64;

/* The functions JavaScript calls; everything else is inlined or internal. */
#define EXPORT(name) __attribute__((export_name(#name)))

static inline u8 clamp8(i32 v) { return v < 0 ? 0 : v > 255 ? 255 : (u8)v; }

/* Four i32x4 to sixteen bytes, saturating (the references write through Uint8ClampedArray). */
static inline v128_t pack4(v128_t a, v128_t b, v128_t c, v128_t d) {
  return wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(a, b), wasm_i16x8_narrow_i32x4(c, d));
}

/* ---------------------------------------------------------------------------------------------
 * RGBA/BGRA (4th byte ignored) to I420; reference: rgbaToI420 in color.ts.
 *   Y = (yr·R + yg·G + yb·B + yOff) >> 16
 *   U = (((ur·ΣR + ug·ΣG + ub·ΣB + 2) >> 2) + (128 << 16) + 2^15) >> 16 over each 2×2 block
 * k = [yr, yg, yb, yOff, ur, ug, ub, vr, vg, vb]; bgr = 1 when red is the third byte.
 */
static inline v128_t luma4(v128_t p, v128_t rbCoef, v128_t yg, v128_t yOff) {
  const v128_t m = wasm_i32x4_splat(0x00ff00ff);
  v128_t rb = wasm_v128_and(p, m);
  v128_t g = wasm_v128_and(wasm_u32x4_shr(p, 8), wasm_i32x4_splat(0xff));
  v128_t sum = wasm_i32x4_add(wasm_i32x4_dot_i16x8(rb, rbCoef), wasm_i32x4_mul(g, yg));
  return wasm_i32x4_shr(wasm_i32x4_add(sum, yOff), 16);
}

/* Sums of R|B and G|A (16-bit halves) of the four 2×2 blocks of pixels a0,a1 (row 0) and b0,b1 (row 1). */
static inline void blockSums(v128_t a0, v128_t a1, v128_t b0, v128_t b1, v128_t* rb, v128_t* ga) {
  const v128_t m = wasm_i32x4_splat(0x00ff00ff);
  v128_t rb0 = wasm_i16x8_add(wasm_v128_and(a0, m), wasm_v128_and(b0, m));
  v128_t rb1 = wasm_i16x8_add(wasm_v128_and(a1, m), wasm_v128_and(b1, m));
  /* A 16-bit shift moves G and A down into the low bytes of their halves. */
  v128_t ga0 = wasm_i16x8_add(wasm_u16x8_shr(a0, 8), wasm_u16x8_shr(b0, 8));
  v128_t ga1 = wasm_i16x8_add(wasm_u16x8_shr(a1, 8), wasm_u16x8_shr(b1, 8));
  *rb = wasm_i16x8_add(wasm_i32x4_shuffle(rb0, rb1, 0, 2, 4, 6), wasm_i32x4_shuffle(rb0, rb1, 1, 3, 5, 7));
  *ga = wasm_i16x8_add(wasm_i32x4_shuffle(ga0, ga1, 0, 2, 4, 6), wasm_i32x4_shuffle(ga0, ga1, 1, 3, 5, 7));
}

/*
 * Chroma of four blocks from their sums with multiplications: r, g, b the sums in 32-bit lanes.
 * For coefficients that do not fit 16 bits (full range has a 0.5, 32768).
 */
static inline v128_t chroma4(v128_t r, v128_t g, v128_t b, i32 cr, i32 cg, i32 cb) {
  v128_t s = wasm_i32x4_add(wasm_i32x4_add(wasm_i32x4_mul(r, wasm_i32x4_splat(cr)), wasm_i32x4_mul(g, wasm_i32x4_splat(cg))),
                            wasm_i32x4_add(wasm_i32x4_mul(b, wasm_i32x4_splat(cb)), wasm_i32x4_splat(2)));
  s = wasm_i32x4_add(wasm_i32x4_shr(s, 2), wasm_i32x4_splat((128 << 16) + (1 << 15)));
  return wasm_i32x4_shr(s, 16);
}

/*
 * The same from the sums as blockSums packs them, with two dot products (coefficients that fit
 * 16 bits: rbCoef weighs the R|B halves, gCoef the G half and 0 for A). The reference's
 * (((s + 2) >> 2) + (128 << 16) + 2^15) >> 16 is one shift, (s + 2 + 4 × ((128 << 16) + 2^15)) >> 18:
 * the offset is a multiple of 4, so adding it before or after the first shift is the same.
 */
static inline v128_t chromaDot4(v128_t rb, v128_t ga, v128_t rbCoef, v128_t gCoef) {
  const v128_t offset = wasm_i32x4_splat(2 + 4 * ((128 << 16) + (1 << 15)));
  v128_t s = wasm_i32x4_add(wasm_i32x4_dot_i16x8(rb, rbCoef), wasm_i32x4_dot_i16x8(ga, gCoef));
  return wasm_i32x4_shr(wasm_i32x4_add(s, offset), 18);
}

static inline int fits16(i32 c) { return c >= -32768 && c <= 32767; }

EXPORT(rgb_to_i420) void rgb_to_i420(const u8* src, i32 sstride, i32 w, i32 h, i32 bgr, const i32* k, u8* yp, i32 ystride, u8* up,
                                      i32 ustride, u8* vp, i32 vstride) {
  const i32 yr = k[0], yg = k[1], yb = k[2], yOff = k[3];
  const i32 ur = k[4], ug = k[5], ub = k[6], vr = k[7], vg = k[8], vb = k[9];
  const i32 ri = bgr ? 2 : 0, bi = 2 - ri;
  /* Red and blue share a 32-bit lane as two 16-bit halves: one dot product weighs both. */
  const v128_t rbCoef = bgr ? wasm_i16x8_make(yb, yr, yb, yr, yb, yr, yb, yr) : wasm_i16x8_make(yr, yb, yr, yb, yr, yb, yr, yb);
  const v128_t vyg = wasm_i32x4_splat(yg), vyOff = wasm_i32x4_splat(yOff);
  const v128_t lo16 = wasm_i32x4_splat(0xffff), zero = wasm_i32x4_splat(0);
  const i32 cw = (w + 1) >> 1, ch = (h + 1) >> 1;
  const i32 chromaOffset = (128 << 16) + (1 << 15);
  /* Chroma by dot products when every chroma coefficient fits 16 bits (limited range). */
  const int dots = fits16(ur) && fits16(ug) && fits16(ub) && fits16(vr) && fits16(vg) && fits16(vb);
  const v128_t uRB = bgr ? wasm_i16x8_make(ub, ur, ub, ur, ub, ur, ub, ur) : wasm_i16x8_make(ur, ub, ur, ub, ur, ub, ur, ub);
  const v128_t vRB = bgr ? wasm_i16x8_make(vb, vr, vb, vr, vb, vr, vb, vr) : wasm_i16x8_make(vr, vb, vr, vb, vr, vb, vr, vb);
  const v128_t uG = wasm_i16x8_make(ug, 0, ug, 0, ug, 0, ug, 0), vG = wasm_i16x8_make(vg, 0, vg, 0, vg, 0, vg, 0);
  /* Two rows at a time: their luma, and the chroma of their 2x2 blocks from the same loads. */
  for (i32 crow = 0; crow < ch; crow++) {
    const i32 rows = crow * 2 + 1 < h ? 2 : 1;
    const u8* s0 = src + crow * 2 * sstride;
    const u8* s1 = rows == 2 ? s0 + sstride : s0;
    u8* y0 = yp + crow * 2 * ystride;
    u8* y1 = y0 + ystride;
    u8* u = up + crow * ustride;
    u8* v = vp + crow * vstride;
    i32 x = 0;
    for (; x + 16 <= w; x += 16) {
      const u8* a = s0 + x * 4;
      const u8* b = s1 + x * 4;
      v128_t a0 = wasm_v128_load(a), a1 = wasm_v128_load(a + 16), a2 = wasm_v128_load(a + 32), a3 = wasm_v128_load(a + 48);
      v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 16), b2 = wasm_v128_load(b + 32), b3 = wasm_v128_load(b + 48);
      wasm_v128_store(y0 + x, pack4(luma4(a0, rbCoef, vyg, vyOff), luma4(a1, rbCoef, vyg, vyOff), luma4(a2, rbCoef, vyg, vyOff),
                                    luma4(a3, rbCoef, vyg, vyOff)));
      if (rows == 2)
        wasm_v128_store(y1 + x, pack4(luma4(b0, rbCoef, vyg, vyOff), luma4(b1, rbCoef, vyg, vyOff), luma4(b2, rbCoef, vyg, vyOff),
                                      luma4(b3, rbCoef, vyg, vyOff)));
      v128_t rbL, gaL, rbH, gaH;
      blockSums(a0, a1, b0, b1, &rbL, &gaL);
      blockSums(a2, a3, b2, b3, &rbH, &gaH);
      if (dots) {
        wasm_v128_store64_lane(u + (x >> 1), pack4(chromaDot4(rbL, gaL, uRB, uG), chromaDot4(rbH, gaH, uRB, uG), zero, zero), 0);
        wasm_v128_store64_lane(v + (x >> 1), pack4(chromaDot4(rbL, gaL, vRB, vG), chromaDot4(rbH, gaH, vRB, vG), zero, zero), 0);
        continue;
      }
      v128_t rL = bgr ? wasm_u32x4_shr(rbL, 16) : wasm_v128_and(rbL, lo16);
      v128_t bL = bgr ? wasm_v128_and(rbL, lo16) : wasm_u32x4_shr(rbL, 16);
      v128_t rH = bgr ? wasm_u32x4_shr(rbH, 16) : wasm_v128_and(rbH, lo16);
      v128_t bH = bgr ? wasm_v128_and(rbH, lo16) : wasm_u32x4_shr(rbH, 16);
      v128_t gL = wasm_v128_and(gaL, lo16), gH = wasm_v128_and(gaH, lo16);
      wasm_v128_store64_lane(u + (x >> 1), pack4(chroma4(rL, gL, bL, ur, ug, ub), chroma4(rH, gH, bH, ur, ug, ub), zero, zero), 0);
      wasm_v128_store64_lane(v + (x >> 1), pack4(chroma4(rL, gL, bL, vr, vg, vb), chroma4(rH, gH, bH, vr, vg, vb), zero, zero), 0);
    }
    /* The rest of the two rows, as the reference computes them. */
    for (i32 r = 0; r < rows; r++) {
      const u8* s = (r ? s1 : s0) + x * 4;
      u8* y = r ? y1 : y0;
      for (i32 i = x; i < w; i++, s += 4) y[i] = clamp8((yr * s[ri] + yg * s[1] + yb * s[bi] + yOff) >> 16);
    }
    for (i32 cx = x >> 1; cx < cw; cx++) {
      const u8* a = s0 + cx * 8;
      const u8* b = s1 + cx * 8;
      const i32 dx = cx * 2 + 1 < w ? 4 : 0;
      const i32 r = a[ri] + a[dx + ri] + b[ri] + b[dx + ri];
      const i32 g = a[1] + a[dx + 1] + b[1] + b[dx + 1];
      const i32 bl = a[bi] + a[dx + bi] + b[bi] + b[dx + bi];
      u[cx] = clamp8((((ur * r + ug * g + ub * bl + 2) >> 2) + chromaOffset) >> 16);
      v[cx] = clamp8((((vr * r + vg * g + vb * bl + 2) >> 2) + chromaOffset) >> 16);
    }
  }
}

/* ---------------------------------------------------------------------------------------------
 * 4:2:0 YUV (planar, or NV12 with cstep 2) to RGBA/BGRA with alpha 255; reference: yuvToRGB.
 *   Y' = (Y - yOff)·ys + 2^15;  R = (Y' + rv·(V-128)) >> 16;  G = (Y' - gu·(U-128) - gv·(V-128)) >> 16;
 *   B = (Y' + bu·(U-128)) >> 16
 * k = [ys, yOff, rv, gu, gv, bu].
 */
static inline v128_t dupLo(v128_t c) { return wasm_i32x4_shuffle(c, c, 0, 0, 1, 1); }
static inline v128_t dupHi(v128_t c) { return wasm_i32x4_shuffle(c, c, 2, 2, 3, 3); }

EXPORT(yuv420_to_rgb) void yuv420_to_rgb(const u8* yp, i32 ystride, const u8* up, i32 ustride, const u8* vp, i32 vstride, i32 cstep, i32 w,
                   i32 h, u8* dst, i32 dstride, i32 bgr, const i32* k) {
  const i32 ys = k[0], yOff = k[1], rv = k[2], gu = k[3], gv = k[4], bu = k[5];
  const v128_t vys = wasm_i32x4_splat(ys), vyOff = wasm_i32x4_splat(yOff), half = wasm_i32x4_splat(1 << 15);
  const v128_t c128 = wasm_i32x4_splat(128), alpha = wasm_i8x16_splat((int8_t)0xff);
  for (i32 row = 0; row < h; row++) {
    const u8* y = yp + row * ystride;
    const u8* u = up + (row >> 1) * ustride;
    const u8* v = vp + (row >> 1) * vstride;
    u8* d = dst + row * dstride;
    i32 x = 0;
    for (; x + 16 <= w; x += 16, d += 64) {
      v128_t U8, V8;
      if (cstep == 2) {
        v128_t uv = wasm_v128_load(u + x);
        U8 = wasm_i8x16_shuffle(uv, uv, 0, 2, 4, 6, 8, 10, 12, 14, 0, 0, 0, 0, 0, 0, 0, 0);
        V8 = wasm_i8x16_shuffle(uv, uv, 1, 3, 5, 7, 9, 11, 13, 15, 0, 0, 0, 0, 0, 0, 0, 0);
      } else {
        U8 = wasm_v128_load64_zero(u + (x >> 1));
        V8 = wasm_v128_load64_zero(v + (x >> 1));
      }
      v128_t U16 = wasm_u16x8_extend_low_u8x16(U8), V16 = wasm_u16x8_extend_low_u8x16(V8);
      v128_t u0 = wasm_i32x4_sub(wasm_u32x4_extend_low_u16x8(U16), c128), u1 = wasm_i32x4_sub(wasm_u32x4_extend_high_u16x8(U16), c128);
      v128_t v0 = wasm_i32x4_sub(wasm_u32x4_extend_low_u16x8(V16), c128), v1 = wasm_i32x4_sub(wasm_u32x4_extend_high_u16x8(V16), c128);
      v128_t r0 = wasm_i32x4_mul(v0, wasm_i32x4_splat(rv)), r1 = wasm_i32x4_mul(v1, wasm_i32x4_splat(rv));
      v128_t g0 = wasm_i32x4_add(wasm_i32x4_mul(u0, wasm_i32x4_splat(gu)), wasm_i32x4_mul(v0, wasm_i32x4_splat(gv)));
      v128_t g1 = wasm_i32x4_add(wasm_i32x4_mul(u1, wasm_i32x4_splat(gu)), wasm_i32x4_mul(v1, wasm_i32x4_splat(gv)));
      v128_t b0 = wasm_i32x4_mul(u0, wasm_i32x4_splat(bu)), b1 = wasm_i32x4_mul(u1, wasm_i32x4_splat(bu));
      v128_t Y8 = wasm_v128_load(y + x);
      v128_t Ylo = wasm_u16x8_extend_low_u8x16(Y8), Yhi = wasm_u16x8_extend_high_u8x16(Y8);
      v128_t Y[4] = {wasm_u32x4_extend_low_u16x8(Ylo), wasm_u32x4_extend_high_u16x8(Ylo), wasm_u32x4_extend_low_u16x8(Yhi),
                     wasm_u32x4_extend_high_u16x8(Yhi)};
      for (int i = 0; i < 4; i++) Y[i] = wasm_i32x4_add(wasm_i32x4_mul(wasm_i32x4_sub(Y[i], vyOff), vys), half);
      v128_t R = pack4(wasm_i32x4_shr(wasm_i32x4_add(Y[0], dupLo(r0)), 16), wasm_i32x4_shr(wasm_i32x4_add(Y[1], dupHi(r0)), 16),
                       wasm_i32x4_shr(wasm_i32x4_add(Y[2], dupLo(r1)), 16), wasm_i32x4_shr(wasm_i32x4_add(Y[3], dupHi(r1)), 16));
      v128_t G = pack4(wasm_i32x4_shr(wasm_i32x4_sub(Y[0], dupLo(g0)), 16), wasm_i32x4_shr(wasm_i32x4_sub(Y[1], dupHi(g0)), 16),
                       wasm_i32x4_shr(wasm_i32x4_sub(Y[2], dupLo(g1)), 16), wasm_i32x4_shr(wasm_i32x4_sub(Y[3], dupHi(g1)), 16));
      v128_t B = pack4(wasm_i32x4_shr(wasm_i32x4_add(Y[0], dupLo(b0)), 16), wasm_i32x4_shr(wasm_i32x4_add(Y[1], dupHi(b0)), 16),
                       wasm_i32x4_shr(wasm_i32x4_add(Y[2], dupLo(b1)), 16), wasm_i32x4_shr(wasm_i32x4_add(Y[3], dupHi(b1)), 16));
      if (bgr) {
        v128_t t = R;
        R = B;
        B = t;
      }
      v128_t rgLo = wasm_i8x16_shuffle(R, G, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
      v128_t rgHi = wasm_i8x16_shuffle(R, G, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
      v128_t baLo = wasm_i8x16_shuffle(B, alpha, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
      v128_t baHi = wasm_i8x16_shuffle(B, alpha, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
      wasm_v128_store(d, wasm_i16x8_shuffle(rgLo, baLo, 0, 8, 1, 9, 2, 10, 3, 11));
      wasm_v128_store(d + 16, wasm_i16x8_shuffle(rgLo, baLo, 4, 12, 5, 13, 6, 14, 7, 15));
      wasm_v128_store(d + 32, wasm_i16x8_shuffle(rgHi, baHi, 0, 8, 1, 9, 2, 10, 3, 11));
      wasm_v128_store(d + 48, wasm_i16x8_shuffle(rgHi, baHi, 4, 12, 5, 13, 6, 14, 7, 15));
    }
    const i32 ri = bgr ? 2 : 0, bi = 2 - ri;
    for (; x < w; x++, d += 4) {
      const i32 ci = (x >> 1) * cstep;
      const i32 U = u[ci] - 128, V = v[ci] - 128;
      const i32 Yv = (y[x] - yOff) * ys + (1 << 15);
      d[ri] = clamp8((Yv + rv * V) >> 16);
      d[1] = clamp8((Yv - gu * U - gv * V) >> 16);
      d[bi] = clamp8((Yv + bu * U) >> 16);
      d[3] = 255;
    }
  }
}

/* ---------------------------------------------------------------------------------------------
 * Exact 2:1 of one channel: each output the rounded mean of a 2×2 block; reference: halve in scale.ts.
 */
EXPORT(halve_plane) void halve_plane(const u8* src, i32 sstride, u8* dst, i32 dstride, i32 dw, i32 dh) {
  const v128_t two = wasm_i16x8_splat(2);
  for (i32 row = 0; row < dh; row++) {
    const u8* a = src + 2 * row * sstride;
    const u8* b = a + sstride;
    u8* o = dst + row * dstride;
    i32 x = 0;
    for (; x + 16 <= dw; x += 16) {
      v128_t lo = wasm_i16x8_add(wasm_u16x8_extadd_pairwise_u8x16(wasm_v128_load(a + 2 * x)), wasm_u16x8_extadd_pairwise_u8x16(wasm_v128_load(b + 2 * x)));
      v128_t hi = wasm_i16x8_add(wasm_u16x8_extadd_pairwise_u8x16(wasm_v128_load(a + 2 * x + 16)), wasm_u16x8_extadd_pairwise_u8x16(wasm_v128_load(b + 2 * x + 16)));
      lo = wasm_u16x8_shr(wasm_i16x8_add(lo, two), 2);
      hi = wasm_u16x8_shr(wasm_i16x8_add(hi, two), 2);
      wasm_v128_store(o + x, wasm_u8x16_narrow_i16x8(lo, hi));
    }
    for (; x < dw; x++) o[x] = (u8)((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) >> 2);
  }
}

/* ---------------------------------------------------------------------------------------------
 * Exact 3:1 of one channel: each output the rounded mean of a 3x3 block, (sum + 4) / 9; reference:
 * boxAverage in scale.ts. For sums up to 9·255, round(sum · 3641 / 2^15) (one q15 multiply) equals
 * floor((sum + 4) / 9): the error, under 0.008, never crosses a rounding boundary (sum / 9 has
 * fractions k/9 only, none within 0.05 of one half).
 *
 * Each row's 3-byte groups go into 4-byte lanes (the fourth byte zero, a swizzle index past 15),
 * so that one pairwise widening add gives (b0 + b1, b2) per lane in 16 bits; the three rows are
 * added in 16 bits (at most 3·510) and one pairwise multiply-add by ones finishes each 3×3 sum in
 * 32 bits. Every shuffle reads one register (a 16-byte load at 12 bytes a step covers four
 * groups), which x86 does in one pshufb; a two-register shuffle costs three instructions. */
EXPORT(third_plane) void third_plane(const u8* src, i32 sstride, u8* dst, i32 dstride, i32 dw, i32 dh) {
  const v128_t groups = wasm_i8x16_make(0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1);
  const v128_t ones = wasm_i16x8_splat(1);
  const v128_t ninth = wasm_i16x8_splat(3641);
  for (i32 row = 0; row < dh; row++) {
    const u8* r0 = src + 3 * row * sstride;
    const u8* r1 = r0 + sstride;
    const u8* r2 = r1 + sstride;
    u8* o = dst + row * dstride;
    i32 x = 0;
    /* The last load of 16 outputs reads 4 bytes past their 48: the caller leaves SLACK bytes. */
    for (; x + 16 <= dw; x += 16) {
      v128_t s[4];
      for (int q = 0; q < 4; q++) {
        const i32 at = 3 * x + 12 * q;
        v128_t a = wasm_u16x8_extadd_pairwise_u8x16(wasm_i8x16_swizzle(wasm_v128_load(r0 + at), groups));
        v128_t b = wasm_u16x8_extadd_pairwise_u8x16(wasm_i8x16_swizzle(wasm_v128_load(r1 + at), groups));
        v128_t c = wasm_u16x8_extadd_pairwise_u8x16(wasm_i8x16_swizzle(wasm_v128_load(r2 + at), groups));
        s[q] = wasm_i32x4_dot_i16x8(wasm_i16x8_add(wasm_i16x8_add(a, b), c), ones);
      }
      v128_t lo = wasm_i16x8_narrow_i32x4(s[0], s[1]), hi = wasm_i16x8_narrow_i32x4(s[2], s[3]);
      wasm_v128_store(o + x, wasm_u8x16_narrow_i16x8(wasm_i16x8_q15mulr_sat(lo, ninth), wasm_i16x8_q15mulr_sat(hi, ninth)));
    }
    for (; x < dw; x++) {
      const i32 at = 3 * x;
      const i32 sum = r0[at] + r0[at + 1] + r0[at + 2] + r1[at] + r1[at + 1] + r1[at + 2] + r2[at] + r2[at + 1] + r2[at + 2];
      o[x] = (u8)((sum + 4) / 9);
    }
  }
}

/* ---------------------------------------------------------------------------------------------
 * Exact 4:1 of one channel: each output the rounded mean of a 4x4 block, (sum + 8) >> 4;
 * reference: boxAverage in scale.ts. Pairwise widening adds (u8 → u16) of each row, the four rows
 * added in 16 bits (at most 4·510), one pairwise multiply-add by ones (→ 32 bits) per four outputs.
 */
EXPORT(quarter_plane) void quarter_plane(const u8* src, i32 sstride, u8* dst, i32 dstride, i32 dw, i32 dh) {
  const v128_t ones = wasm_i16x8_splat(1);
  const v128_t eight = wasm_i32x4_splat(8);
  for (i32 row = 0; row < dh; row++) {
    const u8* r0 = src + 4 * row * sstride;
    const u8* r1 = r0 + sstride;
    const u8* r2 = r1 + sstride;
    const u8* r3 = r2 + sstride;
    u8* o = dst + row * dstride;
    i32 x = 0;
    for (; x + 16 <= dw; x += 16) {
      v128_t s[4];
      for (int q = 0; q < 4; q++) {
        const i32 at = 4 * x + 16 * q;
        v128_t top = wasm_i16x8_add(wasm_u16x8_extadd_pairwise_u8x16(wasm_v128_load(r0 + at)), wasm_u16x8_extadd_pairwise_u8x16(wasm_v128_load(r1 + at)));
        v128_t bottom = wasm_i16x8_add(wasm_u16x8_extadd_pairwise_u8x16(wasm_v128_load(r2 + at)), wasm_u16x8_extadd_pairwise_u8x16(wasm_v128_load(r3 + at)));
        s[q] = wasm_u32x4_shr(wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_i16x8_add(top, bottom), ones), eight), 4);
      }
      wasm_v128_store(o + x, wasm_u8x16_narrow_i16x8(wasm_i16x8_narrow_i32x4(s[0], s[1]), wasm_i16x8_narrow_i32x4(s[2], s[3])));
    }
    for (; x < dw; x++) {
      i32 sum = 8;
      for (const u8* r = r0 + 4 * x; r <= r3 + 4 * x; r += sstride) sum += r[0] + r[1] + r[2] + r[3];
      o[x] = (u8)(sum >> 4);
    }
  }
}

/* ---------------------------------------------------------------------------------------------
 * Separable resampling with precomputed taps; reference: scalePlane in scale.ts.
 * Horizontal: out = (Σ w·s + 2^5) >> 6 (8 fractional bits kept); vertical: (Σ w·row + 2^21) >> 22.
 * The horizontal results of each source row go into a ring of vtaps + 1 rows, so each source row
 * is filtered once. slotRow: vtaps + 1 ints of scratch.
 */
#define H_SHIFT 6
#define V_SHIFT 22

/* How many leading outputs of a one-channel row follow the 3:1 pattern: taps at idx0 + 3i + (0, 1, 2), same weights. */
static i32 periodic3(const i32* idx, const i32* wt, i32 dw) {
  i32 i = 0;
  for (; i < dw; i++) {
    const i32* t = idx + 3 * i;
    const i32* q = wt + 3 * i;
    if (t[0] != idx[0] + 3 * i || t[1] != t[0] + 1 || t[2] != t[0] + 2 || q[0] != wt[0] || q[1] != wt[1] || q[2] != wt[2]) break;
  }
  return i;
}

static void filter_row(const u8* s, i32 channels, i32 dw, i32 taps, const i32* idx, const i32* wt, i32 fast3, i32* out) {
  const i32 round = 1 << (H_SHIFT - 1);
  i32 i = 0;
  if (fast3 >= 8) {
    /* 3:1: outputs i..i+7 read source bytes idx0 + 3i .. +23. The pairs (3j, 3j+1) and the
       third taps (3j+2, weighted with a zero partner) each make one dot product per output. */
    const v128_t w01 = wasm_i32x4_splat((wt[1] << 16) | (wt[0] & 0xffff));
    const v128_t w2 = wasm_i32x4_splat(wt[2] & 0xffff);
    const v128_t vr = wasm_i32x4_splat(round);
    const u8* base = s + idx[0];
    for (; i + 8 <= fast3; i += 8) {
      const u8* p = base + 3 * i;
      v128_t a = wasm_v128_load(p), b = wasm_v128_load(p + 16);
      v128_t pairs = wasm_i8x16_shuffle(a, b, 0, 1, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16, 18, 19, 21, 22);
      v128_t third = wasm_i8x16_shuffle(a, b, 2, 2, 5, 5, 8, 8, 11, 11, 14, 14, 17, 17, 20, 20, 23, 23);
      v128_t lo = wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_u16x8_extend_low_u8x16(pairs), w01), wasm_i32x4_dot_i16x8(wasm_u16x8_extend_low_u8x16(third), w2));
      v128_t hi = wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_u16x8_extend_high_u8x16(pairs), w01), wasm_i32x4_dot_i16x8(wasm_u16x8_extend_high_u8x16(third), w2));
      wasm_v128_store(out + i, wasm_i32x4_shr(wasm_i32x4_add(lo, vr), H_SHIFT));
      wasm_v128_store(out + i + 4, wasm_i32x4_shr(wasm_i32x4_add(hi, vr), H_SHIFT));
    }
  }
  if (channels == 1) {
    for (const i32 *t = idx + i * taps, *q = wt + i * taps; i < dw; i++, t += taps, q += taps) {
      i32 sum = round;
      for (i32 k = 0; k < taps; k++) sum += q[k] * s[t[k]];
      out[i] = sum >> H_SHIFT;
    }
    return;
  }
  i32* o = out;
  for (const i32 *t = idx, *q = wt; i < dw; i++, t += taps, q += taps) {
    for (i32 c = 0; c < channels; c++) {
      i32 sum = round;
      for (i32 k = 0; k < taps; k++) sum += q[k] * s[t[k] * channels + c];
      *o++ = sum >> H_SHIFT;
    }
  }
}

EXPORT(scale_plane) void scale_plane(const u8* src, i32 sstride, i32 channels, u8* dst, i32 dstride, i32 dw, i32 dh, i32 htaps,
                 const i32* hidx, const i32* hw, i32 vtaps, const i32* vidx, const i32* vw, i32* ring, i32* slotRow) {
  const i32 rowLength = dw * channels;
  const i32 slots = vtaps + 1;
  const i32 fast3 = channels == 1 && htaps == 3 ? periodic3(hidx, hw, dw) : 0;
  for (i32 k = 0; k < slots; k++) slotRow[k] = -1;
  const v128_t vround = wasm_i32x4_splat(1 << (V_SHIFT - 1));
  for (i32 oy = 0; oy < dh; oy++) {
    const i32* ti = vidx + oy * vtaps;
    const i32* tw = vw + oy * vtaps;
    for (i32 k = 0; k < vtaps; k++) {
      if (tw[k] == 0) continue;
      const i32 row = ti[k];
      const i32 slot = row % slots;
      if (slotRow[slot] == row) continue;
      slotRow[slot] = row;
      filter_row(src + row * sstride, channels, dw, htaps, hidx, hw, fast3, ring + slot * rowLength);
    }
    u8* o = dst + oy * dstride;
    i32 i = 0;
    for (; i + 16 <= rowLength; i += 16) {
      v128_t acc[4] = {vround, vround, vround, vround};
      for (i32 k = 0; k < vtaps; k++) {
        const i32* r = ring + (ti[k] % slots) * rowLength + i;
        const v128_t wk = wasm_i32x4_splat(tw[k]);
        for (int j = 0; j < 4; j++) acc[j] = wasm_i32x4_add(acc[j], wasm_i32x4_mul(wasm_v128_load(r + 4 * j), wk));
      }
      wasm_v128_store(o + i, pack4(wasm_i32x4_shr(acc[0], V_SHIFT), wasm_i32x4_shr(acc[1], V_SHIFT), wasm_i32x4_shr(acc[2], V_SHIFT),
                                   wasm_i32x4_shr(acc[3], V_SHIFT)));
    }
    for (; i < rowLength; i++) {
      i32 sum = 1 << (V_SHIFT - 1);
      for (i32 k = 0; k < vtaps; k++) sum += tw[k] * ring[(ti[k] % slots) * rowLength + i];
      o[i] = clamp8(sum >> V_SHIFT);
    }
  }
}

/* ---------------------------------------------------------------------------------------------
 * Audio: the channel mixer; reference: mixChannels in audio.ts ('speakers' matrices).
 * out[o] (frames floats each, planar) = Σ over i of matrix[o·inputs + i] · in[i], in the order of
 * i, terms with a gain of 0 skipped, starting from +0; each step as the reference does it:
 * f32(f64(acc) + gain · f64(x)), so the bytes are the reference's. The sums are in f64x2 lanes
 * (two samples at once); f32x4.demote rounds to nearest even, as Float32Array stores do.
 */
EXPORT(mix_channels) void mix_channels(f32* out, const f32* in, i32 frames, i32 inputs, i32 outputs, const f64* matrix) {
  for (i32 o = 0; o < outputs; o++) {
    f32* d = out + (i64)o * frames;
    i32 terms = 0;
    for (i32 i = 0; i < inputs; i++) {
      const f64 gain = matrix[o * inputs + i];
      if (gain == 0) continue;
      const f32* s = in + (i64)i * frames;
      const v128_t g = wasm_f64x2_splat(gain);
      /* The first term is added to +0 (what the reference's zero-filled output holds). */
      const v128_t zero = wasm_f64x2_splat(0);
      i32 n = 0;
      for (; n + 4 <= frames; n += 4) {
        const v128_t x = wasm_v128_load(s + n);
        const v128_t a = terms ? wasm_v128_load(d + n) : zero;
        const v128_t alo = terms ? wasm_f64x2_promote_low_f32x4(a) : zero;
        const v128_t ahi = terms ? wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(a, a, 2, 3, 2, 3)) : zero;
        const v128_t lo = wasm_f64x2_add(alo, wasm_f64x2_mul(g, wasm_f64x2_promote_low_f32x4(x)));
        const v128_t hi = wasm_f64x2_add(ahi, wasm_f64x2_mul(g, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 2, 3))));
        wasm_v128_store(d + n, wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi), 0, 1, 4, 5));
      }
      for (; n < frames; n++) d[n] = (f32)((terms ? (f64)d[n] : 0.0) + gain * (f64)s[n]);
      terms++;
    }
    if (terms == 0)
      for (i32 n = 0; n < frames; n++) d[n] = 0.0f;
  }
}

/* ---------------------------------------------------------------------------------------------
 * Audio: the resampler's filter, one channel; reference: Resampler #run in resample.ts, its exact
 * (rational) case. Output j is output number n = first + j of the stream: at input position
 * t = n · step / phases, ipos = floor(t), phase = n · step mod phases; its value is
 * Σ over k < taps of coefficients[phase · taps + k] · x[ipos − half + 1 + k − start], where x[0]
 * is input sample number `start` (first and start are integers passed as doubles: streams outgrow
 * 32 bits). Products of two floats are exact in f64; the reference adds them one after another in
 * one f64, this adds them four ways (two f64x2) and then together, so the f64 sums differ in their
 * last bits and, rarely, the float they round to by one unit in the last place.
 */
EXPORT(resample_channel) void resample_channel(f32* out, const f32* x, const f32* coefficients, i32 taps, i32 half, i32 phases, i32 step,
                                              f64 first, i32 count, f64 start) {
  const i64 origin = (i64)start;
  i64 t = (i64)first * step;
  for (i32 j = 0; j < count; j++, t += step) {
    const i64 ipos = t / phases;
    const i32 phase = (i32)(t - ipos * phases);
    const f32* xs = x + (ipos - half + 1 - origin);
    const f32* c = coefficients + (i64)phase * taps;
    v128_t acc0 = wasm_f64x2_splat(0);
    v128_t acc1 = wasm_f64x2_splat(0);
    i32 k = 0;
    for (; k + 4 <= taps; k += 4) {
      const v128_t cv = wasm_v128_load(c + k);
      const v128_t xv = wasm_v128_load(xs + k);
      acc0 = wasm_f64x2_add(acc0, wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(cv), wasm_f64x2_promote_low_f32x4(xv)));
      acc1 = wasm_f64x2_add(acc1, wasm_f64x2_mul(wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(cv, cv, 2, 3, 2, 3)),
                                                 wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(xv, xv, 2, 3, 2, 3))));
    }
    const v128_t acc = wasm_f64x2_add(acc0, acc1);
    f64 sum = wasm_f64x2_extract_lane(acc, 0) + wasm_f64x2_extract_lane(acc, 1);
    for (; k < taps; k++) sum += (f64)c[k] * (f64)xs[k];
    out[j] = (f32)sum;
  }
}
