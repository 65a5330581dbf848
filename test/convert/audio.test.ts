import { describe, expect, it } from 'vitest';
import { convertSamples, deinterleave, fillSilence, interleave, mixChannels, sampleView } from '../../src/media/convert/audio.js';

describe('convertSamples', () => {
  it('maps minimum, bias and maximum of every type onto each other', () => {
    const vectors = {
      u8: new Uint8Array([0, 128, 255]),
      s16: new Int16Array([-32768, 0, 32767]),
      s32: new Int32Array([-2147483648, 0, 2147483647]),
      f32: new Float32Array([-1, 0, 1]),
    };
    for (const [from, src] of Object.entries(vectors)) {
      for (const [to, expected] of Object.entries(vectors)) {
        const dst = new (expected.constructor as new (n: number) => typeof expected)(3);
        convertSamples(src, from as never, 0, 1, dst, to as never, 0, 1, 3);
        expect(Array.from(dst), `${from} → ${to}`).toEqual(Array.from(expected));
      }
    }
  });

  it('reads and writes with strides (one channel of interleaved data)', () => {
    const src = new Int16Array([1, -1, 2, -2, 3, -3]);
    const dst = new Int32Array(6);
    convertSamples(src, 's16', 1, 2, dst, 's32', 0, 2, 3);
    // Channel 1 (-1, -2, -3) into channel 0 of the output; negative s16 scales by 2^31 / 2^15.
    expect(Array.from(dst)).toEqual([-65536, 0, -131072, 0, -196608, 0]);
  });

  it('clips integers, keeps floats unclipped, and turns NaN into silence', () => {
    const f = new Float32Array([1.5, -1.5, NaN, 0.25]);
    const u8 = new Uint8Array(4);
    convertSamples(f, 'f32', 0, 1, u8, 'u8', 0, 1, 4);
    expect(Array.from(u8)).toEqual([255, 0, 128, 128 + Math.round(0.25 * 127)]);
    const f2 = new Float32Array(4);
    convertSamples(f, 'f32', 0, 1, f2, 'f32', 0, 1, 4);
    expect(Array.from(f2.subarray(0, 2))).toEqual([1.5, -1.5]);
  });
});

describe('interleave / deinterleave', () => {
  it('are inverses, converting type on the way', () => {
    const interleaved = new Int16Array([0, 32767, -32768, 16384]);
    const planes = [new Float32Array(2), new Float32Array(2)];
    deinterleave(interleaved, 's16', 2, 2, planes, 'f32');
    expect(Array.from(planes[0]!)).toEqual([0, -1]);
    expect(Array.from(planes[1]!)).toEqual([1, Math.fround(16384 / 32767)]);
    const back = new Int16Array(4);
    interleave(planes, 'f32', 2, back, 's16');
    expect(back).toEqual(interleaved);
  });

  it('sampleView gives a typed view on the same memory', () => {
    const bytes = new Uint8Array(8);
    const view = sampleView(bytes, 's16', 2, 2) as Int16Array;
    view[0] = -1;
    expect(Array.from(bytes.subarray(2, 4))).toEqual([255, 255]);
  });

  it('fillSilence uses the bias of the type', () => {
    const u8 = new Uint8Array(3);
    fillSilence(u8, 'u8');
    expect(Array.from(u8)).toEqual([128, 128, 128]);
    const f = new Float32Array([1, 1, 1]);
    fillSilence(f, 'f32', 1);
    expect(Array.from(f)).toEqual([1, 0, 0]);
  });
});

describe('mixChannels (Web Audio speaker rules)', () => {
  const ch = (...v: number[]) => new Float32Array(v);
  const S = Math.SQRT1_2;
  const mix = (input: Float32Array[], outputs: number, interpretation?: 'speakers' | 'discrete') => mixChannels(input, outputs, undefined, interpretation).map((c) => Array.from(c));

  it('mono → stereo duplicates; stereo → mono averages', () => {
    expect(mix([ch(0.5, -0.25)], 2)).toEqual([[0.5, -0.25], [0.5, -0.25]]);
    expect(mix([ch(1, 0.5), ch(0, 0.5)], 1)).toEqual([[0.5, 0.5]]);
  });

  it('mono → 5.1 goes to the centre; stereo → quad and 5.1 leave the new channels silent', () => {
    expect(mix([ch(0.5)], 6)).toEqual([[0], [0], [0.5], [0], [0], [0]]);
    expect(mix([ch(0.25), ch(0.5)], 4)).toEqual([[0.25], [0.5], [0], [0]]);
    expect(mix([ch(0.25), ch(0.5)], 6)).toEqual([[0.25], [0.5], [0], [0], [0], [0]]);
    expect(mix([ch(0.25), ch(0.5), ch(0.75), ch(1)], 6)).toEqual([[0.25], [0.5], [0], [0], [0.75], [1]]);
  });

  it('quad and 5.1 down-mix with the spec\'s gains', () => {
    expect(mix([ch(1), ch(0.5), ch(0.25), ch(0.25)], 1)[0]![0]).toBeCloseTo(0.5, 6);
    expect(mix([ch(1), ch(0.5), ch(0.25), ch(0.75)], 2).map((c) => c[0])).toEqual([0.625, 0.625]);
    const [l, r] = mix([ch(0.1), ch(0.2), ch(0.3), ch(0.9), ch(0.4), ch(0.5)], 2).map((c) => c[0]!);
    expect(l).toBeCloseTo(0.1 + S * (0.3 + 0.4), 6);
    expect(r).toBeCloseTo(0.2 + S * (0.3 + 0.5), 6);
    expect(mix([ch(0.1), ch(0.2), ch(0.3), ch(0.9), ch(0.4), ch(0.5)], 1)[0]![0]).toBeCloseTo(S * 0.3 + 0.3 + 0.5 * 0.9, 6);
    const quad = mix([ch(0.1), ch(0.2), ch(0.3), ch(0.9), ch(0.4), ch(0.5)], 4).map((c) => c[0]!);
    [0.1 + S * 0.3, 0.2 + S * 0.3, 0.4, 0.5].forEach((v, i) => expect(quad[i]).toBeCloseTo(v, 6));
  });

  it('other counts, and "discrete", copy the shared channels and silence the rest', () => {
    expect(mix([ch(1), ch(2), ch(3)], 2)).toEqual([[1], [2]]);
    expect(mix([ch(1), ch(2)], 3)).toEqual([[1], [2], [0]]);
    expect(mix([ch(1), ch(2)], 1, 'discrete')).toEqual([[1]]);
    expect(mix([ch(1)], 2, 'discrete')).toEqual([[1], [0]]);
  });

  it('writes into given output arrays', () => {
    const out = [new Float32Array(2).fill(9)];
    const result = mixChannels([ch(1, 1), ch(0, 1)], 1, out);
    expect(result[0]).toBe(out[0]);
    expect(Array.from(out[0]!)).toEqual([0.5, 1]);
  });
});
