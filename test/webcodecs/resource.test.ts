import { describe, expect, it, vi } from 'vitest';
import { AudioData, VideoFrame } from '../../src/webcodecs/index.js';
import {
  audioDataBuffer,
  audioDataChannels,
  audioDataFromBuffer,
  audioDataFromChannels,
  audioDataResource,
  REC601_COLOR_SPACE,
  videoFrameFromPlanes,
  videoFramePlanes,
  videoFrameResource,
} from '../../src/webcodecs/internal.js';
import { expectThrowsName, pattern } from './helpers.js';

describe('the media resource of a VideoFrame (reference counting)', () => {
  it('is shared by clones and frames made from the frame, and released when the last one closes', async () => {
    const release = vi.fn();
    const data = pattern(24);
    const frame = videoFrameFromPlanes({ format: 'I420', codedWidth: 4, codedHeight: 4, timestamp: 0, data, release });
    const resource = videoFrameResource(frame)!;
    expect(resource.referenceCount).toBe(1);
    const clone = frame.clone();
    const derived = new VideoFrame(frame, { timestamp: 5 });
    expect(videoFrameResource(clone)).toBe(resource);
    expect(videoFrameResource(derived)).toBe(resource);
    expect(resource.referenceCount).toBe(3);

    frame.close();
    frame.close();
    expect(videoFrameResource(frame)).toBeNull();
    expect(resource.referenceCount).toBe(2);
    clone.close();
    expect(resource.released).toBe(false);
    // The survivor still reads the pixels.
    const out = new Uint8Array(24);
    await derived.copyTo(out);
    expect(out).toEqual(pattern(24));
    expect(release).not.toHaveBeenCalled();

    derived.close();
    expect(resource.referenceCount).toBe(0);
    expect(resource.released).toBe(true);
    expect(release).toHaveBeenCalledTimes(1);
    expect(release).toHaveBeenCalledWith(data);
  });

  it('is one per constructed frame, held once', () => {
    const a = new VideoFrame(pattern(16), { format: 'RGBA', codedWidth: 2, codedHeight: 2, timestamp: 0 });
    const b = new VideoFrame(pattern(16), { format: 'RGBA', codedWidth: 2, codedHeight: 2, timestamp: 0 });
    expect(videoFrameResource(a)).not.toBe(videoFrameResource(b));
    expect(videoFrameResource(a)!.referenceCount).toBe(1);
    a.close();
    expect(videoFrameResource(b)!.released).toBe(false);
  });

  it('a frame that failed to construct from another takes no reference', () => {
    const a = new VideoFrame(pattern(24), { format: 'I420', codedWidth: 4, codedHeight: 4, timestamp: 0 });
    expect(() => new VideoFrame(a, { visibleRect: { x: 1, y: 0, width: 2, height: 2 } })).toThrow(TypeError);
    expect(videoFrameResource(a)!.referenceCount).toBe(1);
  });
});

describe('videoFrameFromPlanes / videoFramePlanes (zero-copy)', () => {
  it('wraps the given bytes without copying them', async () => {
    const data = new Uint8Array(16);
    const frame = videoFrameFromPlanes({ format: 'RGBA', codedWidth: 2, codedHeight: 2, timestamp: 7, duration: 33, data });
    expect(videoFramePlanes(frame).data).toBe(data);
    data[0] = 99;
    const out = new Uint8Array(16);
    await frame.copyTo(out);
    expect(out[0]).toBe(99);
    expect([frame.timestamp, frame.duration]).toEqual([7, 33]);
  });

  it('reads the bytes of a constructed frame, with their layout, on a SharedArrayBuffer too', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(64));
    shared.set(pattern(64));
    const frame = videoFrameFromPlanes({
      format: 'I420',
      codedWidth: 4,
      codedHeight: 4,
      timestamp: 0,
      data: shared,
      layout: [
        { offset: 8, stride: 8 },
        { offset: 40, stride: 4 },
        { offset: 50, stride: 4 },
      ],
      visibleRect: { x: 2, y: 2, width: 2, height: 2 },
      colorSpace: REC601_COLOR_SPACE,
    });
    const planes = videoFramePlanes(frame);
    expect(planes.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(planes.layout).toEqual([
      { offset: 8, stride: 8 },
      { offset: 40, stride: 4 },
      { offset: 50, stride: 4 },
    ]);
    expect(planes.visibleRect).toEqual({ x: 2, y: 2, width: 2, height: 2 });
    expect(frame.colorSpace.matrix).toBe('smpte170m');
    expect([frame.displayWidth, frame.displayHeight]).toEqual([2, 2]);
  });

  it('rejects bytes too few for the layout, and a misaligned visibleRect (TypeError)', () => {
    expect(() => videoFrameFromPlanes({ format: 'I420', codedWidth: 4, codedHeight: 4, timestamp: 0, data: new Uint8Array(23) })).toThrow(TypeError);
    expect(() => videoFrameFromPlanes({ format: 'I420', codedWidth: 4, codedHeight: 4, timestamp: 0, data: new Uint8Array(24), visibleRect: { x: 1, y: 0, width: 2, height: 2 } })).toThrow(TypeError);
  });

  it('refuses a closed frame (InvalidStateError)', () => {
    const frame = new VideoFrame(pattern(16), { format: 'RGBA', codedWidth: 2, codedHeight: 2, timestamp: 0 });
    frame.close();
    expectThrowsName(() => videoFramePlanes(frame), 'InvalidStateError');
  });
});

describe('the media resource of an AudioData', () => {
  it('is shared by clones and released by the last close', () => {
    const release = vi.fn();
    const samples = new Float32Array([0.5, -0.5, 0.25, -0.25]);
    const audio = audioDataFromBuffer({ format: 'f32', sampleRate: 48000, numberOfFrames: 2, numberOfChannels: 2, timestamp: 10, data: new Uint8Array(samples.buffer), release });
    const resource = audioDataResource(audio)!;
    const clone = audio.clone();
    expect(audioDataResource(clone)).toBe(resource);
    expect(resource.referenceCount).toBe(2);
    audio.close();
    expect(audioDataResource(audio)).toBeNull();
    expect(resource.referenceCount).toBe(1);
    const out = new Float32Array(4);
    clone.copyTo(out, { planeIndex: 0 });
    expect(Array.from(out)).toEqual([0.5, -0.5, 0.25, -0.25]);
    clone.close();
    expect(resource.released).toBe(true);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('wraps bytes without a copy, and gives f32-planar channels as views', () => {
    const samples = new Float32Array([1, 2, 3, 4, 5, 6]);
    const audio = audioDataFromBuffer({ format: 'f32-planar', sampleRate: 8000, numberOfFrames: 3, numberOfChannels: 2, timestamp: 0, data: new Uint8Array(samples.buffer) });
    expect(audioDataBuffer(audio).data.buffer).toBe(samples.buffer);
    const [left, right] = audioDataChannels(audio);
    expect(Array.from(left!)).toEqual([1, 2, 3]);
    expect(Array.from(right!)).toEqual([4, 5, 6]);
    samples[0] = 9;
    expect(left![0]).toBe(9);
  });

  it('gives other formats as converted f32 channels', () => {
    const audio = new AudioData({ format: 's16', sampleRate: 8000, numberOfFrames: 2, numberOfChannels: 2, timestamp: 0, data: new Int16Array([32767, -32768, 0, 16384]) });
    const [left, right] = audioDataChannels(audio);
    expect(Array.from(left!)).toEqual([1, 0]);
    expect(Array.from(right!)).toEqual([-1, Math.fround(16384 / 32767)]);
  });

  it('audioDataFromChannels packs channels into one f32-planar AudioData', () => {
    const audio = audioDataFromChannels([new Float32Array([1, 2]), new Float32Array([3, 4])], 16000, 99);
    expect([audio.format, audio.numberOfFrames, audio.numberOfChannels, audio.sampleRate, audio.timestamp]).toEqual(['f32-planar', 2, 2, 16000, 99]);
    const out = new Float32Array(2);
    audio.copyTo(out, { planeIndex: 1 });
    expect(Array.from(out)).toEqual([3, 4]);
  });

  it('rejects inconsistent internal construction (TypeError) and a closed AudioData (InvalidStateError)', () => {
    expect(() => audioDataFromBuffer({ format: 's16', sampleRate: 8000, numberOfFrames: 4, numberOfChannels: 1, timestamp: 0, data: new Uint8Array(7) })).toThrow(TypeError);
    expect(() => audioDataFromBuffer({ format: 's16', sampleRate: 8000, numberOfFrames: 1, numberOfChannels: 1, timestamp: 0, data: new Uint8Array(4).subarray(1, 3) })).toThrow(TypeError);
    const audio = audioDataFromChannels([new Float32Array(1)], 8000, 0);
    audio.close();
    expectThrowsName(() => audioDataBuffer(audio), 'InvalidStateError');
  });
});
