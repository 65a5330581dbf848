import { describe, expect, it, vi } from 'vitest';
import { VideoFrame, VideoColorSpace, DOMRectReadOnly, VideoFrameImpl } from '../../src/webcodecs/index.js';
import type { VideoPixelFormat } from '../../src/webcodecs/index.js';
import { expectRejectsName, expectThrowsName, pattern } from './helpers.js';

/** Tightly packed sizes of a 6×4 frame per format (from the pixel format sections). */
const SIZES_6x4: Partial<Record<VideoPixelFormat, number>> = {
  I420: 24 + 2 * 3 * 2,
  I420A: 24 + 2 * 3 * 2 + 24,
  I422: 24 + 2 * 3 * 4,
  I444: 24 * 3,
  NV12: 24 + 3 * 2 * 2,
  RGBA: 96,
  RGBX: 96,
  BGRA: 96,
  BGRX: 96,
  I420P10: (24 + 2 * 3 * 2) * 2,
  I444AP12: 24 * 4 * 2,
};

describe('VideoFrame(data, init)', () => {
  for (const [format, size] of Object.entries(SIZES_6x4) as [VideoPixelFormat, number][]) {
    it(`constructs a ${format} frame and copies its planes back unchanged`, async () => {
      const data = pattern(size);
      const frame = new VideoFrame(data, { format, codedWidth: 6, codedHeight: 4, timestamp: 1234 });
      expect(frame.format).toBe(format);
      expect(frame.codedWidth).toBe(6);
      expect(frame.codedHeight).toBe(4);
      expect(frame.allocationSize()).toBe(size);
      const out = new Uint8Array(size);
      const layouts = await frame.copyTo(out);
      expect(out).toEqual(data);
      expect(layouts[0]).toEqual({ offset: 0, stride: format.startsWith('RGB') || format.startsWith('BGR') ? 24 : format.endsWith('P10') || format.endsWith('P12') ? 12 : 6 });
      frame.close();
    });
  }

  it('has the attributes the init gave, and the defaults the spec gives', () => {
    const frame = new VideoFrame(pattern(36), { format: 'I420', codedWidth: 6, codedHeight: 4, timestamp: -5 });
    expect(frame.timestamp).toBe(-5);
    expect(frame.duration).toBeNull();
    expect(frame.rotation).toBe(0);
    expect(frame.flip).toBe(false);
    expect(frame.codedRect).toBeInstanceOf(DOMRectReadOnly);
    expect(frame.codedRect!.toJSON()).toMatchObject({ x: 0, y: 0, width: 6, height: 4 });
    expect(frame.visibleRect!.toJSON()).toMatchObject({ x: 0, y: 0, width: 6, height: 4 });
    expect([frame.displayWidth, frame.displayHeight]).toEqual([6, 4]);
    // Pick Color Space: YUV without colorSpace is REC709.
    expect(frame.colorSpace).toBeInstanceOf(VideoColorSpace);
    expect(frame.colorSpace.toJSON()).toEqual({ primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', fullRange: false });
    expect(frame.metadata()).toEqual({});
  });

  it('defaults RGB frames to the sRGB colour space and keeps a given colour space', () => {
    const rgb = new VideoFrame(pattern(16), { format: 'RGBA', codedWidth: 2, codedHeight: 2, timestamp: 0 });
    expect(rgb.colorSpace.toJSON()).toEqual({ primaries: 'bt709', transfer: 'iec61966-2-1', matrix: 'rgb', fullRange: true });
    const given = new VideoFrame(pattern(6), { format: 'I420', codedWidth: 2, codedHeight: 2, timestamp: 0, colorSpace: { matrix: 'smpte170m' } });
    expect(given.colorSpace.toJSON()).toEqual({ primaries: null, transfer: null, matrix: 'smpte170m', fullRange: null });
  });

  it('takes duration, visibleRect, display size, rotation and flip from the init', () => {
    const frame = new VideoFrame(pattern(8 * 4 * 4), {
      format: 'RGBA',
      codedWidth: 8,
      codedHeight: 4,
      timestamp: 0,
      duration: 33_333,
      visibleRect: { x: 1, y: 1, width: 6.9, height: 2 },
      rotation: 90,
      flip: true,
    });
    expect(frame.duration).toBe(33_333);
    // Truncated width; display size swapped for a 90° rotation.
    expect(frame.visibleRect!.toJSON()).toMatchObject({ x: 1, y: 1, width: 6, height: 2 });
    expect([frame.displayWidth, frame.displayHeight]).toEqual([2, 6]);
    expect(frame.rotation).toBe(90);
    expect(frame.flip).toBe(true);
    const sized = new VideoFrame(pattern(36), { format: 'I420', codedWidth: 6, codedHeight: 4, timestamp: 0, displayWidth: 12, displayHeight: 4 });
    expect([sized.displayWidth, sized.displayHeight]).toEqual([12, 4]);
  });

  it('parses rotation to the nearest multiple of 90 (ties up), modulo 360', () => {
    const rotationOf = (rotation: number) => new VideoFrame(pattern(16), { format: 'RGBA', codedWidth: 2, codedHeight: 2, timestamp: 0, rotation }).rotation;
    expect(rotationOf(44)).toBe(0);
    expect(rotationOf(45)).toBe(90);
    expect(rotationOf(-90)).toBe(270);
    expect(rotationOf(-45)).toBe(0);
    expect(rotationOf(540)).toBe(180);
  });

  it('handles odd-sized I420 (chroma rows and columns rounded up)', async () => {
    // 5×3: Y 15 bytes, U and V 3×2 each.
    const data = pattern(15 + 12);
    const frame = new VideoFrame(data, { format: 'I420', codedWidth: 5, codedHeight: 3, timestamp: 0 });
    expect(frame.allocationSize()).toBe(27);
    const out = new Uint8Array(27);
    expect(await frame.copyTo(out)).toEqual([
      { offset: 0, stride: 5 },
      { offset: 15, stride: 3 },
      { offset: 21, stride: 3 },
    ]);
    expect(out).toEqual(data);
  });

  it('reads the planes of data where init.layout says they are', async () => {
    // 4×2 I420 with padded strides and planes in reverse order: V at 0, U at 8, Y at 16 (stride 6).
    const data = new Uint8Array(40).fill(0xee);
    const y = [1, 2, 3, 4, 5, 6, 7, 8];
    y.forEach((v, i) => (data[16 + Math.floor(i / 4) * 6 + (i % 4)] = v));
    data.set([20, 21], 8);
    data.set([30, 31], 0);
    const frame = new VideoFrame(data, {
      format: 'I420',
      codedWidth: 4,
      codedHeight: 2,
      timestamp: 0,
      layout: [
        { offset: 16, stride: 6 },
        { offset: 8, stride: 4 },
        { offset: 0, stride: 4 },
      ],
    });
    const out = new Uint8Array(12);
    await frame.copyTo(out);
    expect(Array.from(out)).toEqual([...y, 20, 21, 30, 31]);
  });

  it('copies the data: changing it afterwards does not change the frame', async () => {
    const data = pattern(16);
    const frame = new VideoFrame(data, { format: 'RGBA', codedWidth: 2, codedHeight: 2, timestamp: 0 });
    data.fill(0);
    const out = new Uint8Array(16);
    await frame.copyTo(out);
    expect(out).toEqual(pattern(16));
  });

  it('takes the buffer over when it is in init.transfer, and detaches every transferred buffer', async () => {
    const data = pattern(16);
    const other = new ArrayBuffer(8);
    const frame = new VideoFrame(data, { format: 'RGBA', codedWidth: 2, codedHeight: 2, timestamp: 0, transfer: [data.buffer as ArrayBuffer, other] });
    expect(data.buffer.byteLength).toBe(0);
    expect(other.byteLength).toBe(0);
    const out = new Uint8Array(16);
    await frame.copyTo(out);
    expect(out).toEqual(pattern(16));
  });

  it('accepts data on a SharedArrayBuffer (AllowSharedBufferSource)', async () => {
    const shared = new Uint8Array(new SharedArrayBuffer(16));
    shared.set(pattern(16));
    const frame = new VideoFrame(shared, { format: 'BGRA', codedWidth: 2, codedHeight: 2, timestamp: 0 });
    const out = new Uint8Array(new SharedArrayBuffer(16));
    await frame.copyTo(out);
    expect(Array.from(out)).toEqual(Array.from(pattern(16)));
  });

  describe('rejects a bad init', () => {
    const base = { format: 'I420', codedWidth: 4, codedHeight: 4, timestamp: 0 } as const;
    const data = pattern(24);
    const cases: [string, unknown, string?][] = [
      ['no format', { ...base, format: undefined }],
      ['an unknown format', { ...base, format: 'YUY2' }],
      ['no timestamp', { ...base, timestamp: undefined }],
      ['codedWidth 0', { ...base, codedWidth: 0 }],
      ['a negative codedWidth ([EnforceRange])', { ...base, codedWidth: -4 }],
      ['a visibleRect past the coded width', { ...base, visibleRect: { x: 2, y: 0, width: 4, height: 4 } }],
      ['a negative visibleRect', { ...base, visibleRect: { x: -2, y: 0, width: 2, height: 2 } }],
      ['an odd visibleRect offset for I420', { ...base, visibleRect: { x: 1, y: 0, width: 2, height: 2 } }],
      ['a zero-width visibleRect', { ...base, visibleRect: { x: 0, y: 0, width: 0, height: 2 } }],
      ['displayWidth without displayHeight', { ...base, displayWidth: 4 }],
      ['displayWidth 0', { ...base, displayWidth: 0, displayHeight: 4 }],
      ['a layout with too few planes', { ...base, layout: [{ offset: 0, stride: 4 }] }],
      ['a layout stride shorter than a row', { ...base, layout: [{ offset: 0, stride: 3 }, { offset: 16, stride: 2 }, { offset: 20, stride: 2 }] }],
      ['overlapping planes', { ...base, layout: [{ offset: 0, stride: 4 }, { offset: 14, stride: 2 }, { offset: 20, stride: 2 }] }],
      ['a NaN rotation', { ...base, rotation: NaN }],
      ['data too small', { ...base, codedHeight: 6 }],
    ];
    for (const [what, init] of cases) {
      it(`TypeError for ${what}`, () => expectThrowsName(() => new VideoFrame(data, init as never), 'TypeError'));
    }

    it('DataCloneError for a buffer listed twice in transfer, or already detached', () => {
      const buffer = new ArrayBuffer(24);
      expectThrowsName(() => new VideoFrame(new Uint8Array(buffer), { ...base, transfer: [buffer, buffer] }), 'DataCloneError');
      expect(buffer.byteLength).toBe(24);
      const detached = new ArrayBuffer(4);
      structuredClone(detached, { transfer: [detached] });
      expectThrowsName(() => new VideoFrame(data, { ...base, transfer: [detached] }), 'DataCloneError');
    });

    it('TypeError for a SharedArrayBuffer in transfer (sequence<ArrayBuffer>)', () => {
      expectThrowsName(() => new VideoFrame(data, { ...base, transfer: [new SharedArrayBuffer(4) as never] }), 'TypeError');
    });
  });

  it('TypeError without arguments, or for a source that is neither a frame nor a buffer', () => {
    expectThrowsName(() => new (VideoFrame as unknown as new () => unknown)(), 'TypeError');
    expectThrowsName(() => new VideoFrame({} as never, { timestamp: 0 }), 'TypeError');
    expectThrowsName(() => new VideoFrame('pixels' as never, { timestamp: 0 }), 'TypeError');
  });

  it('NotSupportedError for DOM image sources, which hold no pixels in Node', () => {
    class HTMLCanvasElement {}
    class ImageBitmap {}
    expectThrowsName(() => new VideoFrame(new HTMLCanvasElement(), { timestamp: 0 }), 'NotSupportedError');
    expectThrowsName(() => new VideoFrame(new ImageBitmap(), { timestamp: 0 }), 'NotSupportedError');
  });
});

describe('VideoFrame(frame, init)', () => {
  const source = () => new VideoFrame(pattern(8 * 4 + 2 * 4 * 2), { format: 'I420', codedWidth: 8, codedHeight: 4, timestamp: 100, duration: 10, metadata: { captureTime: 5 } });

  it('shares the pixels and takes timestamp and duration from the source unless given', async () => {
    const a = source();
    const b = new VideoFrame(a);
    expect(b.timestamp).toBe(100);
    expect(b.duration).toBe(10);
    expect(b.colorSpace).toBe(a.colorSpace);
    const c = new VideoFrame(a, { timestamp: 7, duration: 3 });
    expect([c.timestamp, c.duration]).toEqual([7, 3]);
    a.close();
    const out = new Uint8Array(b.allocationSize());
    await b.copyTo(out);
    expect(out).toEqual(pattern(48));
  });

  it('does not carry the metadata over (Copy VideoFrame metadata of init.metadata)', () => {
    const a = source();
    expect(a.metadata()).toEqual({ captureTime: 5 });
    expect(new VideoFrame(a).metadata()).toEqual({});
    expect(new VideoFrame(a, { metadata: { rtpTimestamp: 9 } }).metadata()).toEqual({ rtpTimestamp: 9 });
  });

  it('crops with visibleRect and scales the display size by the source pixel aspect ratio', async () => {
    const anamorphic = new VideoFrame(pattern(48), { format: 'I420', codedWidth: 8, codedHeight: 4, timestamp: 0, displayWidth: 16, displayHeight: 4 });
    const crop = new VideoFrame(anamorphic, { visibleRect: { x: 2, y: 2, width: 4, height: 2 } });
    expect(crop.visibleRect!.toJSON()).toMatchObject({ x: 2, y: 2, width: 4, height: 2 });
    expect([crop.displayWidth, crop.displayHeight]).toEqual([8, 2]);
    expect(crop.allocationSize()).toBe(4 * 2 + 2 * 2 * 1);
  });

  it('adds rotations, composes flips, and swaps the display size when the result is sideways', () => {
    const base = new VideoFrame(pattern(48), { format: 'I420', codedWidth: 8, codedHeight: 4, timestamp: 0, rotation: 90 });
    expect([base.displayWidth, base.displayHeight]).toEqual([4, 8]);
    const same = new VideoFrame(base);
    expect(same.rotation).toBe(90);
    expect([same.displayWidth, same.displayHeight]).toEqual([4, 8]);
    const turned = new VideoFrame(base, { rotation: 90 });
    expect(turned.rotation).toBe(180);
    expect([turned.displayWidth, turned.displayHeight]).toEqual([8, 4]);
    const flipped = new VideoFrame(base, { flip: true, rotation: 90 });
    expect(flipped.flip).toBe(true);
    // Add Rotations: a flipped base subtracts.
    expect(new VideoFrame(flipped, { rotation: 90 }).rotation).toBe(90);
    expect(new VideoFrame(flipped, { flip: true }).flip).toBe(false);
  });

  it('alpha "discard" gives the equivalent opaque format', async () => {
    const a = new VideoFrame(pattern(16 + 8 + 16), { format: 'I420A', codedWidth: 4, codedHeight: 4, timestamp: 0 });
    const opaque = new VideoFrame(a, { alpha: 'discard' });
    expect(opaque.format).toBe('I420');
    expect(opaque.allocationSize()).toBe(24);
    expect(new VideoFrame(a).format).toBe('I420A');
    const rgba = new VideoFrame(pattern(64), { format: 'BGRA', codedWidth: 4, codedHeight: 4, timestamp: 0 });
    expect(new VideoFrame(rgba, { alpha: 'discard' }).format).toBe('BGRX');
  });

  it('validates the init against the source (TypeError)', () => {
    const a = source();
    expectThrowsName(() => new VideoFrame(a, { visibleRect: { x: 1, y: 0, width: 2, height: 2 } }), 'TypeError');
    expectThrowsName(() => new VideoFrame(a, { visibleRect: { x: 0, y: 0, width: 10, height: 2 } }), 'TypeError');
    expectThrowsName(() => new VideoFrame(a, { displayHeight: 2 }), 'TypeError');
    expectThrowsName(() => new VideoFrame(a, { alpha: 'maybe' as never }), 'TypeError');
  });

  it('InvalidStateError for a closed source frame', () => {
    const a = source();
    a.close();
    expectThrowsName(() => new VideoFrame(a), 'InvalidStateError');
  });
});

describe('a closed VideoFrame', () => {
  it('reads as empty and refuses every method with InvalidStateError', async () => {
    const frame = new VideoFrame(pattern(36), { format: 'I420', codedWidth: 6, codedHeight: 4, timestamp: 42, duration: 5, rotation: 90, flip: true });
    frame.close();
    expect(frame.format).toBeNull();
    expect([frame.codedWidth, frame.codedHeight, frame.displayWidth, frame.displayHeight, frame.rotation]).toEqual([0, 0, 0, 0, 0]);
    expect(frame.flip).toBe(false);
    expect(frame.codedRect).toBeNull();
    expect(frame.visibleRect).toBeNull();
    expect(frame.timestamp).toBe(42);
    expectThrowsName(() => frame.metadata(), 'InvalidStateError');
    expectThrowsName(() => frame.clone(), 'InvalidStateError');
    expectThrowsName(() => frame.allocationSize(), 'InvalidStateError');
    await expectRejectsName(frame.copyTo(new Uint8Array(36)), 'InvalidStateError');
    frame.close();
  });

  it('leaves its clones whole, and a closed clone leaves the original whole', async () => {
    const data = pattern(36);
    const original = new VideoFrame(data, {
      format: 'I420', codedWidth: 6, codedHeight: 4, timestamp: 42, duration: 5, rotation: 90, flip: true,
      visibleRect: { x: 2, y: 0, width: 4, height: 4 }, metadata: { rtpTimestamp: 7 },
    } as never);
    const first = original.clone();
    const second = original.clone();
    original.close();
    first.close();
    // Neither close reached the other frames: every slot is as it was.
    expect(second.format).toBe('I420');
    expect([second.codedWidth, second.codedHeight, second.displayWidth, second.displayHeight, second.rotation]).toEqual([6, 4, 4, 4, 90]);
    expect(second.flip).toBe(true);
    expect(second.visibleRect?.toJSON()).toEqual({ x: 2, y: 0, width: 4, height: 4, top: 0, right: 6, bottom: 4, left: 2 });
    expect(second.metadata()).toEqual({ rtpTimestamp: 7 });
    const out = new Uint8Array(second.allocationSize());
    await second.copyTo(out);
    // The closed ones read as closed, and keep the slots a closed frame keeps.
    for (const closed of [original, first]) {
      expect(closed.format).toBeNull();
      expect([closed.codedWidth, closed.displayWidth, closed.rotation]).toEqual([0, 0, 0]);
      expect(closed.flip).toBe(false);
      expect([closed.timestamp, closed.duration]).toEqual([42, 5]);
      expect(closed.colorSpace.matrix).toBe(second.colorSpace.matrix);
    }
    // A clone's metadata() is a copy: changing it changes no other frame's.
    const third = second.clone();
    const copy = third.metadata() as { rtpTimestamp?: number };
    copy.rtpTimestamp = 8;
    expect(second.metadata()).toEqual({ rtpTimestamp: 7 });
    second.close();
    third.close();
  });
});

describe('VideoFrame as a WebIDL interface', () => {
  it('brand-checks its members', async () => {
    const getter = Object.getOwnPropertyDescriptor(VideoFrame.prototype, 'format')!.get!;
    expectThrowsName(() => getter.call({}), 'TypeError');
    expectThrowsName(() => VideoFrame.prototype.clone.call({} as never), 'TypeError');
    await expectRejectsName(VideoFrame.prototype.copyTo.call({} as never, new Uint8Array(4)), 'TypeError');
  });

  it('has enumerable prototype members and the right toStringTag', () => {
    const frame = new VideoFrame(pattern(16), { format: 'RGBA', codedWidth: 2, codedHeight: 2, timestamp: 0 });
    expect(Object.prototype.toString.call(frame)).toBe('[object VideoFrame]');
    const keys: string[] = [];
    for (const key in frame) keys.push(key);
    expect(keys).toEqual(expect.arrayContaining(['format', 'codedRect', 'visibleRect', 'copyTo', 'clone', 'close', 'metadata']));
  });

  it('returns a fresh copy of the metadata each time', () => {
    const metadata = { captureTime: 1, nested: { a: 1 } };
    const frame = new VideoFrame(pattern(16), { format: 'RGBA', codedWidth: 2, codedHeight: 2, timestamp: 0, metadata });
    metadata.nested.a = 2;
    const first = frame.metadata() as { nested: { a: number } };
    expect(first.nested.a).toBe(1);
    first.nested.a = 3;
    expect((frame.metadata() as { nested: { a: number } }).nested.a).toBe(1);
  });
});

describe('interop with a pre-existing global VideoFrame', () => {
  it('leaves the global alone and reports it, while exporting its own classes', async () => {
    class ForeignVideoFrame {}
    const had = Object.getOwnPropertyDescriptor(globalThis, 'VideoFrame');
    (globalThis as { VideoFrame?: unknown }).VideoFrame = ForeignVideoFrame;
    try {
      vi.resetModules();
      const fresh = await import('../../src/webcodecs/index.js');
      expect(fresh.preexisting.VideoFrame).toBe(ForeignVideoFrame);
      expect(fresh.preexisting.AudioData).toBeUndefined();
      expect(fresh.VideoFrameImpl).toBe(fresh.VideoFrame);
      expect(fresh.VideoFrame).not.toBe(ForeignVideoFrame);
      expect((globalThis as { VideoFrame?: unknown }).VideoFrame).toBe(ForeignVideoFrame);
    } finally {
      if (had) Object.defineProperty(globalThis, 'VideoFrame', had);
      else delete (globalThis as { VideoFrame?: unknown }).VideoFrame;
    }
    expect(VideoFrameImpl).toBe(VideoFrame);
  });
});
