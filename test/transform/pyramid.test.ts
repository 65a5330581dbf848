import { describe, expect, it } from 'vitest';
import { scaleFrom } from '../../src/media/adapt/pyramid.js';
import { i420Image, i420Size } from '../../src/media/convert/image.js';
import { centredCrop, cropAndScaleI420 } from '../../src/media/convert/scale.js';
import { difference } from './helpers.js';

function noiseImage(width: number, height: number) {
  const data = new Uint8Array(i420Size(width, height));
  let x = 5;
  for (let i = 0; i < data.length; i++) data[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
  return i420Image(data, width, height);
}

/** Smooth content: a few cycles of sines across the frame, in every plane. */
function smoothImage(width: number, height: number) {
  const image = i420Image(new Uint8Array(i420Size(width, height)), width, height);
  const fill = (plane: { data: Uint8Array; offset: number; stride: number }, w: number, h: number, f: number) => {
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) plane.data[plane.offset + y * plane.stride + x] = Math.round(128 + 100 * Math.sin((x * f) / 37) * Math.cos((y * f) / 23));
  };
  fill(image.y, width, height, 1);
  fill(image.u, width / 2, height / 2, 2);
  fill(image.v, width / 2, height / 2, 2);
  return image;
}

describe('the downscale pyramid the video adapter scales from', () => {
  it('picks the smallest half-size level with the target resolution, with the crop in its pixels', () => {
    const source = noiseImage(1920, 1080);
    const key = {};
    const full = { x: 0, y: 0, width: 1920, height: 1080 };
    expect(scaleFrom(key, source, full, 1280, 720).image).toBe(source);
    const quarter = scaleFrom(key, source, full, 320, 180);
    expect([quarter.image.width, quarter.image.height]).toEqual([480, 270]);
    expect(quarter.crop).toEqual({ x: 0, y: 0, width: 480, height: 270 });
    // Made once per frame: the next route of the same frame gets the same level.
    expect(scaleFrom(key, source, full, 400, 200).image).toBe(quarter.image);
    const cropped = scaleFrom(key, source, { x: 240, y: 0, width: 1440, height: 1080 }, 320, 240);
    expect(cropped.crop).toEqual({ x: 60, y: 0, width: 360, height: 270 });
    // Levels have even sizes: 1080 → 540 → 270, not 135.
    expect(scaleFrom(key, source, full, 16, 9).image.height).toBe(270);
  });

  it('gives the picture a direct area-averaging downscale gives, within rounding, on smooth content', () => {
    // (On noise the two differ more: a 3:1 box and a 2:1 box followed by a 1.5:1 box are different
    // low-pass filters. Camera pictures are smooth at that scale.)
    const source = smoothImage(1920, 1080);
    for (const [w, h] of [[640, 360], [426, 240], [160, 90]] as const) {
      const crop = centredCrop(1920, 1080, w, h);
      const direct = new Uint8Array(i420Size(w, h));
      cropAndScaleI420(source, i420Image(direct, w, h), crop);
      const via = new Uint8Array(i420Size(w, h));
      const from = scaleFrom({}, source, crop, w, h);
      cropAndScaleI420(from.image, i420Image(via, w, h), from.crop);
      const diff = difference(via, direct);
      expect(diff.max).toBeLessThanOrEqual(3);
      expect(diff.mean).toBeLessThan(0.6);
    }
  });

  it('a new frame gets new levels', () => {
    const a = noiseImage(64, 64);
    const b = i420Image(new Uint8Array(i420Size(64, 64)).fill(200), 64, 64);
    const region = { x: 0, y: 0, width: 64, height: 64 };
    scaleFrom({}, a, region, 16, 16);
    const level = scaleFrom({}, b, region, 16, 16).image;
    expect(level.y.data.subarray(0, 16 * 16).every((v) => v === 200)).toBe(true);
  });
});
