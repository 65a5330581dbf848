import { describe, expect, it } from 'vitest';
import { convertRGB, i420ToNV12, i420ToRGBA, nv12ToI420, nv12ToRGBA, rgbaToI420, swapRedBlue, yuyvToI420 } from '../../src/media/convert/color.js';
import { i420Image, i420Size, nv12Image, packedImage } from '../../src/media/convert/image.js';
import { expectClose } from '../webcodecs/helpers.js';

/** A deterministic pseudo-random byte generator. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  };
}

/** RGBA pixels where every 2×2 block has one colour (so 4:2:0 loses nothing). */
function blockyRGBA(width: number, height: number, seed: number): Uint8Array {
  const next = random(seed);
  const out = new Uint8Array(width * height * 4);
  const colours: number[][] = [];
  for (let by = 0; by < height / 2; by++) for (let bx = 0; bx < width / 2; bx++) colours.push([next(), next(), next()]);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const c = colours[(y >> 1) * (width / 2) + (x >> 1)]!;
      out.set([...c, 255], (y * width + x) * 4);
    }
  return out;
}

describe('RGB → I420 → RGB', () => {
  for (const matrix of ['bt601', 'bt709', 'bt2020'] as const) {
    for (const fullRange of [false, true]) {
      it(`round-trips within ±2 (${matrix}, ${fullRange ? 'full' : 'limited'} range)`, () => {
        const [w, h] = [16, 8];
        const rgba = blockyRGBA(w, h, 7);
        const yuv = i420Image(new Uint8Array(i420Size(w, h)), w, h);
        rgbaToI420(packedImage(rgba, w, h), yuv, { matrix, fullRange });
        const back = new Uint8Array(w * h * 4);
        i420ToRGBA(yuv, packedImage(back, w, h).plane, { matrix, fullRange });
        expectClose(back, rgba, 2);
      });
    }
  }

  it('gives the textbook BT.601 limited-range values for primaries, white and black', () => {
    const cases: [number[], number[]][] = [
      [[255, 0, 0], [81, 90, 240]],
      [[0, 255, 0], [145, 54, 34]],
      [[0, 0, 255], [41, 240, 110]],
      [[255, 255, 255], [235, 128, 128]],
      [[0, 0, 0], [16, 128, 128]],
    ];
    for (const [rgb, yuv] of cases) {
      const rgba = new Uint8Array(16);
      for (let i = 0; i < 4; i++) rgba.set([...rgb, 255], i * 4);
      const out = i420Image(new Uint8Array(6), 2, 2);
      rgbaToI420(packedImage(rgba, 2, 2), out);
      expectClose([out.y.data[0]!, out.u.data[4]!, out.v.data[5]!], yuv, 1);
    }
  });

  it('BT.709 red is Y 63, U 102, V 240', () => {
    const rgba = new Uint8Array(16).fill(0);
    for (let i = 0; i < 4; i++) rgba.set([255, 0, 0, 255], i * 4);
    const out = i420Image(new Uint8Array(6), 2, 2);
    rgbaToI420(packedImage(rgba, 2, 2), out, { matrix: 'bt709' });
    expectClose(Array.from(out.y.data), [63, 63, 63, 63, 102, 240], 1);
  });

  it('reads BGRA order and writes BGRA order', () => {
    const bgra = new Uint8Array([0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255]);
    const yuv = i420Image(new Uint8Array(6), 2, 2);
    rgbaToI420(packedImage(bgra, 2, 2), yuv, { order: 'BGRA' });
    expectClose([yuv.y.data[0]!, yuv.u.data[4]!, yuv.v.data[5]!], [81, 90, 240], 1);
    const out = new Uint8Array(16);
    i420ToRGBA(yuv, packedImage(out, 2, 2).plane, { order: 'BGRA' });
    expectClose(out, bgra, 2);
  });

  it('averages each 2×2 block for chroma, including the partial blocks of odd sizes', () => {
    // 3×1: red, red, blue. Chroma column 0 averages two reds; column 1 is the lone blue.
    const rgba = new Uint8Array([255, 0, 0, 255, 255, 0, 0, 255, 0, 0, 255, 255]);
    const yuv = i420Image(new Uint8Array(i420Size(3, 1)), 3, 1);
    rgbaToI420(packedImage(rgba, 3, 1), yuv);
    expect(Array.from(yuv.u.data.subarray(3, 5))).toEqual([90, 240]);
    expect(Array.from(yuv.v.data.subarray(5, 7))).toEqual([240, 110]);
    // Red and blue side by side: chroma is their average.
    const mixed = new Uint8Array([255, 0, 0, 255, 0, 0, 255, 255]);
    const two = i420Image(new Uint8Array(4), 2, 1);
    rgbaToI420(packedImage(mixed, 2, 1), two);
    expectClose([two.u.data[2]!, two.v.data[3]!], [165, 175], 1);
  });

  it('respects plane offsets and strides, leaving padding alone', () => {
    const [w, h] = [4, 2];
    const rgba = blockyRGBA(w, h, 3);
    const padded = new Uint8Array(64).fill(0xee);
    const dst = { width: w, height: h, y: { data: padded, offset: 2, stride: 6 }, u: { data: padded, offset: 20, stride: 3 }, v: { data: padded, offset: 30, stride: 3 } };
    rgbaToI420(packedImage(rgba, w, h), dst);
    const tight = i420Image(new Uint8Array(i420Size(w, h)), w, h);
    rgbaToI420(packedImage(rgba, w, h), tight);
    expect(Array.from(padded.subarray(2, 6))).toEqual(Array.from(tight.y.data.subarray(0, 4)));
    expect(Array.from(padded.subarray(8, 12))).toEqual(Array.from(tight.y.data.subarray(4, 8)));
    expect(Array.from(padded.subarray(20, 22))).toEqual(Array.from(tight.y.data.subarray(8, 10)));
    expect([padded[0], padded[1], padded[6], padded[7], padded[22], padded[32]]).toEqual([0xee, 0xee, 0xee, 0xee, 0xee, 0xee]);
  });
});

describe('YUV layouts', () => {
  it('NV12 → I420 → NV12 is exact', () => {
    const [w, h] = [6, 4];
    const nv12 = new Uint8Array(w * h + w * (h / 2)).map((_, i) => (i * 7) % 256);
    const i420 = i420Image(new Uint8Array(i420Size(w, h)), w, h);
    nv12ToI420(nv12Image(nv12, w, h), i420);
    expect(Array.from(i420.u.data.subarray(24, 27))).toEqual([nv12[24], nv12[26], nv12[28]]);
    expect(Array.from(i420.v.data.subarray(30, 33))).toEqual([nv12[25], nv12[27], nv12[29]]);
    const back = new Uint8Array(nv12.length);
    i420ToNV12(i420, nv12Image(back, w, h));
    expect(back).toEqual(nv12);
  });

  it('NV12 → RGBA reads the interleaved chroma', () => {
    const nv12 = new Uint8Array([81, 81, 41, 41, 81, 81, 41, 41, 90, 240, 240, 110]);
    const out = new Uint8Array(4 * 2 * 4);
    nv12ToRGBA(nv12Image(nv12, 4, 2), packedImage(out, 4, 2).plane);
    expectClose(out.subarray(0, 4), [255, 0, 0, 255], 2);
    expectClose(out.subarray(8, 12), [0, 0, 255, 255], 2);
  });

  it('YUYV → I420 copies luma and averages chroma over the two rows of each block', () => {
    // 4×2 YUYV: row 0 Y0 U Y1 V …, row 1 likewise.
    const yuyv = new Uint8Array([10, 100, 11, 200, 12, 102, 13, 202, 20, 110, 21, 210, 22, 113, 23, 213]);
    const out = i420Image(new Uint8Array(i420Size(4, 2)), 4, 2);
    yuyvToI420(packedImage(yuyv, 4, 2, 2), out);
    expect(Array.from(out.y.data.subarray(0, 8))).toEqual([10, 11, 12, 13, 20, 21, 22, 23]);
    expect(Array.from(out.u.data.subarray(8, 10))).toEqual([105, 108]);
    expect(Array.from(out.v.data.subarray(10, 12))).toEqual([205, 208]);
  });

  it('YUYV with an odd number of rows uses the last row alone', () => {
    const yuyv = new Uint8Array([1, 50, 2, 60]);
    const out = i420Image(new Uint8Array(i420Size(2, 1)), 2, 1);
    yuyvToI420(packedImage(yuyv, 2, 1, 2), out);
    expect(Array.from(out.y.data)).toEqual([1, 2, 50, 60]);
  });
});

describe('RGB orders', () => {
  it('swaps red and blue, in place or into another buffer', () => {
    const px = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const out = new Uint8Array(8);
    swapRedBlue(packedImage(px, 2, 1), packedImage(out, 2, 1).plane);
    expect(Array.from(out)).toEqual([3, 2, 1, 4, 7, 6, 5, 8]);
    swapRedBlue(packedImage(px, 2, 1));
    expect(Array.from(px)).toEqual([3, 2, 1, 4, 7, 6, 5, 8]);
  });

  it('makes padding bytes opaque when asked', () => {
    const px = new Uint8Array([1, 2, 3, 0, 5, 6, 7, 9]);
    const out = new Uint8Array(8);
    convertRGB(packedImage(px, 2, 1), 'RGBA', packedImage(out, 2, 1).plane, 'RGBA', true);
    expect(Array.from(out)).toEqual([1, 2, 3, 255, 5, 6, 7, 255]);
  });
});
