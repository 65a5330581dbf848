import { afterEach, describe, expect, it, vi } from 'vitest';
import { RealClock } from '../../src/media/clock/index.js';

const realSetTimeout = globalThis.setTimeout;
const sleep = (ms: number) => new Promise((r) => realSetTimeout(r, ms));

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
    await sleep(500);
    handle.cancel();
    const elapsed = clock.now() - started;
    const count = ticks.length;
    expect(count).toBeGreaterThanOrEqual(5);
    expect(count).toBeLessThanOrEqual(Math.floor(elapsed / 20_000)); // never ahead of time
    for (const { t, ranAt } of ticks) expect(ranAt).toBeGreaterThanOrEqual(t);
    for (let k = 1; k < ticks.length; k++) expect(ticks[k]!.i).toBeGreaterThan(ticks[k - 1]!.i);
    expect(handle.delivered + handle.skipped).toBe(handle.nextIndex);
    await sleep(60);
    expect(ticks).toHaveLength(count); // cancelled: no more ticks
  });

  it('fires a timer at or after its time, and not at all when cancelled', async () => {
    const clock = new RealClock();
    const at = clock.now() + 30_000;
    let ranAt = 0;
    let cancelledRan = false;
    clock.setTimer(at, () => (ranAt = clock.now()));
    clock.setTimer(at, () => (cancelledRan = true)).cancel();
    await sleep(120);
    expect(ranAt).toBeGreaterThanOrEqual(at);
    expect(cancelledRan).toBe(false);
  });

  it('drops the ticks for time the process was blocked, as a camera does', async () => {
    const clock = new RealClock();
    const indices: number[] = [];
    const handle = clock.every(10_000, (_t, i) => indices.push(i), { firstAt: clock.now() });
    await sleep(35);
    const before = indices.length;
    busyWait(150);
    await sleep(25);
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
    await sleep(35);
    busyWait(150);
    await sleep(5);
    handle.cancel();
    // The burst after the block holds 5 consecutive indices (4 late + the newest).
    const runs: number[] = [];
    let run = 1;
    for (let k = 1; k < indices.length; k++) {
      if (indices[k] === indices[k - 1]! + 1) run++;
      else (runs.push(run), (run = 1));
    }
    runs.push(run);
    expect(handle.skipped).toBeGreaterThanOrEqual(5);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs[1]).toBeGreaterThanOrEqual(5);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
  });

  it('keeps running while a test uses fake timers', async () => {
    const clock = new RealClock();
    vi.useFakeTimers();
    let ticks = 0;
    const handle = clock.every(10_000, () => ticks++);
    await sleep(200); // the fake timers stay installed meanwhile
    vi.useRealTimers();
    handle.cancel();
    expect(ticks).toBeGreaterThanOrEqual(5);
  });
});
