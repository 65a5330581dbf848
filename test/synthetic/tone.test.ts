import { describe, expect, it } from 'vitest';
import { DEFAULT_TONE_AMPLITUDE, DEFAULT_TONE_FREQUENCY, ToneGenerator } from '../../src/media/synthetic/tone.js';
import { prng } from './helpers.js';

function rms(a: Float32Array, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i]! * a[i]!;
  return Math.sqrt(s / (to - from));
}

function risingZeroCrossings(a: Float32Array): number {
  let n = 0;
  for (let i = 1; i < a.length; i++) if (a[i - 1]! < 0 && a[i]! >= 0) n++;
  return n;
}

function same(a: Float32Array, b: Float32Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

function oneShot(gen: ToneGenerator, start: number, count: number, channels: number): Float32Array[] {
  const out = Array.from({ length: channels }, () => new Float32Array(count));
  gen.generate(start, count, out);
  return out;
}

describe('ToneGenerator', () => {
  it('defaults to a 440 Hz tone at amplitude 0.25', () => {
    const gen = new ToneGenerator({ sampleRate: 48_000 });
    expect([gen.frequency, gen.amplitude]).toEqual([DEFAULT_TONE_FREQUENCY, DEFAULT_TONE_AMPLITUDE]);
    expect([DEFAULT_TONE_FREQUENCY, DEFAULT_TONE_AMPLITUDE]).toEqual([440, 0.25]);
  });

  it('has the configured frequency (zero crossings over one second)', () => {
    for (const [rate, freq] of [[48_000, 440], [44_100, 1_000], [16_000, 333.5], [8_000, 50]] as const) {
      const [ch] = oneShot(new ToneGenerator({ sampleRate: rate, frequency: freq }), 12_345, rate, 1);
      expect(Math.abs(risingZeroCrossings(ch!) - freq)).toBeLessThanOrEqual(1);
    }
  });

  it('has RMS level amplitude / √2 and the given peak', () => {
    for (const amplitude of [0.1, 0.25, 0.9]) {
      const [ch] = oneShot(new ToneGenerator({ sampleRate: 48_000, frequency: 440, amplitude }), 0, 48_000, 1);
      expect(rms(ch!)).toBeCloseTo(amplitude / Math.SQRT2, 4);
      expect(Math.max(...ch!)).toBeCloseTo(amplitude, 3);
    }
  });

  it('joins chunks of any size bit-exactly, for tone, gaps and noise', () => {
    const rand = prng(7);
    for (const noise of ['none', 'white', 'pink'] as const) {
      const options = { sampleRate: 48_000, frequency: 441.7, noise, noiseLevel: 0.05, gap: { toneSeconds: 0.05, silenceSeconds: 0.03 } };
      const start = 3_000_000_123; // ~17 hours in
      const total = 20_000;
      const whole = oneShot(new ToneGenerator(options), start, total, 2);
      const gen = new ToneGenerator(options);
      const pieces = [new Float32Array(total), new Float32Array(total)];
      for (let at = 0; at < total; ) {
        const n = Math.min(total - at, [1, 127, 480, 1024][Math.floor(rand() * 4)]!);
        gen.generate(start + at, n, pieces.map((p) => p.subarray(at, at + n)));
        at += n;
      }
      for (let c = 0; c < 2; c++) expect(same(pieces[c]!, whole[c]!)).toBe(true);
    }
  });

  it('keeps exact phase far from the start (no drift)', () => {
    const gen = new ToneGenerator({ sampleRate: 48_000, frequency: 440, amplitude: 1 });
    const day = 48_000 * 86_400 * 3; // three days of samples
    for (const n of [day, day + 1, day + 17, day + 47_999]) {
      // Exact phase with integer arithmetic: 440 n mod 48000 cycles.
      const expected = Math.sin((2 * Math.PI * ((440 * (n % 48_000)) % 48_000)) / 48_000);
      expect(gen.sample(n)).toBeCloseTo(expected, 12);
    }
  });

  it('writes the f32-planar layout of AudioData', () => {
    const gen = new ToneGenerator({ sampleRate: 48_000, noise: 'white', noiseLevel: 0.1 });
    const planar = gen.generatePlanar(960, 480, 2);
    const [l, r] = oneShot(gen, 960, 480, 2);
    expect(planar.subarray(0, 480)).toEqual(l);
    expect(planar.subarray(480, 960)).toEqual(r);
  });

  it('makes silent gaps with faded edges', () => {
    const gen = new ToneGenerator({ sampleRate: 48_000, gap: { toneSeconds: 0.1, silenceSeconds: 0.1 } });
    const [ch] = oneShot(gen, 0, 48_000, 1);
    for (let burst = 0; burst < 5; burst++) {
      const on = burst * 9_600;
      expect(rms(ch!, on + 200, on + 4_600)).toBeCloseTo(0.25 / Math.SQRT2, 2);
      expect(ch!.subarray(on + 4_800, on + 9_600).every((v) => v === 0)).toBe(true);
    }
    // No click: the first samples of a burst start near zero.
    expect(Math.abs(ch![9_600]!)).toBeLessThan(0.001);
    expect(Math.abs(ch![9_601]!)).toBeLessThan(0.01);
  });

  it('mixes reproducible white and pink noise at the given RMS level', () => {
    for (const noise of ['white', 'pink'] as const) {
      const opts = { sampleRate: 48_000, amplitude: 0, noise, noiseLevel: 0.1, seed: 99 };
      const [a, b] = oneShot(new ToneGenerator(opts), 0, 96_000, 2);
      const [again] = oneShot(new ToneGenerator(opts), 0, 96_000, 1);
      const [other] = oneShot(new ToneGenerator({ ...opts, seed: 100 }), 0, 96_000, 1);
      expect(rms(a!)).toBeGreaterThan(noise === 'white' ? 0.097 : 0.085);
      expect(rms(a!)).toBeLessThan(noise === 'white' ? 0.103 : 0.115);
      expect(same(again!, a!)).toBe(true); // same seed, same noise
      expect(same(other!, a!)).toBe(false);
      expect(same(b!, a!)).toBe(false); // channels are independent
    }
  });

  it('gives pink noise less high-frequency energy than white', () => {
    // Sample-to-sample differences carry the high frequencies: √2 × RMS for white noise.
    const diffRatio = (noise: 'white' | 'pink') => {
      const [x] = oneShot(new ToneGenerator({ sampleRate: 48_000, amplitude: 0, noise, noiseLevel: 0.1 }), 0, 48_000, 1);
      const d = new Float32Array(x!.length - 1).map((_, i) => x![i + 1]! - x![i]!);
      return rms(d) / rms(x!);
    };
    expect(diffRatio('white')).toBeCloseTo(Math.SQRT2, 1);
    expect(diffRatio('pink')).toBeLessThan(0.6);
  });

  it('rejects bad settings', () => {
    expect(() => new ToneGenerator({ sampleRate: 0 })).toThrow(RangeError);
    expect(() => new ToneGenerator({ sampleRate: 48_000, frequency: -1 })).toThrow(RangeError);
    expect(() => new ToneGenerator({ sampleRate: 48_000 }).generate(-1, 1, [new Float32Array(1)])).toThrow(RangeError);
    expect(() => new ToneGenerator({ sampleRate: 48_000 }).generate(0, 10, [new Float32Array(5)])).toThrow(RangeError);
  });
});
