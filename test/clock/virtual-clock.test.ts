import { describe, expect, it, vi } from 'vitest';
import { VirtualClock, tickDueTime } from '../../src/media/clock/index.js';
import { queueTask } from '../../src/platform/tasks.js';

const FRAME_30 = 1e6 / 30;

describe('VirtualClock', () => {
  it('delivers exactly 300 frames at 30 fps and 480000 samples at 48 kHz in 10 s', () => {
    const clock = new VirtualClock();
    const frames: number[] = [];
    let samples = 0;
    clock.every(FRAME_30, (t) => frames.push(t));
    clock.every(10_000, () => (samples += 480));
    clock.advance(10_000);
    expect(frames).toHaveLength(300);
    expect(samples).toBe(480_000);
    expect(frames[0]).toBe(tickDueTime(0, FRAME_30, 1));
    expect(frames[299]).toBe(10_000_000);
    expect(clock.now()).toBe(10_000_000);
  });

  it('runs each due tick exactly once however time is split', () => {
    const whole = new VirtualClock();
    const split = new VirtualClock();
    const a: [number, number][] = [];
    const b: [number, number][] = [];
    whole.every(FRAME_30, (t, i) => a.push([t, i]));
    split.every(FRAME_30, (t, i) => b.push([t, i]));
    whole.advance(2000);
    for (let i = 0; i < 2000; i++) split.advanceMicros(1000);
    expect(b).toEqual(a);
    expect(a.map(([, i]) => i)).toEqual([...Array(60).keys()]);
  });

  it('interleaves several schedules and timers by due time, ties in creation order', () => {
    const clock = new VirtualClock();
    const log: [number, string][] = [];
    clock.every(FRAME_30, (t) => log.push([t, 'video']));
    clock.every(10_000, (t) => log.push([t, 'audio']));
    clock.setTimer(100_000, (t) => log.push([t, 'timer']));
    clock.every(100_000, (t) => log.push([t, 'slow']));
    clock.advance(1000);
    const times = log.map(([t]) => t);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    // At 100 ms all four are due; video (made first) then audio, timer, slow.
    expect(log.filter(([t]) => t === 100_000).map(([, n]) => n)).toEqual(['video', 'audio', 'timer', 'slow']);
    expect(log.filter(([, n]) => n === 'video')).toHaveLength(30);
    expect(log.filter(([, n]) => n === 'audio')).toHaveLength(100);
    expect(log.filter(([, n]) => n === 'timer')).toHaveLength(1);
    expect(log.filter(([, n]) => n === 'slow')).toHaveLength(10);
  });

  it('reports the due time as now() inside callbacks', () => {
    const clock = new VirtualClock(5_000);
    const seen: [number, number][] = [];
    clock.every(1_000, (t) => seen.push([t, clock.now()]));
    clock.setTimer(7_500, (t) => seen.push([t, clock.now()]));
    clock.advance(3);
    expect(seen).toEqual([
      [6_000, 6_000],
      [7_000, 7_000],
      [7_500, 7_500],
      [8_000, 8_000],
    ]);
  });

  it('firstAt: now() ticks at once; a later firstAt delays the first tick', () => {
    const clock = new VirtualClock();
    const now: number[] = [];
    const later: number[] = [];
    clock.every(1_000, (t) => now.push(t), { firstAt: clock.now() });
    clock.every(1_000, (t) => later.push(t), { firstAt: 2_500 });
    clock.advanceTo(4_000);
    expect(now).toEqual([0, 1_000, 2_000, 3_000, 4_000]);
    expect(later).toEqual([2_500, 3_500]);
  });

  it('runs the overdue ticks of a schedule that started in the past, without moving time back', () => {
    const clock = new VirtualClock(10_000);
    const seen: [number, number][] = [];
    clock.every(3_000, (t) => seen.push([t, clock.now()]), { firstAt: 1_000 });
    clock.advance(3);
    expect(seen).toEqual([
      [1_000, 10_000],
      [4_000, 10_000],
      [7_000, 10_000],
      [10_000, 10_000],
      [13_000, 13_000],
    ]);
  });

  it('cancels schedules from outside and from their own callback, and timers', () => {
    const clock = new VirtualClock();
    let a = 0;
    let b = 0;
    let fired = false;
    const ha = clock.every(1_000, () => a++);
    const hb = clock.every(1_000, (_t, i) => {
      b++;
      if (i === 2) hb.cancel();
    });
    const timer = clock.setTimer(500, () => (fired = true));
    timer.cancel();
    clock.advance(5);
    ha.cancel();
    clock.advance(5);
    expect([a, b, fired]).toEqual([5, 3, false]);
    expect([ha.cancelled, hb.cancelled, timer.cancelled]).toEqual([true, true, true]);
    expect(ha.delivered).toBe(5);
    expect(clock.pending).toBe(0);
    expect(clock.nextDueTime()).toBeUndefined();
  });

  it('runs timers set by callbacks within the same advance, and past times at once', () => {
    const clock = new VirtualClock();
    const log: number[] = [];
    clock.setTimer(1_000, () => {
      log.push(clock.now());
      clock.setTimer(0, (t) => log.push(t)); // in the past: runs now, after this callback
      clock.setTimer(3_000, (t) => log.push(t));
    });
    clock.advance(5);
    expect(log).toEqual([1_000, 1_000, 3_000]);
  });

  it('does not drift over a million ticks', () => {
    const clock = new VirtualClock();
    let count = 0;
    let worst = 0;
    clock.every(FRAME_30, (t, i) => {
      if (i !== count) throw new Error(`tick ${i} out of order`);
      // Exact due time of tick i is (i + 1) × 1e6 / 30; allow the nanosecond rounding.
      worst = Math.max(worst, Math.abs(t - ((i + 1) * 1e6) / 30));
      count++;
    });
    clock.advanceTo(1e12 / 30); // one million frame intervals: 9.26 hours
    expect(count).toBe(1_000_000);
    expect(worst).toBeLessThan(0.001);
  });

  it('refuses to go back in time or to advance from a callback', () => {
    const clock = new VirtualClock(1_000);
    expect(() => clock.advanceTo(999)).toThrow(RangeError);
    let inner: unknown;
    clock.setTimer(2_000, () => {
      try {
        clock.advance(1);
      } catch (e) {
        inner = e;
      }
    });
    clock.advance(5);
    expect(inner).toBeInstanceOf(Error);
    expect(() => clock.every(0, () => {})).toThrow(RangeError);
  });

  it('stops at a throwing callback and resumes on the next advance', () => {
    const clock = new VirtualClock();
    const ticks: number[] = [];
    clock.every(1_000, (_t, i) => {
      ticks.push(i);
      if (i === 2) throw new Error('boom');
    });
    expect(() => clock.advance(10)).toThrow('boom');
    expect(clock.now()).toBe(3_000);
    clock.advance(2);
    expect(ticks).toEqual([0, 1, 2, 3, 4]);
  });

  it('runNext moves time to the next callback', () => {
    const clock = new VirtualClock();
    const log: number[] = [];
    clock.setTimer(700, (t) => log.push(t));
    clock.every(500, (t) => log.push(t));
    expect(clock.runNext()).toBe(true);
    expect(clock.runNext()).toBe(true);
    expect(clock.now()).toBe(700);
    expect(log).toEqual([500, 700]);
  });

  it('advanceAsync lets promise reactions and queued tasks run between ticks', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    clock.every(1_000, (_t, i) => {
      log.push(`tick ${i}`);
      void Promise.resolve().then(() => log.push(`reaction ${i}`));
      queueTask(() => log.push(`task ${i}`));
    });
    await clock.advanceAsync(3);
    expect(log).toEqual(['tick 0', 'reaction 0', 'task 0', 'tick 1', 'reaction 1', 'task 1', 'tick 2', 'reaction 2', 'task 2']);
    expect(clock.now()).toBe(3_000);
  });

  it('advanceAsync with yieldEvery batches ticks, and refuses a second advance meanwhile', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    clock.every(1_000, (_t, i) => {
      log.push(`tick ${i}`);
      queueTask(() => log.push(`task ${i}`));
    });
    const p = clock.advanceAsync(4, { yieldEvery: 2 });
    expect(() => clock.advance(1)).toThrow();
    await p;
    expect(log).toEqual(['tick 0', 'tick 1', 'task 0', 'task 1', 'tick 2', 'tick 3', 'task 2', 'task 3']);
  });

  it('advanceAsync runs 10 s of 30 fps video and 48 kHz audio, every tick once (its speed: bench/kernels.mjs)', async () => {
    const clock = new VirtualClock();
    let frames = 0;
    let samples = 0;
    clock.every(FRAME_30, () => frames++);
    clock.every(10_000, () => (samples += 480));
    await clock.advanceAsync(10_000);
    expect([frames, samples]).toEqual([300, 480_000]);
  });

  it('advanceAsync works while a test uses fake timers', async () => {
    vi.useFakeTimers();
    try {
      const clock = new VirtualClock();
      const log: string[] = [];
      clock.every(1_000, (_t, i) => queueTask(() => log.push(`task ${i}`)));
      await clock.advanceAsync(2);
      expect(log).toEqual(['task 0', 'task 1']);
    } finally {
      vi.useRealTimers();
    }
  });
});
