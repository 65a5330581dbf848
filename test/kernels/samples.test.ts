// The WebAssembly sample kernels against their scalar JavaScript references, on random sizes and
// random chunkings: the channel mixer byte for byte; the resampler within one unit in the last
// place of each float (the kernel adds the filter's products four ways, the reference one after
// another, so their double sums can round to neighbouring floats), and most samples identical.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mixChannels, Resampler } from '../../src/media/convert/audio.js';
import { activeKernels, setKernels, wasmUnavailableReason } from '../../src/media/kernels/wasm.js';

/** A deterministic pseudo-random generator of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** `frames` samples of noise in [-1, 1), with a few special values (±0, ±1, tiny, large). */
function noise(frames: number, next: () => number): Float32Array {
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = 2 * next() - 1;
  const specials = [0, -0, 1, -1, 1e-30, -3.5, 7.25e6];
  for (const v of specials) if (frames > 0) out[Math.floor(next() * frames)] = v;
  return out;
}

/** Runs `fn` with the kernels chosen, then restores the choice. */
function withKernels<T>(choice: 'wasm' | 'js', fn: () => T): T {
  const before = setKernels(choice);
  try {
    return fn();
  } finally {
    setKernels(before);
  }
}

/** The distance between two floats in units in the last place (0 when equal, ±0 alike). */
function ulps(a: number, b: number): number {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  const f = new Float32Array([a, b]);
  const i = new Int32Array(f.buffer);
  // Map the sign-magnitude bits to a line where neighbouring floats differ by 1.
  const line = (x: number) => (x < 0 ? -2147483648 - x : x);
  return Math.abs(line(i[0]!) - line(i[1]!));
}

beforeAll(() => {
  expect(activeKernels(), wasmUnavailableReason()).toBe('wasm');
});
afterEach(() => {
  setKernels('wasm');
});

describe('mix_channels (WebAssembly) against mixChannels (JavaScript)', () => {
  const pairs = [
    [1, 2], [1, 4], [1, 6], [2, 4], [2, 6], [4, 6],
    [2, 1], [4, 1], [6, 1], [4, 2], [6, 2], [6, 4],
  ] as const;
  it('gives the same bytes for every speakers matrix, on random lengths', () => {
    const next = random(7);
    for (const [inputs, outputs] of pairs) {
      for (let trial = 0; trial < 6; trial++) {
        const frames = [0, 1, 3, 4, 5, 127, 480, 1023][Math.floor(next() * 8)]!;
        const input = Array.from({ length: inputs }, () => noise(frames, next));
        const js = withKernels('js', () => mixChannels(input, outputs));
        const wasm = withKernels('wasm', () => mixChannels(input, outputs));
        for (let o = 0; o < outputs; o++) {
          expect(new Uint8Array(wasm[o]!.buffer), `${inputs}>${outputs}, ${frames} frames, channel ${o}`).toEqual(new Uint8Array(js[o]!.buffer));
        }
      }
    }
  });

  it('writes into given output arrays (longer than the input) only the first `frames` samples', () => {
    const next = random(11);
    const input = [noise(101, next), noise(101, next)];
    const outputs = (fill: number) => [new Float32Array(120).fill(fill)];
    const js = withKernels('js', () => mixChannels(input, 1, outputs(9)));
    const wasm = withKernels('wasm', () => mixChannels(input, 1, outputs(9)));
    expect(wasm[0]).toEqual(js[0]);
    expect(wasm[0]![110]).toBe(9);
  });
});

describe('resample_channel (WebAssembly) against Resampler (JavaScript)', () => {
  const rates = [
    [48000, 44100], [44100, 48000], [48000, 16000], [8000, 48000], [22050, 11025], [32000, 48000], [96000, 44100], [16000, 22050],
  ] as const;

  /** Feeds the same random chunks through a resampler of each kind; the outputs, chunk by chunk, then flushed. */
  function run(choice: 'wasm' | 'js', inRate: number, outRate: number, chunks: Float32Array[][]): Float32Array[][] {
    return withKernels(choice, () => {
      const resampler = new Resampler(inRate, outRate, chunks[0]!.length);
      const out = chunks.map((chunk) => resampler.process(chunk));
      out.push(resampler.flush());
      return out;
    });
  }

  it('gives every sample within one unit in the last place, on random chunkings and channel counts', () => {
    const next = random(3);
    let samples = 0;
    let differing = 0;
    for (const [inRate, outRate] of rates) {
      const channels = 1 + Math.floor(next() * 6);
      const chunks = Array.from({ length: 2 + Math.floor(next() * 5) }, () => {
        const frames = Math.floor(next() * 1500);
        return Array.from({ length: channels }, () => noise(frames, next));
      });
      const js = run('js', inRate, outRate, chunks);
      const wasm = run('wasm', inRate, outRate, chunks);
      for (let k = 0; k < js.length; k++) {
        for (let c = 0; c < channels; c++) {
          const a = wasm[k]![c]!;
          const b = js[k]![c]!;
          expect(a.length, `${inRate} → ${outRate}, chunk ${k}`).toBe(b.length);
          let worst = 0;
          for (let i = 0; i < a.length; i++) {
            const d = ulps(a[i]!, b[i]!);
            if (d > 0) differing++;
            worst = Math.max(worst, d);
          }
          samples += a.length;
          expect(worst, `${inRate} → ${outRate}, chunk ${k}, channel ${c}`).toBeLessThanOrEqual(1);
        }
      }
    }
    expect(samples).toBeGreaterThan(10000);
    // Rounding differences are rare: most samples are the very same float.
    expect(differing / samples).toBeLessThan(0.05);
  });

  it('leaves rates without an exact ratio to the JavaScript loop (identical output)', () => {
    const next = random(5);
    const chunks = [[noise(700, next)], [noise(333, next)]];
    const js = run('js', 44100.5, 48000, chunks);
    const wasm = run('wasm', 44100.5, 48000, chunks);
    expect(wasm).toEqual(js);
  });
});
