import { describe, expect, it } from 'vitest';
import { BLACK_LUMA_LIMITED, fillBlackI420, fillBlackNV12, fillBlackRGBA } from '../../src/media/convert/black.js';
import { i420ToRGBA } from '../../src/media/convert/color.js';
import { i420Image, i420Size, nv12Image, packedImage } from '../../src/media/convert/image.js';

describe('black frames', () => {
  it('I420 black is Y 16, U = V = 128 (limited range), and converts to RGB 0, 0, 0', () => {
    const image = i420Image(new Uint8Array(i420Size(5, 3)).fill(99), 5, 3);
    fillBlackI420(image);
    expect(BLACK_LUMA_LIMITED).toBe(16);
    expect(Array.from(image.y.data.subarray(0, 15))).toEqual(Array(15).fill(16));
    expect(Array.from(image.y.data.subarray(15))).toEqual(Array(12).fill(128));
    const rgba = new Uint8Array(5 * 3 * 4);
    i420ToRGBA(image, packedImage(rgba, 5, 3).plane);
    for (let i = 0; i < rgba.length; i += 4) expect(Array.from(rgba.subarray(i, i + 4))).toEqual([0, 0, 0, 255]);
  });

  it('takes another luma for full range or Chromium-identical bytes', () => {
    const image = i420Image(new Uint8Array(i420Size(2, 2)).fill(99), 2, 2);
    fillBlackI420(image, { luma: 0 });
    expect(Array.from(image.y.data)).toEqual([0, 0, 0, 0, 128, 128]);
  });

  it('NV12 black fills the UV plane with 128', () => {
    const data = new Uint8Array(4 * 2 + 4).fill(7);
    fillBlackNV12(nv12Image(data, 4, 2));
    expect(Array.from(data)).toEqual([16, 16, 16, 16, 16, 16, 16, 16, 128, 128, 128, 128]);
  });

  it('RGBA black is opaque, and padding between rows is left alone', () => {
    const data = new Uint8Array(2 * 12).fill(0xee);
    fillBlackRGBA({ width: 2, height: 2, plane: { data, offset: 2, stride: 12 } });
    expect(Array.from(data.subarray(0, 12))).toEqual([0xee, 0xee, 0, 0, 0, 255, 0, 0, 0, 255, 0xee, 0xee]);
    expect(Array.from(data.subarray(14, 22))).toEqual([0, 0, 0, 255, 0, 0, 0, 255]);
  });

  it('respects I420 strides', () => {
    const data = new Uint8Array(40).fill(0xee);
    fillBlackI420({ width: 2, height: 2, y: { data, offset: 0, stride: 4 }, u: { data, offset: 20, stride: 2 }, v: { data, offset: 30, stride: 2 } });
    expect(Array.from(data.subarray(0, 8))).toEqual([16, 16, 0xee, 0xee, 16, 16, 0xee, 0xee]);
    expect([data[20], data[21], data[30], data[31]]).toEqual([128, 0xee, 128, 0xee]);
  });
});
