import { describe, expect, it } from 'vitest';
import { Resampler } from '../../src/media/convert/resample.js';

function tone(frequency: number, rate: number, frames: number, amplitude = 0.5, phase = 0): Float32Array {
  return Float32Array.from({ length: frames }, (_, n) => amplitude * Math.sin((2 * Math.PI * frequency * n) / rate + phase));
}

function concat(chunks: Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Frequency from the interpolated times of the first and last upward zero crossings. */
function measuredFrequency(signal: Float32Array, rate: number): number {
  const crossings: number[] = [];
  for (let n = 1; n < signal.length; n++) {
    const a = signal[n - 1]!;
    const b = signal[n]!;
    if (a < 0 && b >= 0) crossings.push(n - 1 + a / (a - b));
  }
  return ((crossings.length - 1) * rate) / (crossings.at(-1)! - crossings[0]!);
}

function rms(signal: Float32Array): number {
  return Math.sqrt(signal.reduce((s, v) => s + v * v, 0) / signal.length);
}

/** The steady part of a resampled signal: without the filter's ramp-in and ramp-out. */
function steady(signal: Float32Array, rate: number): Float32Array {
  const skip = Math.ceil(rate * 0.01);
  return signal.subarray(skip, signal.length - skip);
}

const PAIRS: [number, number][] = [
  [48000, 44100],
  [44100, 48000],
  [48000, 16000],
  [16000, 48000],
  [44100, 16000],
  [32000, 48000.5],
];

describe('Resampler', () => {
  for (const [from, to] of PAIRS) {
    it(`keeps a 1 kHz tone at 1 kHz and at its level, ${from} → ${to}`, () => {
      const r = new Resampler(from, to, 1);
      const input = tone(1000, from, from / 2);
      const out = concat([r.process([input])[0]!, r.flush()[0]!]);
      expect(out.length).toBe(Math.ceil((input.length * to) / from));
      const s = steady(out, to);
      expect(Math.abs(measuredFrequency(s, to) - 1000)).toBeLessThan(0.05);
      expect(rms(s) / (0.5 / Math.SQRT2)).toBeCloseTo(1, 3);
      // No time shift: output n is the tone at time n / to.
      const ideal = tone(1000, to, out.length);
      const skip = Math.ceil(to * 0.01);
      let worst = 0;
      for (let n = skip; n < out.length - skip; n++) worst = Math.max(worst, Math.abs(out[n]! - ideal[n]!));
      expect(worst).toBeLessThan(2e-3);
    });
  }

  for (const frequency of [8500, 12000]) {
    it(`removes what the new rate cannot carry (${frequency} Hz into 16 kHz is at least 70 dB down)`, () => {
      const r = new Resampler(48000, 16000, 1);
      const out = concat([r.process([tone(frequency, 48000, 24000)])[0]!, r.flush()[0]!]);
      expect(20 * Math.log10(rms(steady(out, 16000)) / (0.5 / Math.SQRT2))).toBeLessThan(-70);
    });
  }

  it('passes 7 kHz into 16 kHz (inside the pass band) at its level', () => {
    const r = new Resampler(48000, 16000, 1);
    const out = concat([r.process([tone(7000, 48000, 24000)])[0]!, r.flush()[0]!]);
    expect(rms(steady(out, 16000)) / (0.5 / Math.SQRT2)).toBeGreaterThan(0.99);
  });

  it('gives the same output whatever the chunking (no clicks at chunk boundaries)', () => {
    const input = tone(1000, 44100, 22050);
    const once = new Resampler(44100, 48000, 1);
    const whole = concat([once.process([input])[0]!, once.flush()[0]!]);
    const chunked = new Resampler(44100, 48000, 1);
    const pieces: Float32Array[] = [];
    const sizes = [0, 1, 7, 441, 1000, 3, 128];
    for (let at = 0, i = 0; at < input.length; i++) {
      const size = Math.min(sizes[i % sizes.length]!, input.length - at);
      pieces.push(chunked.process([input.subarray(at, at + size)])[0]!);
      at += size;
    }
    pieces.push(chunked.flush()[0]!);
    const joined = concat(pieces);
    expect(joined.length).toBe(whole.length);
    let worst = 0;
    for (let n = 0; n < whole.length; n++) worst = Math.max(worst, Math.abs(joined[n]! - whole[n]!));
    expect(worst).toBeLessThan(1e-6);
  });

  it('emits output as input arrives, held back by only `delay` input frames', () => {
    const r = new Resampler(48000, 16000, 1);
    const out = r.process([new Float32Array(4800)])[0]!;
    expect(out.length).toBeGreaterThanOrEqual(Math.floor((4800 - r.delay) / 3));
    expect(out.length).toBeLessThanOrEqual(1600);
  });

  it('resamples each channel on its own', () => {
    const r = new Resampler(16000, 48000, 2);
    const [left, right] = r.process([tone(1000, 16000, 8000), tone(500, 16000, 8000)]);
    expect(Math.abs(measuredFrequency(steady(left!, 48000), 48000) - 1000)).toBeLessThan(0.1);
    expect(Math.abs(measuredFrequency(steady(right!, 48000), 48000) - 500)).toBeLessThan(0.1);
  });

  it('starts over after flush()', () => {
    const r = new Resampler(48000, 44100, 1);
    const input = tone(1000, 48000, 4800);
    const first = concat([r.process([input])[0]!, r.flush()[0]!]);
    const second = concat([r.process([input])[0]!, r.flush()[0]!]);
    expect(second).toEqual(first);
  });

  it('passes audio through untouched at equal rates', () => {
    const r = new Resampler(48000, 48000, 1);
    const input = tone(1000, 48000, 480);
    expect(r.process([input])[0]).toBe(input);
  });

  it('RangeError for bad rates or channel counts', () => {
    expect(() => new Resampler(0, 48000, 1)).toThrow(RangeError);
    expect(() => new Resampler(48000, Infinity, 1)).toThrow(RangeError);
    expect(() => new Resampler(48000, 44100, 0)).toThrow(RangeError);
    expect(() => new Resampler(48000, 44100, 2).process([new Float32Array(1)])).toThrow(RangeError);
  });
});
