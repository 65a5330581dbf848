import { describe, expect, it } from 'vitest';
import { VideoFrame } from '../../src/webcodecs/index.js';
import type { VideoColorSpaceInit, VideoPixelFormat } from '../../src/webcodecs/index.js';
import { expectClose, expectRejectsName, expectThrowsName, solidI420 } from './helpers.js';

/** An 8×4 I420 frame whose samples encode their position: Y = 10·row + col, U = 100 + 10·row + col, V = 200 + …. */
function positionalI420(): VideoFrame {
  const data = new Uint8Array(32 + 8 + 8);
  for (let r = 0; r < 4; r++) for (let c = 0; c < 8; c++) data[r * 8 + c] = 10 * r + c;
  for (let r = 0; r < 2; r++)
    for (let c = 0; c < 4; c++) {
      data[32 + r * 4 + c] = 100 + 10 * r + c;
      data[40 + r * 4 + c] = 200 + 10 * r + c;
    }
  return new VideoFrame(data, { format: 'I420', codedWidth: 8, codedHeight: 4, timestamp: 0 });
}

describe('VideoFrame.copyTo() with rect and layout', () => {
  it('copies only the rectangle asked for, tightly packed', async () => {
    const frame = positionalI420();
    const rect = { x: 2, y: 2, width: 4, height: 2 };
    expect(frame.allocationSize({ rect })).toBe(8 + 2 + 2);
    const out = new Uint8Array(12);
    const layouts = await frame.copyTo(out, { rect });
    expect(layouts).toEqual([
      { offset: 0, stride: 4 },
      { offset: 8, stride: 2 },
      { offset: 10, stride: 2 },
    ]);
    expect(Array.from(out)).toEqual([22, 23, 24, 25, 32, 33, 34, 35, 111, 112, 211, 212]);
  });

  it('copies the visible rectangle by default, and the coded one when asked', async () => {
    const full = positionalI420();
    const cropped = new VideoFrame(full, { visibleRect: { x: 4, y: 0, width: 4, height: 2 } });
    const out = new Uint8Array(cropped.allocationSize());
    await cropped.copyTo(out);
    expect(Array.from(out)).toEqual([4, 5, 6, 7, 14, 15, 16, 17, 102, 103, 202, 203]);
    expect(cropped.allocationSize({ rect: cropped.codedRect! })).toBe(48);
  });

  it('writes planes where the layout says, leaving the padding alone', async () => {
    const frame = positionalI420();
    const rect = { x: 0, y: 0, width: 4, height: 2 };
    const layout = [
      { offset: 10, stride: 6 },
      { offset: 0, stride: 3 },
      { offset: 4, stride: 3 },
    ];
    expect(frame.allocationSize({ rect, layout })).toBe(10 + 6 * 2);
    const out = new Uint8Array(22).fill(0xee);
    expect(await frame.copyTo(out, { rect, layout })).toEqual(layout);
    expect(Array.from(out)).toEqual([100, 101, 0xee, 0xee, 200, 201, 0xee, 0xee, 0xee, 0xee, 0, 1, 2, 3, 0xee, 0xee, 10, 11, 12, 13, 0xee, 0xee]);
  });

  it('rejects a rect that is misaligned, empty or outside the frame, and an overlapping or short layout (TypeError)', async () => {
    const frame = positionalI420();
    const dest = new Uint8Array(64);
    for (const rect of [{ x: 1, y: 0, width: 2, height: 2 }, { x: 0, y: 1, width: 2, height: 2 }, { x: 0, y: 0, width: 0, height: 2 }, { x: 6, y: 0, width: 4, height: 2 }, { x: 0, y: 0, width: 2, height: Infinity }]) {
      expectThrowsName(() => frame.allocationSize({ rect }), 'TypeError');
      await expectRejectsName(frame.copyTo(dest, { rect }), 'TypeError');
    }
    const overlapping = [{ offset: 0, stride: 8 }, { offset: 16, stride: 4 }, { offset: 20, stride: 4 }];
    await expectRejectsName(frame.copyTo(dest, { layout: overlapping }), 'TypeError');
    await expectRejectsName(frame.copyTo(dest, { layout: [{ offset: 0, stride: 8 }] }), 'TypeError');
    await expectRejectsName(frame.copyTo(dest, { layout: [{ offset: 0, stride: 7 }, { offset: 32, stride: 4 }, { offset: 40, stride: 4 }] }), 'TypeError');
  });

  it('rejects a destination smaller than allocationSize() (TypeError)', async () => {
    const frame = positionalI420();
    await expectRejectsName(frame.copyTo(new Uint8Array(47)), 'TypeError');
  });

  it('NotSupportedError for a non-RGB options.format (even the frame\'s own)', async () => {
    const frame = positionalI420();
    expectThrowsName(() => frame.allocationSize({ format: 'I420' }), 'NotSupportedError');
    await expectRejectsName(frame.copyTo(new Uint8Array(64), { format: 'NV12' }), 'NotSupportedError');
  });

  it('resolves in a later task, not synchronously nor in a microtask', async () => {
    const frame = positionalI420();
    let resolved = false;
    const promise = frame.copyTo(new Uint8Array(48)).then(() => (resolved = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(resolved).toBe(false);
    await promise;
    expect(resolved).toBe(true);
  });
});

/** BT.601 and BT.709 limited-range YUV of primary colours (rounded). */
const BT601 = { red: [81, 90, 240], green: [145, 54, 34], blue: [41, 240, 110], white: [235, 128, 128], black: [16, 128, 128] } as const;
const BT709 = { red: [63, 102, 240], green: [173, 42, 26], blue: [32, 240, 118] } as const;
const RGB = { red: [255, 0, 0], green: [0, 255, 0], blue: [0, 0, 255], white: [255, 255, 255], black: [0, 0, 0] } as const;

async function toRGB(frame: VideoFrame, format: VideoPixelFormat, options = {}): Promise<Uint8Array> {
  const out = new Uint8Array(frame.allocationSize({ ...options, format }));
  await frame.copyTo(out, { ...options, format });
  return out;
}

function solidFrame(yuv: readonly number[], colorSpace?: VideoColorSpaceInit): VideoFrame {
  return new VideoFrame(solidI420(4, 2, yuv[0]!, yuv[1]!, yuv[2]!), { format: 'I420', codedWidth: 4, codedHeight: 2, timestamp: 0, ...(colorSpace ? { colorSpace } : {}) });
}

describe('VideoFrame.copyTo() converting to RGB', () => {
  for (const [name, yuv] of Object.entries(BT601)) {
    it(`BT.601 (smpte170m) ${name} becomes ${RGB[name as keyof typeof RGB].join(',')} within ±2`, async () => {
      const out = await toRGB(solidFrame(yuv, { matrix: 'smpte170m', fullRange: false }), 'RGBA');
      expect(out.length).toBe(4 * 2 * 4);
      expectClose(out, Array.from({ length: 8 }, () => [...RGB[name as keyof typeof RGB], 255]).flat(), 2);
    });
  }

  for (const [name, yuv] of Object.entries(BT709)) {
    it(`BT.709 (the YUV default) ${name} within ±2`, async () => {
      const out = await toRGB(solidFrame(yuv), 'RGBA');
      expectClose(out.subarray(0, 4), [...RGB[name as keyof typeof RGB], 255], 2);
    });
  }

  it('uses the matrix of the colour space: BT.601 red read as BT.709 is not red', async () => {
    const out = await toRGB(solidFrame(BT601.red), 'RGBA');
    expect(Math.abs(out[1]! - 0)).toBeGreaterThan(10);
  });

  it('full range: Y 0 and 255 are black and white, BT.601 full-range red is red', async () => {
    const space = { matrix: 'bt470bg', fullRange: true } as const;
    expectClose((await toRGB(solidFrame([255, 128, 128], space), 'RGBX')).subarray(0, 4), [255, 255, 255, 255], 0);
    expectClose((await toRGB(solidFrame([0, 128, 128], space), 'RGBX')).subarray(0, 4), [0, 0, 0, 255], 0);
    expectClose((await toRGB(solidFrame([76, 85, 255], space), 'RGBA')).subarray(0, 4), [255, 0, 0, 255], 2);
  });

  it('orders the channels for BGRA and BGRX', async () => {
    const frame = solidFrame(BT601.red, { matrix: 'smpte170m' });
    expectClose((await toRGB(frame, 'BGRA')).subarray(0, 4), [0, 0, 255, 255], 2);
    expectClose((await toRGB(frame, 'BGRX')).subarray(0, 4), [0, 0, 255, 255], 2);
  });

  it('converts NV12, I422 and I444 with their chroma sampling', async () => {
    const space = { matrix: 'smpte170m' } as const;
    // NV12 2×2: one UV pair.
    const nv12 = new VideoFrame(new Uint8Array([41, 41, 41, 41, 240, 110]), { format: 'NV12', codedWidth: 2, codedHeight: 2, timestamp: 0, colorSpace: space });
    expectClose(await toRGB(nv12, 'RGBA'), Array.from({ length: 4 }, () => [0, 0, 255, 255]).flat(), 2);
    // I444 2×1: red then blue, each pixel its own chroma.
    const i444 = new VideoFrame(new Uint8Array([81, 41, 90, 240, 240, 110]), { format: 'I444', codedWidth: 2, codedHeight: 1, timestamp: 0, colorSpace: space });
    expectClose(await toRGB(i444, 'RGBA'), [255, 0, 0, 255, 0, 0, 255, 255], 2);
    // I422 2×2: chroma per row — top row green, bottom row blue.
    const i422 = new VideoFrame(new Uint8Array([145, 145, 41, 41, 54, 240, 34, 110]), { format: 'I422', codedWidth: 2, codedHeight: 2, timestamp: 0, colorSpace: space });
    expectClose(await toRGB(i422, 'RGBA'), [0, 255, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 0, 0, 255, 255], 2);
  });

  it('takes alpha from the alpha plane for RGBA, and writes 255 for RGBX', async () => {
    const data = new Uint8Array([235, 235, 235, 235, 128, 128, 10, 20, 30, 40]);
    const frame = new VideoFrame(data, { format: 'I420A', codedWidth: 2, codedHeight: 2, timestamp: 0 });
    const rgba = await toRGB(frame, 'RGBA');
    expect([rgba[3], rgba[7], rgba[11], rgba[15]]).toEqual([10, 20, 30, 40]);
    const rgbx = await toRGB(frame, 'RGBX');
    expect([rgbx[3], rgbx[7], rgbx[11], rgbx[15]]).toEqual([255, 255, 255, 255]);
  });

  it('converts 10-bit samples (I420P10 white is 940)', async () => {
    const samples = new Uint16Array([940, 940, 940, 940, 512, 512]);
    const frame = new VideoFrame(samples, { format: 'I420P10', codedWidth: 2, codedHeight: 2, timestamp: 0 });
    expectClose(await toRGB(frame, 'RGBA'), Array(16).fill(255), 1);
  });

  it('swaps RGB orders, and makes X formats opaque', async () => {
    const frame = new VideoFrame(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), { format: 'RGBA', codedWidth: 2, codedHeight: 1, timestamp: 0 });
    expect(Array.from(await toRGB(frame, 'BGRA'))).toEqual([3, 2, 1, 4, 7, 6, 5, 8]);
    expect(Array.from(await toRGB(frame, 'RGBA'))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const rgbx = new VideoFrame(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), { format: 'RGBX', codedWidth: 2, codedHeight: 1, timestamp: 0 });
    expect(Array.from(await toRGB(rgbx, 'BGRA'))).toEqual([3, 2, 1, 255, 7, 6, 5, 255]);
  });

  it('converts only the rect, into the layout given', async () => {
    // I444 4×1: red, green, blue, white.
    const y = [81, 145, 41, 235];
    const u = [90, 54, 240, 128];
    const v = [240, 34, 110, 128];
    const frame = new VideoFrame(new Uint8Array([...y, ...u, ...v]), { format: 'I444', codedWidth: 4, codedHeight: 1, timestamp: 0, colorSpace: { matrix: 'smpte170m' } });
    const rect = { x: 1, y: 0, width: 2, height: 1 };
    expect(frame.allocationSize({ rect, format: 'RGBA' })).toBe(8);
    const out = new Uint8Array(12).fill(0xee);
    const layouts = await frame.copyTo(out, { rect, format: 'RGBA', layout: [{ offset: 4, stride: 8 }] });
    expect(layouts).toEqual([{ offset: 4, stride: 8 }]);
    expect(Array.from(out.subarray(0, 4))).toEqual([0xee, 0xee, 0xee, 0xee]);
    expectClose(out.subarray(4), [0, 255, 0, 255, 0, 0, 255, 255], 2);
  });

  it('rejects an unknown colorSpace option (TypeError)', async () => {
    await expectRejectsName(solidFrame(BT601.red).copyTo(new Uint8Array(32), { format: 'RGBA', colorSpace: 'rec2020' as never }), 'TypeError');
  });
});
