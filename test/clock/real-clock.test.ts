import { afterEach, describe, expect, it, vi } from 'vitest';
import { RealClock } from '../../src/media/clock/index.js';
import { clockPassed, until } from '../helpers/wait.js';

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Block the event loop, as a long synchronous job would.
  }
}

describe('RealClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('now() is performance.now() in microseconds', () => {
    const clock = new RealClock();
    const before = performance.now() * 1000;
    const now = clock.now();
    const after = performance.now() * 1000;
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(after);
  });

  it('ticks at roughly the requested rate, never before the due time', async () => {
    const clock = new RealClock();
    const ticks: { t: number; i: number; ranAt: number }[] = [];
    const started = clock.now();
    const handle = clock.every(20_000, (t, i) => ticks.push({ t, i, ranAt: clock.now() }));
    await until(() => ticks.length >= 5, 'five ticks');
    handle.cancel();
    const elapsed = clock.now() - started;
    const count = ticks.length;
    expect(count).toBeGreaterThanOrEqual(5);
    expect(count).toBeLessThanOrEqual(Math.floor(elapsed / 20_000)); // never ahead of time
    for (const { t, ranAt } of ticks) expect(ranAt).toBeGreaterThanOrEqual(t);
    for (let k = 1; k < ticks.length; k++) expect(ticks[k]!.i).toBeGreaterThan(ticks[k - 1]!.i);
    expect(handle.delivered + handle.skipped).toBe(handle.nextIndex);
    // Cancelled: no more ticks, though three intervals have passed by the same clock.
    await clockPassed(clock, 3 * 20_000);
    expect(ticks).toHaveLength(count);
  });

  it('fires a timer at or after its time, and not at all when cancelled', async () => {
    const clock = new RealClock();
    const at = clock.now() + 30_000;
    let cancelledRan = false;
    const ran = new Promise<number>((resolve) => clock.setTimer(at, () => resolve(clock.now())));
    clock.setTimer(at, () => (cancelledRan = true)).cancel();
    expect(await ran).toBeGreaterThanOrEqual(at);
    // The cancelled timer was due at the same time; a timer of the same clock due later runs after
    // it would have.
    await new Promise((resolve) => clock.setTimer(at + 10_000, resolve));
    expect(cancelledRan).toBe(false);
  });

  it('drops the ticks for time the process was blocked, as a camera does', async () => {
    const clock = new RealClock();
    const indices: number[] = [];
    const handle = clock.every(10_000, (_t, i) => indices.push(i), { firstAt: clock.now() });
    await until(() => indices.length >= 2, 'two ticks before the block');
    const before = indices.length;
    busyWait(150);
    await until(() => indices.length > before, 'a tick after the block');
    handle.cancel();
    expect(handle.skipped).toBeGreaterThanOrEqual(5);
    // After the block, the next delivered index jumps over the frames that were never made.
    const gaps = indices.slice(1).map((i, k) => i - indices[k]!);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(6);
    expect(indices.length).toBeGreaterThan(before);
  });

  it('with maxLate, delivers up to that many overdue ticks late, in order', async () => {
    const clock = new RealClock();
    const indices: number[] = [];
    const handle = clock.every(10_000, (_t, i) => indices.push(i), { firstAt: clock.now(), maxLate: 4 });
    await until(() => indices.length >= 2, 'two ticks before the block');
    const before = indices.length;
    busyWait(150);
    // The burst comes in one go, on the first turn after the block.
    await until(() => indices.length >= before + 5, 'the burst after the block');
    handle.cancel();
    // The burst after the block holds 5 consecutive indices (4 late + the newest), after a jump
    // over the ticks older than that.
    const burst = indices.slice(before, before + 5);
    expect(burst).toEqual([0, 1, 2, 3, 4].map((k) => burst[0]! + k));
    expect(burst[0]! - indices[before - 1]!).toBeGreaterThan(1);
    expect(handle.skipped).toBeGreaterThanOrEqual(5);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
  });

  it('keeps running while a test uses fake timers', async () => {
    const clock = new RealClock();
    vi.useFakeTimers();
    let ticks = 0;
    const handle = clock.every(10_000, () => ticks++);
    await until(() => ticks >= 5, 'five ticks'); // the fake timers stay installed meanwhile
    vi.useRealTimers();
    handle.cancel();
    expect(ticks).toBeGreaterThanOrEqual(5);
  });
});
