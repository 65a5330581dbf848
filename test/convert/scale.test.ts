import { describe, expect, it } from 'vitest';
import { i420Image, i420Size, nv12Image, packedImage, type I420Image } from '../../src/media/convert/image.js';
import { centredCrop, cropAndScaleI420, cropAndScaleNV12, cropAndScaleRGBA, scalePlane } from '../../src/media/convert/scale.js';

/** An I420 image whose four quadrants have the given (Y, U, V). Sizes must be multiples of 4. */
function quadrants(width: number, height: number, colours: number[][]): I420Image {
  const image = i420Image(new Uint8Array(i420Size(width, height)), width, height);
  const paint = (plane: I420Image['y'], w: number, h: number, channel: number) => {
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) plane.data[plane.offset + y * plane.stride + x] = colours[(y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1)]![channel]!;
  };
  paint(image.y, width, height, 0);
  paint(image.u, width / 2, height / 2, 1);
  paint(image.v, width / 2, height / 2, 2);
  return image;
}

function sample(plane: I420Image['y'], x: number, y: number): number {
  return plane.data[plane.offset + y * plane.stride + x]!;
}

function uniform(width: number, height: number, y: number, u: number, v: number): I420Image {
  const image = i420Image(new Uint8Array(i420Size(width, height)), width, height);
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  image.y.data.fill(y, 0, width * height);
  image.u.data.fill(u, width * height, width * height + cw * ch);
  image.v.data.fill(v, width * height + cw * ch);
  return image;
}

const COLOURS = [
  [40, 90, 240],
  [145, 54, 34],
  [41, 240, 110],
  [200, 128, 128],
];

describe('centredCrop', () => {
  it('cuts the sides of a wider source, or the top and bottom of a taller one, centred and even', () => {
    expect(centredCrop(1920, 1080, 640, 480)).toEqual({ x: 240, y: 0, width: 1440, height: 1080 });
    expect(centredCrop(640, 480, 1280, 720)).toEqual({ x: 0, y: 60, width: 640, height: 360 });
    expect(centredCrop(1280, 720, 640, 360)).toEqual({ x: 0, y: 0, width: 1280, height: 720 });
    // 100 wide at 1:1 from 150×100: 25 px each side, rounded down to even.
    expect(centredCrop(150, 100, 50, 50)).toEqual({ x: 24, y: 0, width: 100, height: 100 });
    expect(centredCrop(150, 100, 50, 50, 1)).toEqual({ x: 25, y: 0, width: 100, height: 100 });
  });
});

describe('cropAndScaleI420', () => {
  for (const [sw, sh, dw, dh] of [
    [64, 48, 32, 24],
    [96, 48, 64, 32],
    [64, 48, 48, 36],
    [32, 24, 64, 48],
  ]) {
    it(`keeps the quadrant colours scaling ${sw}×${sh} → ${dw}×${dh}`, () => {
      const src = quadrants(sw!, sh!, COLOURS);
      const dst = i420Image(new Uint8Array(i420Size(dw!, dh!)), dw!, dh!);
      cropAndScaleI420(src, dst);
      // Away from the centre lines (where a filter may blend), each quadrant has its colour exactly.
      const margin = 2;
      for (let y = 0; y < dh!; y++)
        for (let x = 0; x < dw!; x++) {
          if (Math.abs(x + 0.5 - dw! / 2) < margin || Math.abs(y + 0.5 - dh! / 2) < margin) continue;
          const q = (y < dh! / 2 ? 0 : 2) + (x < dw! / 2 ? 0 : 1);
          expect(sample(dst.y, x, y), `Y at ${x},${y}`).toBe(COLOURS[q]![0]);
        }
      for (let y = 0; y < dh! / 2; y++)
        for (let x = 0; x < dw! / 2; x++) {
          if (Math.abs(x + 0.5 - dw! / 4) < margin || Math.abs(y + 0.5 - dh! / 4) < margin) continue;
          const q = (y < dh! / 4 ? 0 : 2) + (x < dw! / 4 ? 0 : 1);
          expect([sample(dst.u, x, y), sample(dst.v, x, y)], `UV at ${x},${y}`).toEqual([COLOURS[q]![1], COLOURS[q]![2]]);
        }
    });
  }

  it('area-averages a one-pixel checkerboard to flat grey, at 2:1 and at 3:2', () => {
    for (const [dw, dh] of [
      [32, 16],
      [40, 20],
    ]) {
      const src = uniform(64, 32, 0, 128, 128);
      for (let y = 0; y < 32; y++) for (let x = 0; x < 64; x++) src.y.data[y * 64 + x] = (x + y) % 2 ? 255 : 0;
      const dst = i420Image(new Uint8Array(i420Size(dw!, dh!)), dw!, dh!);
      cropAndScaleI420(src, dst);
      const ys = Array.from(dst.y.data.subarray(0, dw! * dh!));
      // 2:1 averages exactly 2 black + 2 white; 8:5 windows straddle pixels, so allow a little.
      const tolerance = dw === 32 ? 1 : 20;
      expect(Math.max(...ys.map((v) => Math.abs(v - 127.5)))).toBeLessThanOrEqual(tolerance);
    }
  });

  it('averages both columns and both rows of each block at 2:1 (stripes either way become grey)', () => {
    for (const vertical of [true, false]) {
      const src = uniform(16, 8, 0, 128, 128);
      for (let y = 0; y < 8; y++) for (let x = 0; x < 16; x++) src.y.data[y * 16 + x] = (vertical ? x : y) % 2 ? 200 : 0;
      const dst = i420Image(new Uint8Array(i420Size(8, 4)), 8, 4);
      cropAndScaleI420(src, dst);
      expect(new Set(dst.y.data.subarray(0, 32)), vertical ? 'vertical stripes' : 'horizontal stripes').toEqual(new Set([100]));
    }
    // The same for 4-byte pixels: alternating red and blue columns become purple.
    const rgba = new Uint8Array(4 * 2 * 4);
    for (let i = 0; i < 8; i++) rgba.set(i % 2 ? [0, 0, 200, 255] : [200, 0, 0, 255], i * 4);
    const out = new Uint8Array(2 * 1 * 4);
    cropAndScaleRGBA(packedImage(rgba, 4, 2), packedImage(out, 2, 1));
    expect(Array.from(out)).toEqual([100, 0, 100, 255, 100, 0, 100, 255]);
  });

  it('keeps a flat colour exactly, at odd and fractional ratios too (no reads past the planes)', () => {
    for (const [sw, sh, dw, dh] of [
      [100, 60, 30, 18],
      [5, 3, 3, 3],
      [7, 5, 2, 1],
      [3, 3, 7, 5],
      [1921, 1079, 641, 359],
    ]) {
      const src = uniform(sw!, sh!, 77, 99, 211);
      const dst = i420Image(new Uint8Array(i420Size(dw!, dh!)), dw!, dh!);
      cropAndScaleI420(src, dst);
      const ySize = dw! * dh!;
      const cSize = Math.ceil(dw! / 2) * Math.ceil(dh! / 2);
      expect(new Set(dst.y.data.subarray(0, ySize))).toEqual(new Set([77]));
      expect(new Set(dst.u.data.subarray(ySize, ySize + cSize))).toEqual(new Set([99]));
      expect(new Set(dst.v.data.subarray(ySize + cSize))).toEqual(new Set([211]));
    }
  });

  it('crops the centre to the target aspect ratio before scaling', () => {
    // 64×32 (2:1): left band 8 px Y=50, right band 8 px Y=200, centre Y=120. A 3:2 target keeps only the centre.
    const src = uniform(64, 32, 120, 128, 128);
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 64; x++) if (x < 8 || x >= 56) src.y.data[y * 64 + x] = x < 8 ? 50 : 200;
    const dst = i420Image(new Uint8Array(i420Size(24, 16)), 24, 16);
    cropAndScaleI420(src, dst);
    expect(new Set(dst.y.data.subarray(0, 24 * 16))).toEqual(new Set([120]));
  });

  it('an explicit crop picks the region, and scaling 1:1 copies it exactly', () => {
    const src = i420Image(new Uint8Array(i420Size(8, 8)).map((_, i) => i), 8, 8);
    const dst = i420Image(new Uint8Array(i420Size(4, 4)), 4, 4);
    cropAndScaleI420(src, dst, { x: 2, y: 2, width: 4, height: 4 });
    expect(Array.from(dst.y.data.subarray(0, 4))).toEqual([18, 19, 20, 21]);
    expect(Array.from(dst.y.data.subarray(12, 16))).toEqual([42, 43, 44, 45]);
    // Chroma crop (1,1)-(3,3) of the 4×4 U plane at offset 64.
    expect(Array.from(dst.u.data.subarray(16, 20))).toEqual([64 + 5, 64 + 6, 64 + 9, 64 + 10]);
  });

  it('enlarges bilinearly: a step becomes a monotonic ramp', () => {
    const src = uniform(4, 2, 0, 128, 128);
    src.y.data.set([0, 0, 255, 255, 0, 0, 255, 255]);
    const dst = i420Image(new Uint8Array(i420Size(16, 2)), 16, 2);
    cropAndScaleI420(src, dst);
    const row = Array.from(dst.y.data.subarray(0, 16));
    expect(row[0]).toBe(0);
    expect(row[15]).toBe(255);
    for (let i = 1; i < 16; i++) expect(row[i]).toBeGreaterThanOrEqual(row[i - 1]!);
    expect(row.some((v) => v > 0 && v < 255)).toBe(true);
  });

  it('writes into the caller\'s planes at their offsets and strides, leaving padding alone', () => {
    const src = uniform(16, 8, 60, 70, 80);
    const buffer = new Uint8Array(200).fill(0xee);
    const dst = { width: 8, height: 4, y: { data: buffer, offset: 10, stride: 10 }, u: { data: buffer, offset: 100, stride: 6 }, v: { data: buffer, offset: 150, stride: 6 } };
    cropAndScaleI420(src, dst);
    for (let row = 0; row < 4; row++) {
      expect(Array.from(buffer.subarray(10 + row * 10, 18 + row * 10))).toEqual(Array(8).fill(60));
      expect(Array.from(buffer.subarray(18 + row * 10, 20 + row * 10))).toEqual([0xee, 0xee]);
    }
    expect(Array.from(buffer.subarray(100, 104))).toEqual([70, 70, 70, 70]);
    expect(buffer[104]).toBe(0xee);
    expect(Array.from(buffer.subarray(156, 160))).toEqual([80, 80, 80, 80]);
    expect(buffer[0]).toBe(0xee);
  });
});

describe('cropAndScaleRGBA and cropAndScaleNV12', () => {
  it('keeps RGBA quadrant colours with all four channels', () => {
    const colours = [
      [255, 0, 0, 255],
      [0, 255, 0, 128],
      [0, 0, 255, 0],
      [10, 20, 30, 40],
    ];
    const [sw, sh, dw, dh] = [40, 20, 16, 8];
    const src = new Uint8Array(sw * sh * 4);
    for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) src.set(colours[(y < sh / 2 ? 0 : 2) + (x < sw / 2 ? 0 : 1)]!, (y * sw + x) * 4);
    const out = new Uint8Array(dw * dh * 4);
    cropAndScaleRGBA(packedImage(src, sw, sh), packedImage(out, dw, dh));
    expect(Array.from(out.subarray(0, 4))).toEqual(colours[0]);
    expect(Array.from(out.subarray((dw - 1) * 4, dw * 4))).toEqual(colours[1]);
    expect(Array.from(out.subarray((dh - 1) * dw * 4, ((dh - 1) * dw + 1) * 4))).toEqual(colours[2]);
    expect(Array.from(out.subarray((dh * dw - 1) * 4))).toEqual(colours[3]);
  });

  it('scales NV12 chroma as interleaved pairs', () => {
    const [sw, sh] = [16, 8];
    const src = new Uint8Array(sw * sh * 1.5);
    src.fill(90, 0, sw * sh);
    for (let i = sw * sh; i < src.length; i += 2) src.set([33, 222], i);
    const out = new Uint8Array(8 * 4 * 1.5);
    cropAndScaleNV12(nv12Image(src, sw, sh), nv12Image(out, 8, 4));
    expect(new Set(out.subarray(0, 32))).toEqual(new Set([90]));
    for (let i = 32; i < out.length; i += 2) expect([out[i], out[i + 1]]).toEqual([33, 222]);
  });

  it('scalePlane weighs partly covered pixels by their coverage: 3 → 2 in either direction', () => {
    // Output 0 covers source [0, 1.5): 2/3 of pixel 0 and 1/3 of pixel 1; output 1 the rest.
    const row = { data: new Uint8Array([0, 90, 180]), offset: 0, stride: 3 };
    const out = { data: new Uint8Array(2), offset: 0, stride: 2 };
    scalePlane(row, 3, 1, { x: 0, y: 0, width: 3, height: 1 }, out, 2, 1);
    expect(Array.from(out.data)).toEqual([30, 150]);
    const column = { data: new Uint8Array([0, 90, 180]), offset: 0, stride: 1 };
    const down = { data: new Uint8Array(2), offset: 0, stride: 1 };
    scalePlane(column, 1, 3, { x: 0, y: 0, width: 1, height: 3 }, down, 1, 2);
    expect(Array.from(down.data)).toEqual([30, 150]);
  });

  it('scalePlane area-averages exactly: 3 → 1 is the mean', () => {
    const src = { data: new Uint8Array([0, 30, 90, 10, 20, 30, 60, 60, 60]), offset: 0, stride: 3 };
    const dst = { data: new Uint8Array(1), offset: 0, stride: 1 };
    scalePlane(src, 3, 3, { x: 0, y: 0, width: 3, height: 3 }, dst, 1, 1);
    expect(dst.data[0]).toBe(40);
  });

  it('gives the same bytes with the generated periodic row kernels (one channel) as with the generic loop (four channels)', () => {
    // Single-channel planes whose ratio has a short period (6:5, 3:2, 9:4...) are filtered by
    // generated straight-line code; four-channel planes always take the generic loop, and share
    // the filter tables, so the two must agree exactly, edges and tails included.
    let seed = 7;
    const cases: [number, number, number, number, { x: number; y: number; width: number; height: number }][] = [
      [96, 20, 80, 10, { x: 0, y: 0, width: 96, height: 20 }],
      [96, 20, 64, 7, { x: 0, y: 0, width: 96, height: 20 }],
      [101, 9, 44, 3, { x: 2, y: 1, width: 99, height: 7 }],
      [90, 6, 40, 2, { x: 0.5, y: 0, width: 88.5, height: 6 }],
      [30, 4, 7, 2, { x: 0, y: 0, width: 30, height: 4 }],
    ];
    for (const [sw, sh, dw, dh, region] of cases) {
      const one = new Uint8Array(sw * sh);
      for (let i = 0; i < one.length; i++) one[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      const four = new Uint8Array(sw * sh * 4);
      for (let i = 0; i < one.length; i++) four.fill(one[i]!, 4 * i, 4 * i + 4);
      const a = new Uint8Array(dw * dh);
      const b = new Uint8Array(dw * dh * 4);
      scalePlane({ data: one, offset: 0, stride: sw }, sw, sh, region, { data: a, offset: 0, stride: dw }, dw, dh);
      scalePlane({ data: four, offset: 0, stride: 4 * sw }, sw, sh, region, { data: b, offset: 0, stride: 4 * dw }, dw, dh, 4);
      expect(Array.from(a), `${sw}x${sh} → ${dw}x${dh}`).toEqual(Array.from(b.filter((_, i) => i % 4 === 0)));
    }
  });

  it('halves one channel with 32-bit words exactly as the byte loop does (aligned, unaligned, odd widths)', () => {
    let seed = 11;
    for (const [sw, sh, x0, y0, dw, dh, dstOffset] of [[64, 8, 0, 0, 32, 4, 0], [68, 10, 4, 2, 29, 4, 2], [68, 10, 4, 2, 30, 4, 0], [66, 9, 0, 1, 33, 4, 2], [64, 8, 1, 0, 31, 4, 0], [64, 8, 0, 0, 32, 4, 1]] as const) {
      const one = new Uint8Array(sw * sh);
      for (let i = 0; i < one.length; i++) one[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      const four = new Uint8Array(sw * sh * 4);
      for (let i = 0; i < one.length; i++) four.fill(one[i]!, 4 * i, 4 * i + 4);
      const a = new Uint8Array(dstOffset + dw * dh);
      const b = new Uint8Array(dw * dh * 4);
      const region = { x: x0, y: y0, width: 2 * dw, height: 2 * dh };
      scalePlane({ data: one, offset: 0, stride: sw }, sw, sh, region, { data: a, offset: dstOffset, stride: dw }, dw, dh);
      scalePlane({ data: four, offset: 0, stride: 4 * sw }, sw, sh, region, { data: b, offset: 0, stride: 4 * dw }, dw, dh, 4);
      expect(Array.from(a.subarray(dstOffset)), `${sw}x${sh} at ${x0},${y0} → ${dw}x${dh}`).toEqual(Array.from(b.filter((_, i) => i % 4 === 0)));
    }
  });
});
