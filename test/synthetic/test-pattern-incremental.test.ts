import { describe, expect, it } from 'vitest';
import { TestPattern } from '../../src/media/synthetic/test-pattern.js';
import { ReferenceTestPattern } from './test-pattern-reference.js';
import { prng } from './helpers.js';

/**
 * The test pattern redraws only what changed since the frame a buffer holds (the bar, the
 * caption's characters, the code's blocks). Whatever the buffer held and however buffers are
 * reused, each frame must be byte for byte the frame the previous renderer drew from scratch.
 */

const SIZES = [[16, 16], [17, 23], [48, 40], [160, 120], [176, 144], [321, 241], [640, 480], [1280, 720], [1281, 719]] as const;

/** Frame numbers and timestamps: runs of consecutive frames across digit, second, hour and caption-width boundaries, and jumps. */
function frames(count: number, seed: number): [number, number][] {
  const rand = prng(seed);
  const out: [number, number][] = [];
  const run = (first: number, length: number, ts: (n: number) => number) => {
    for (let n = first; n < first + length && out.length < count; n++) out.push([n, ts(n)]);
  };
  const at30 = (n: number) => n * (1e6 / 30);
  run(0, 40, at30);
  run(95, 10, at30);
  run(9_999_995, 10, at30); // "FRAME 9999999" fills the line; 10^7 makes it "F10000000"
  run(1_048_570, 10, at30); // the code wraps at 2^20
  run(107_990, 20, at30); // 00:59:59.666 → 01:00:00.xxx
  run(10_799_990, 20, at30); // 99:59:59.xxx → 100:00:00.xxx (longer than the line)
  run(500, 5, (n) => -n * 1000); // negative timestamps
  run(600, 5, (n) => n * 33_333.5); // fractional microseconds
  run(700, 3, () => Number.NaN);
  while (out.length < count) {
    if (rand() < 0.5) run(Math.floor(rand() * 2 ** 24), 1 + Math.floor(rand() * 8), (n) => (rand() < 0.9 ? at30(n) : rand() * 1e12));
    else run(Math.floor(rand() * 1e5), 30, at30);
  }
  return out;
}

/** Buffer reuse patterns: which of `pool` buffers each frame is drawn into. */
const REUSE: Record<string, (i: number, rand: () => number) => number> = {
  'one buffer': () => 0,
  'three in turn': (i) => i % 3,
  'two, then a third now and then': (i) => (i % 7 === 6 ? 2 : i % 2),
  'any of four': (_, rand) => Math.floor(rand() * 4),
};

describe('TestPattern draws only what changed, with the same bytes', () => {
  for (const [w, h] of SIZES) {
    it(`${w}x${h}: every reuse pattern gives the from-scratch frames`, () => {
      const reference = new ReferenceTestPattern(w, h);
      const list = frames(w * h > 500_000 ? 160 : 400, w + h);
      for (const [name, pick] of Object.entries(REUSE)) {
        const pattern = new TestPattern(w, h);
        const rand = prng(w * h);
        // Buffers start with junk, and one a byte longer than a frame, which must stay untouched.
        const pool = Array.from({ length: 4 }, (_, i) => new Uint8Array(pattern.layout.byteLength + 1).fill(i * 61));
        for (let i = 0; i < list.length; i++) {
          const [n, ts] = list[i]!;
          const buf = pool[pick(i, rand)]!;
          pattern.render(n, ts, buf);
          const expected = reference.render(n, ts);
          const frame = buf.subarray(0, pattern.layout.byteLength);
          if (Buffer.compare(frame, expected) !== 0) {
            const at = frame.findIndex((b, k) => b !== expected[k]);
            expect.fail(`${name}: frame ${n} (ts ${ts}, #${i}) differs at byte ${at} (row ${Math.floor(at / w)}, column ${at % w})`);
          }
          expect(buf[pattern.layout.byteLength]).toBe(pool.indexOf(buf) * 61);
        }
        // A new buffer (drawn whole) gives the same frame as a reused one.
        const [n, ts] = list[list.length - 1]!;
        expect(Buffer.compare(pattern.render(n, ts), reference.render(n, ts))).toBe(0);
      }
    });
  }

  it('throws for bad frame numbers before touching the buffer', () => {
    const pattern = new TestPattern(64, 48);
    const buf = new Uint8Array(pattern.layout.byteLength).fill(7);
    expect(() => pattern.render(-1, 0, buf)).toThrow(RangeError);
    expect(() => pattern.render(1.5, 0, buf)).toThrow(RangeError);
    expect(buf.every((b) => b === 7)).toBe(true);
  });
});
