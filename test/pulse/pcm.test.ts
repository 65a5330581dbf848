import { describe, it, expect } from 'vitest';
import { PcmDecoder, deinterleave } from '../../src/backends/common/pcm.js';

function f32(values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeFloatLE(v, i * 4));
  return b;
}

function s16(values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeInt16LE(v, i * 2));
  return b;
}

describe('deinterleave', () => {
  it('splits interleaved float32le into one Float32Array per channel', () => {
    const planes = deinterleave(f32([0.5, -0.5, 0.25, -0.25, 1, -1]), 'float32le', 2);
    expect(planes.map((p) => [...p])).toEqual([
      [0.5, 0.25, 1],
      [-0.5, -0.25, -1],
    ]);
  });

  it('scales s16le to [-1, 1) by 1/32768', () => {
    const [mono] = deinterleave(s16([0, 16384, -32768, 32767]), 's16le', 1);
    expect([...mono!]).toEqual([0, 0.5, -1, 32767 / 32768]);
  });

  it('refuses a partial frame', () => {
    expect(() => deinterleave(Buffer.alloc(6), 'float32le', 2)).toThrow(RangeError);
  });
});

describe('PcmDecoder', () => {
  it('holds back a partial frame until the next chunk completes it', () => {
    const decoder = new PcmDecoder('s16le', 2);
    const bytes = s16([1, 2, 3, 4, 5, 6]); // 3 stereo frames, 12 bytes
    expect(decoder.push(bytes.subarray(0, 3))).toBeUndefined();
    expect(decoder.pendingBytes).toBe(3);
    const first = decoder.push(bytes.subarray(3, 9))!; // 9 bytes: 2 frames + 1 byte
    expect(first.map((p) => [...p].map((v) => v * 32768))).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(decoder.pendingBytes).toBe(1);
    const rest = decoder.push(bytes.subarray(9))!;
    expect(rest.map((p) => [...p].map((v) => v * 32768))).toEqual([[5], [6]]);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('is not confused when the caller reuses its chunk buffer', () => {
    const decoder = new PcmDecoder('float32le', 1);
    const chunk = Buffer.concat([f32([0.75]), Buffer.from([0, 0])]);
    decoder.push(chunk);
    chunk.fill(0xff); // the pending half frame must have been copied
    const [plane] = decoder.push(Buffer.from([0x80, 0x3f]))!; // completes 1.0 (0x3f800000)
    expect([...plane!]).toEqual([1]);
  });
});
