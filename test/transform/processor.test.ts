import { describe, expect, it } from 'vitest';
import { MediaStreamTrackProcessor } from '../../src/interfaces/MediaStreamTrackProcessor.js';
import { i420Image } from '../../src/media/convert/image.js';
import { cropAndScaleI420 } from '../../src/media/convert/scale.js';
import { audioDataChannels, videoFramePlanes } from '../../src/webcodecs/internal.js';
import type { AudioData } from '../../src/webcodecs/audio-data.js';
import type { VideoFrame } from '../../src/webcodecs/video-frame.js';
import { camera, difference, frameNumber, lab, microphone, readSoon, stillPending, tasks } from './helpers.js';

const FRAME = 1e6 / 30;

function mean(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum += b;
  return sum / bytes.length;
}

describe('MediaStreamTrackProcessor on the built-in camera', () => {
  it('reads one frame per frame interval, numbered without gaps', async () => {
    const { clock, md } = lab();
    const track = await camera(md);
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    const t0 = clock.now();
    const seen: { n: number | null; t: number; w: number; h: number }[] = [];
    for (let i = 0; i < 30; i++) {
      clock.advanceTo(t0 + Math.ceil((i + 1) * FRAME));
      const { value } = await readSoon(reader);
      const frame = value as VideoFrame;
      seen.push({ n: frameNumber(frame), t: frame.timestamp, w: frame.displayWidth, h: frame.displayHeight });
      frame.close();
    }
    expect(seen[0]).toMatchObject({ w: 640, h: 480 });
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.n).toBe(seen[0]!.n! + i);
      expect(seen[i]!.t - seen[i - 1]!.t).toBeCloseTo(FRAME, -1);
    }
    // Nothing more is buffered: the next read waits for the next frame.
    expect(await stillPending(reader.read())).toBe(true);
  });

  it('reads crop-and-scaled frames of the size applyConstraints asked for, with the right pixels', async () => {
    const { clock, md } = lab();
    const full = await camera(md, { width: 1280, height: 720 });
    const small = full.clone();
    await small.applyConstraints({ width: { exact: 320 }, height: { exact: 180 } });
    const fullReader = new MediaStreamTrackProcessor({ track: full }).readable.getReader();
    const smallReader = new MediaStreamTrackProcessor({ track: small }).readable.getReader();
    clock.advance(34);
    const big = (await readSoon(fullReader)).value as VideoFrame;
    const little = (await readSoon(smallReader)).value as VideoFrame;
    expect([big.displayWidth, big.displayHeight]).toEqual([1280, 720]);
    expect([little.displayWidth, little.displayHeight]).toEqual([320, 180]);
    expect(frameNumber(little)).toBe(frameNumber(big));
    expect(frameNumber(little)).not.toBe(null);
    // The same picture: the area-averaged downscale of the full frame (give or take the rounding
    // of the adapter's intermediate half-size steps), and the same mean luma.
    const src = videoFramePlanes(big);
    const expected = new Uint8Array((320 * 180 * 3) / 2);
    cropAndScaleI420(i420Image(src.data, 1280, 720), i420Image(expected, 320, 180));
    const got = new Uint8Array(little.allocationSize());
    await little.copyTo(got);
    const diff = difference(got, expected);
    expect(diff.max).toBeLessThanOrEqual(2);
    expect(diff.mean).toBeLessThan(0.5);
    expect(Math.abs(mean(got.subarray(0, 320 * 180)) - mean(src.data.subarray(0, 1280 * 720)))).toBeLessThan(1);
    big.close();
    little.close();
  });

  it('decimates to a lower frameRate setting', async () => {
    const { clock, md } = lab();
    const track = await camera(md);
    await track.applyConstraints({ frameRate: { exact: 10 } });
    const reader = new MediaStreamTrackProcessor({ track, maxBufferSize: 100 }).readable.getReader();
    clock.advance(1000);
    const numbers: number[] = [];
    for (let i = 0; i < 10; i++) {
      const frame = (await readSoon(reader)).value as VideoFrame;
      numbers.push(frameNumber(frame)!);
      frame.close();
    }
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]! - numbers[i - 1]!).toBe(3);
    expect(await stillPending(reader.read())).toBe(true);
  });

  it('reads black frames from a disabled track', async () => {
    const { clock, md } = lab();
    const track = await camera(md);
    track.enabled = false;
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    clock.advance(34);
    const frame = (await readSoon(reader)).value as VideoFrame;
    const bytes = new Uint8Array(frame.allocationSize());
    await frame.copyTo(bytes);
    expect(bytes.subarray(0, 640 * 480).every((y) => y === 16)).toBe(true);
    expect(bytes.subarray(640 * 480).every((c) => c === 128)).toBe(true);
    frame.close();
  });

  it('keeps the newest maxBufferSize frames when the reader falls behind', async () => {
    const { clock, md } = lab();
    const track = await camera(md);
    const reader = new MediaStreamTrackProcessor({ track, maxBufferSize: 3 }).readable.getReader();
    const t0 = clock.now();
    clock.advanceTo(t0 + Math.ceil(FRAME));
    const first = (await readSoon(reader)).value as VideoFrame;
    const n0 = frameNumber(first)!;
    first.close();
    // Ten more frames while nobody reads: the three newest are kept.
    clock.advanceTo(t0 + Math.ceil(11 * FRAME));
    const numbers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const frame = (await readSoon(reader)).value as VideoFrame;
      numbers.push(frameNumber(frame)!);
      frame.close();
    }
    expect(numbers).toEqual([n0 + 8, n0 + 9, n0 + 10]);
    expect(await stillPending(reader.read())).toBe(true);
  });

  it('keeps the frames in order when its queue is never emptied (a reader always behind)', async () => {
    const { clock, md } = lab();
    const track = await camera(md);
    const reader = new MediaStreamTrackProcessor({ track, maxBufferSize: 8 }).readable.getReader();
    const t0 = clock.now();
    clock.advanceTo(t0 + Math.ceil(FRAME));
    const first = (await readSoon(reader)).value as VideoFrame;
    const n0 = frameNumber(first)!;
    first.close();
    // Eight frames queued, then one new frame per frame read, 200 times: the queue holds 7–8
    // frames all along (it is never emptied), and each read gets the next number.
    clock.advanceTo(t0 + Math.ceil(9 * FRAME));
    const numbers: number[] = [];
    for (let i = 0; i < 200; i++) {
      const frame = (await readSoon(reader)).value as VideoFrame;
      numbers.push(frameNumber(frame)!);
      frame.close();
      clock.advanceTo(t0 + Math.ceil((10 + i) * FRAME));
    }
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => n0 + 1 + i));
  });

  it('a muted track gives nothing to read', async () => {
    const { clock, md, handle } = lab();
    const track = await camera(md);
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    handle.devices.interrupt('builtin-camera');
    clock.advance(500);
    expect(await stillPending(reader.read())).toBe(true);
  });

  it('closes the stream when the track stops, and when its device goes', async () => {
    const { clock, md, handle } = lab();
    const track = await camera(md);
    const reader = new MediaStreamTrackProcessor({ track, maxBufferSize: 5 }).readable.getReader();
    clock.advance(100);
    await tasks();
    track.stop();
    expect(await readSoon(reader)).toEqual({ done: true, value: undefined });

    const other = await camera(md);
    const reader2 = new MediaStreamTrackProcessor({ track: other }).readable.getReader();
    const pending = reader2.read();
    handle.devices.unplug('builtin-camera');
    await tasks();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('cancelling the stream disconnects it: the camera stops drawing', async () => {
    const { clock, md } = lab();
    const track = await camera(md);
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    clock.advance(34);
    (await readSoon(reader)).value.close();
    expect(clock.pending).toBeGreaterThan(0);
    await reader.cancel();
    expect(clock.pending).toBe(0);
    expect(track.readyState).toBe('live');
  });

  it('connects to the track only when readable is first used, and gives the same stream each time', async () => {
    const { clock, md } = lab();
    const track = await camera(md);
    const processor = new MediaStreamTrackProcessor({ track });
    expect(clock.pending).toBe(0);
    expect(processor.readable).toBe(processor.readable);
    expect(clock.pending).toBeGreaterThan(0);
  });
});

describe('MediaStreamTrackProcessor on the built-in microphone', () => {
  it('reads 10 ms AudioData chunks whose samples join up', async () => {
    const { clock, md } = lab();
    const track = await microphone(md, { sampleRate: 48000, channelCount: 1 });
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    clock.advance(50);
    const chunks: AudioData[] = [];
    for (let i = 0; i < 5; i++) chunks.push((await readSoon(reader)).value as AudioData);
    for (const c of chunks) expect([c.sampleRate, c.numberOfChannels, c.numberOfFrames]).toEqual([48000, 1, 480]);
    for (let i = 1; i < 5; i++) expect(chunks[i]!.timestamp - chunks[i - 1]!.timestamp).toBe(10000);
    expect(audioDataChannels(chunks[0]!)[0]!.some((s) => Math.abs(s) > 0.1)).toBe(true);
    for (const c of chunks) c.close();
  });

  it('keeps 100 ms of audio by default, and reads zeros from a disabled track', async () => {
    const { clock, md } = lab();
    const track = await microphone(md);
    track.enabled = false;
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    clock.advance(300);
    for (let i = 0; i < 10; i++) {
      const a = (await readSoon(reader)).value as AudioData;
      expect(audioDataChannels(a).every((c) => c.every((s) => s === 0))).toBe(true);
      // The ten newest 10 ms chunks of the 300 ms.
      if (i === 0) expect(a.timestamp).toBe(200_000);
      a.close();
    }
    expect(await stillPending(reader.read())).toBe(true);
  });
});

describe('MediaStreamTrackProcessor constructor', () => {
  it('throws a TypeError without a live MediaStreamTrack, or with maxBufferSize out of range', async () => {
    const { md } = lab();
    const track = await camera(md);
    const P = MediaStreamTrackProcessor as unknown as new (...args: unknown[]) => unknown;
    expect(() => new P()).toThrow(TypeError);
    expect(() => new P({})).toThrow(/track/);
    expect(() => new P({ track: {} })).toThrow(TypeError);
    expect(() => new P(42)).toThrow(TypeError);
    expect(() => new P({ track, maxBufferSize: 65536 })).toThrow(/maxBufferSize/);
    expect(() => new P({ track, maxBufferSize: -1 })).toThrow(TypeError);
    expect(() => new P({ track, maxBufferSize: NaN })).toThrow(TypeError);
    expect(() => new P({ track, maxBufferSize: 0 })).not.toThrow();
    const ended = track.clone();
    ended.stop();
    expect(() => new P({ track: ended })).toThrow(/ended/);
  });

  it('is an interface with an enumerable readable getter that brand-checks', () => {
    const desc = Object.getOwnPropertyDescriptor(MediaStreamTrackProcessor.prototype, 'readable')!;
    expect(desc.enumerable).toBe(true);
    expect(() => desc.get!.call({})).toThrow(TypeError);
    expect(Object.prototype.toString.call(Object.create(MediaStreamTrackProcessor.prototype))).toBe('[object MediaStreamTrackProcessor]');
  });
});
