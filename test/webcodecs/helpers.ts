/** Small helpers shared by the WebCodecs tests. */
import { expect } from 'vitest';

/** Bytes 0, 1, 2, … (mod 251, so planes of different sizes do not line up by accident). */
export function pattern(length: number, seed = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i + seed) % 251;
  return out;
}

/** Expects `fn` to throw a DOMException (or error) with this name. */
export function expectThrowsName(fn: () => unknown, name: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected ${name} to be thrown`).toBeDefined();
  expect((thrown as Error).name).toBe(name);
}

/** Expects the promise to reject with an error of this name. */
export async function expectRejectsName(promise: Promise<unknown>, name: string): Promise<void> {
  let thrown: unknown;
  try {
    await promise;
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected a rejection with ${name}`).toBeDefined();
  expect((thrown as Error).name).toBe(name);
}

/** I420 bytes (tightly packed) with every Y sample `y`, U `u`, V `v`. */
export function solidI420(width: number, height: number, y: number, u: number, v: number): Uint8Array {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  const out = new Uint8Array(width * height + 2 * cw * ch);
  out.fill(y, 0, width * height);
  out.fill(u, width * height, width * height + cw * ch);
  out.fill(v, width * height + cw * ch);
  return out;
}

/** Expects every value of `actual` within `tolerance` of `expected`. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  const worst = Array.from(actual).reduce((m, a, i) => Math.max(m, Math.abs(a - expected[i]!)), 0);
  expect(worst, `max difference ${worst} > ${tolerance}: got [${Array.from(actual).slice(0, 16).join(',')}…], expected [${Array.from(expected).slice(0, 16).join(',')}…]`).toBeLessThanOrEqual(tolerance);
}
