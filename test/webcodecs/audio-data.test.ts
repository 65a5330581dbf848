import { describe, expect, it } from 'vitest';
import { AudioData } from '../../src/webcodecs/index.js';
import type { AudioSampleFormat } from '../../src/webcodecs/index.js';
import { expectThrowsName } from './helpers.js';

type SampleType = 'u8' | 's16' | 's32' | 'f32';
const ARRAYS = { u8: Uint8Array, s16: Int16Array, s32: Int32Array, f32: Float32Array } as const;
/** Minimum, bias and maximum of each type (WebCodecs § 9.3.2): they must convert into each other exactly. */
const VECTORS: Record<SampleType, number[]> = {
  u8: [0, 128, 255],
  s16: [-32768, 0, 32767],
  s32: [-2147483648, 0, 2147483647],
  f32: [-1, 0, 1],
};
const FORMATS: AudioSampleFormat[] = ['u8', 's16', 's32', 'f32', 'u8-planar', 's16-planar', 's32-planar', 'f32-planar'];

const typeOf = (format: AudioSampleFormat) => format.replace('-planar', '') as SampleType;
const planar = (format: AudioSampleFormat) => format.endsWith('-planar');

/** Two channels of three frames: channel 0 the type's vector, channel 1 the vector reversed, arranged as `format`. */
function stereoData(format: AudioSampleFormat): ArrayBufferView {
  const v = VECTORS[typeOf(format)];
  const r = [...v].reverse();
  const values = planar(format) ? [...v, ...r] : v.flatMap((x, i) => [x, r[i]!]);
  return new ARRAYS[typeOf(format)](values);
}

function stereo(format: AudioSampleFormat, timestamp = 0): AudioData {
  return new AudioData({ format, sampleRate: 48000, numberOfFrames: 3, numberOfChannels: 2, timestamp, data: stereoData(format) });
}

describe('AudioData(init)', () => {
  for (const format of FORMATS) {
    it(`constructs ${format} and copies it back unchanged`, () => {
      const audio = stereo(format, 1234);
      expect([audio.format, audio.sampleRate, audio.numberOfFrames, audio.numberOfChannels, audio.timestamp]).toEqual([format, 48000, 3, 2, 1234]);
      const size = audio.allocationSize({ planeIndex: 0 });
      const bytes = ARRAYS[typeOf(format)].BYTES_PER_ELEMENT;
      expect(size).toBe(planar(format) ? 3 * bytes : 6 * bytes);
      const out = new ARRAYS[typeOf(format)](size / bytes);
      audio.copyTo(out, { planeIndex: 0 });
      const expected = planar(format) ? VECTORS[typeOf(format)] : Array.from(stereoData(format) as Int16Array);
      expect(Array.from(out)).toEqual(expected);
    });
  }

  it('duration is numberOfFrames / sampleRate in microseconds (truncated)', () => {
    const make = (numberOfFrames: number, sampleRate: number) =>
      new AudioData({ format: 'f32', sampleRate, numberOfFrames, numberOfChannels: 1, timestamp: 0, data: new Float32Array(numberOfFrames) });
    expect(make(480, 48000).duration).toBe(10_000);
    expect(make(1, 3).duration).toBe(333_333);
    expect(make(441, 44100).duration).toBe(10_000);
  });

  it('copies init.data: changing it afterwards does not change the AudioData', () => {
    const data = new Int16Array([1, 2, 3, 4]);
    const audio = new AudioData({ format: 's16', sampleRate: 8000, numberOfFrames: 4, numberOfChannels: 1, timestamp: 0, data });
    data.fill(0);
    const out = new Int16Array(4);
    audio.copyTo(out, { planeIndex: 0 });
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
  });

  it('takes the buffer over when it is in init.transfer, and detaches it', () => {
    const data = new Float32Array([0.25, 0.5]);
    const extra = new ArrayBuffer(4);
    const audio = new AudioData({ format: 'f32', sampleRate: 8000, numberOfFrames: 2, numberOfChannels: 1, timestamp: 0, data, transfer: [data.buffer as ArrayBuffer, extra] });
    expect(data.buffer.byteLength).toBe(0);
    expect(extra.byteLength).toBe(0);
    const out = new Float32Array(2);
    audio.copyTo(out, { planeIndex: 0 });
    expect(Array.from(out)).toEqual([0.25, 0.5]);
  });

  describe('rejects a bad init', () => {
    const base = { format: 's16', sampleRate: 8000, numberOfFrames: 2, numberOfChannels: 1, timestamp: 0, data: new Int16Array(2) } as const;
    const cases: [string, unknown][] = [
      ['sampleRate 0', { ...base, sampleRate: 0 }],
      ['a negative sampleRate', { ...base, sampleRate: -1 }],
      ['a NaN sampleRate', { ...base, sampleRate: NaN }],
      ['numberOfFrames 0', { ...base, numberOfFrames: 0 }],
      ['numberOfChannels 0', { ...base, numberOfChannels: 0 }],
      ['a negative numberOfFrames ([EnforceRange])', { ...base, numberOfFrames: -2 }],
      ['data too small', { ...base, numberOfFrames: 3 }],
      ['no format', { ...base, format: undefined }],
      ['an unknown format', { ...base, format: 's24' }],
      ['no data', { ...base, data: undefined }],
      ['data on a SharedArrayBuffer (BufferSource)', { ...base, data: new Int16Array(new SharedArrayBuffer(4)) }],
      ['no timestamp', { ...base, timestamp: undefined }],
    ];
    for (const [what, init] of cases) {
      it(`TypeError for ${what}`, () => expectThrowsName(() => new AudioData(init as never), 'TypeError'));
    }
    it('TypeError without an init', () => expectThrowsName(() => new (AudioData as unknown as new () => unknown)(), 'TypeError'));
    it('DataCloneError for a duplicated or detached transfer', () => {
      const buffer = new ArrayBuffer(4);
      expectThrowsName(() => new AudioData({ ...base, data: new Int16Array(buffer), transfer: [buffer, buffer] }), 'DataCloneError');
      expect(buffer.byteLength).toBe(4);
      const detached = new ArrayBuffer(4);
      structuredClone(detached, { transfer: [detached] });
      expectThrowsName(() => new AudioData({ ...base, transfer: [detached] }), 'DataCloneError');
    });
  });
});

describe('AudioData.copyTo() converting between formats', () => {
  for (const from of FORMATS) {
    for (const to of FORMATS) {
      it(`${from} → ${to} maps minimum, bias and maximum exactly`, () => {
        const audio = stereo(from);
        const planes = planar(to) ? [0, 1] : [0];
        for (const planeIndex of planes) {
          const size = audio.allocationSize({ planeIndex, format: to });
          const out = new ARRAYS[typeOf(to)](size / ARRAYS[typeOf(to)].BYTES_PER_ELEMENT);
          audio.copyTo(out, { planeIndex, format: to });
          const v = VECTORS[typeOf(to)];
          const r = [...v].reverse();
          const expected = planar(to) ? (planeIndex === 0 ? v : r) : v.flatMap((x, i) => [x, r[i]!]);
          expect(Array.from(out)).toEqual(expected);
        }
      });
    }
  }

  it('scales asymmetrically and rounds: exact values in between', () => {
    const s16 = new AudioData({ format: 's16', sampleRate: 8000, numberOfFrames: 3, numberOfChannels: 1, timestamp: 0, data: new Int16Array([16384, -16384, 1]) });
    const f = new Float32Array(3);
    s16.copyTo(f, { planeIndex: 0, format: 'f32' });
    expect(Array.from(f)).toEqual([Math.fround(16384 / 32767), -0.5, Math.fround(1 / 32767)]);
    const u8 = new Uint8Array(3);
    s16.copyTo(u8, { planeIndex: 0, format: 'u8' });
    expect(Array.from(u8)).toEqual([128 + Math.round((16384 / 32767) * 127), 64, 128]);

    const u = new AudioData({ format: 'u8', sampleRate: 8000, numberOfFrames: 2, numberOfChannels: 1, timestamp: 0, data: new Uint8Array([129, 64]) });
    const s = new Int16Array(2);
    u.copyTo(s, { planeIndex: 0, format: 's16' });
    expect(Array.from(s)).toEqual([Math.round(32767 / 127), -16384]);
  });

  it('clips float beyond full scale when converting to integers, but not to f32', () => {
    const loud = new AudioData({ format: 'f32', sampleRate: 8000, numberOfFrames: 3, numberOfChannels: 1, timestamp: 0, data: new Float32Array([2, -3, 0.5]) });
    const s = new Int16Array(3);
    loud.copyTo(s, { planeIndex: 0, format: 's16' });
    expect(Array.from(s)).toEqual([32767, -32768, 16384]);
    const f = new Float32Array(3);
    loud.copyTo(f, { planeIndex: 0, format: 'f32-planar' });
    expect(Array.from(f)).toEqual([2, -3, 0.5]);
  });

  it('round-trips every s16 and u8 value through f32 exactly', () => {
    const all = new Int16Array(65536).map((_, i) => i - 32768);
    const audio = new AudioData({ format: 's16', sampleRate: 8000, numberOfFrames: 65536, numberOfChannels: 1, timestamp: 0, data: all });
    const f = new Float32Array(65536);
    audio.copyTo(f, { planeIndex: 0, format: 'f32' });
    const back = new AudioData({ format: 'f32', sampleRate: 8000, numberOfFrames: 65536, numberOfChannels: 1, timestamp: 0, data: f });
    const s = new Int16Array(65536);
    back.copyTo(s, { planeIndex: 0, format: 's16' });
    expect(s).toEqual(all);
  });
});

describe('AudioData.copyTo() ranges and errors', () => {
  const ramp = (format: AudioSampleFormat) =>
    new AudioData({ format, sampleRate: 8000, numberOfFrames: 5, numberOfChannels: 2, timestamp: 0, data: new Int16Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) });

  it('copies frameCount frames from frameOffset, of one plane or of the interleaved whole', () => {
    const out = new Int16Array(4);
    ramp('s16-planar').copyTo(out, { planeIndex: 1, frameOffset: 1, frameCount: 3 });
    expect(Array.from(out.subarray(0, 3))).toEqual([6, 7, 8]);
    ramp('s16').copyTo(out, { planeIndex: 0, frameOffset: 3 });
    expect(Array.from(out)).toEqual([6, 7, 8, 9]);
    // Interleaved to planar picks one channel; planar to interleaved interleaves them all.
    ramp('s16').copyTo(out, { planeIndex: 1, frameOffset: 1, frameCount: 2, format: 's16-planar' });
    expect(Array.from(out.subarray(0, 2))).toEqual([3, 5]);
    ramp('s16-planar').copyTo(out, { planeIndex: 0, frameOffset: 3, format: 's16' });
    expect(Array.from(out)).toEqual([3, 8, 4, 9]);
    expect(ramp('s16').allocationSize({ planeIndex: 0, frameOffset: 1, frameCount: 2, format: 'f32' })).toBe(2 * 2 * 4);
    expect(ramp('s16').allocationSize({ planeIndex: 1, format: 'u8-planar' })).toBe(5);
  });

  it('RangeError for a plane that does not exist, an offset past the end, too many frames, a short destination', () => {
    const interleaved = ramp('s16');
    const dest = new Int16Array(16);
    expectThrowsName(() => interleaved.copyTo(dest, { planeIndex: 1 }), 'RangeError');
    expectThrowsName(() => interleaved.allocationSize({ planeIndex: 2, format: 's16-planar' }), 'RangeError');
    expectThrowsName(() => interleaved.copyTo(dest, { planeIndex: 0, frameOffset: 5 }), 'RangeError');
    expectThrowsName(() => interleaved.copyTo(dest, { planeIndex: 0, frameOffset: 2, frameCount: 4 }), 'RangeError');
    expectThrowsName(() => interleaved.copyTo(new Int16Array(9), { planeIndex: 0 }), 'RangeError');
  });

  it('TypeError for options without planeIndex, or a destination that is not a buffer', () => {
    const audio = ramp('s16');
    expectThrowsName(() => audio.allocationSize({} as never), 'TypeError');
    expectThrowsName(() => audio.copyTo(new Int16Array(10), { planeIndex: -1 }), 'TypeError');
    expectThrowsName(() => audio.copyTo([] as never, { planeIndex: 0 }), 'TypeError');
  });

  it('writes into ArrayBuffers, SharedArrayBuffers and unaligned views', () => {
    const audio = ramp('s16-planar');
    const buffer = new ArrayBuffer(10);
    audio.copyTo(buffer, { planeIndex: 0 });
    expect(Array.from(new Int16Array(buffer))).toEqual([0, 1, 2, 3, 4]);
    const shared = new SharedArrayBuffer(10);
    audio.copyTo(shared, { planeIndex: 1 });
    expect(Array.from(new Int16Array(shared))).toEqual([5, 6, 7, 8, 9]);
    const odd = new Uint8Array(11).subarray(1);
    audio.copyTo(odd, { planeIndex: 1 });
    expect(Array.from(new Int16Array(odd.slice().buffer))).toEqual([5, 6, 7, 8, 9]);
  });
});

describe('a closed AudioData', () => {
  it('reads as empty and refuses every method with InvalidStateError', () => {
    const audio = stereo('f32', 77);
    audio.close();
    expect(audio.format).toBeNull();
    expect([audio.sampleRate, audio.numberOfFrames, audio.numberOfChannels, audio.duration]).toEqual([0, 0, 0, 0]);
    expect(audio.timestamp).toBe(77);
    expectThrowsName(() => audio.clone(), 'InvalidStateError');
    expectThrowsName(() => audio.allocationSize({ planeIndex: 0 }), 'InvalidStateError');
    expectThrowsName(() => audio.copyTo(new Float32Array(6), { planeIndex: 0 }), 'InvalidStateError');
    audio.close();
  });

  it('a clone has the same attributes and outlives the original', () => {
    const audio = stereo('u8', 5);
    const clone = audio.clone();
    audio.close();
    expect([clone.format, clone.sampleRate, clone.numberOfFrames, clone.numberOfChannels, clone.timestamp]).toEqual(['u8', 48000, 3, 2, 5]);
    const out = new Uint8Array(6);
    clone.copyTo(out, { planeIndex: 0 });
    expect(Array.from(out)).toEqual([0, 255, 128, 128, 255, 0]);
  });
});

describe('AudioData as a WebIDL interface', () => {
  it('brand-checks, has enumerable members and its toStringTag', () => {
    const getter = Object.getOwnPropertyDescriptor(AudioData.prototype, 'sampleRate')!.get!;
    expectThrowsName(() => getter.call({}), 'TypeError');
    expectThrowsName(() => AudioData.prototype.close.call({} as never), 'TypeError');
    const audio = stereo('f32');
    expect(Object.prototype.toString.call(audio)).toBe('[object AudioData]');
    const keys: string[] = [];
    for (const key in audio) keys.push(key);
    expect(keys).toEqual(expect.arrayContaining(['format', 'sampleRate', 'duration', 'copyTo', 'clone', 'close']));
  });
});
