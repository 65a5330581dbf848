/**
 * A PulseAudio watcher whose server does not answer (pactl installed, PULSE_SERVER naming a socket
 * nobody listens on): it retries with exponential backoff, capped, and never tells its listeners
 * about its own failed attempts, so nobody re-lists the devices because of them. The retries run
 * on a VirtualClock; each attempt's exit is awaited, so nothing depends on how fast pactl fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Backoff } from '../../src/backends/common/backoff.js';
import { onPath, onProcessStart, type OwnedProcess } from '../../src/backends/common/process.js';
import { PulseProvider } from '../../src/backends/pulse/index.js';
import { VirtualClock } from '../../src/media/clock/index.js';

const dir = mkdtempSync(join(tmpdir(), 'mediacapture-nopulse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** A server address in a private directory, where no server runs. */
const nowhere = (): NodeJS.ProcessEnv => ({ ...process.env, PULSE_SERVER: `unix:${join(dir, 'native')}` });

describe('Backoff', () => {
  it('doubles the wait after each failure up to the cap, and starts over after a success', () => {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 30_000 });
    expect(Array.from({ length: 8 }, () => backoff.fail())).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    backoff.succeed();
    expect(backoff.fail()).toBe(1000);
  });
});

describe.skipIf(!onPath('pactl'))('the PulseAudio watcher without a server', () => {
  it('retries after 1 s, 2 s, 4 s … 30 s, and never calls its listeners', async () => {
    const clock = new VirtualClock();
    const pactls: OwnedProcess[] = [];
    const stopCounting = onProcessStart((proc) => {
      if (proc.program === 'pactl') pactls.push(proc);
    });
    const provider = new PulseProvider({ env: nowhere, watcher: { clock }, debounceMs: 0 });
    let calls = 0;
    const unwatch = provider.watch(() => calls++);
    try {
      const startedAt: number[] = [];
      // Ten minutes on the virtual clock: each attempt is awaited to its exit, then the clock
      // jumps to the retry.
      for (;;) {
        expect(pactls).toHaveLength(startedAt.length + 1);
        startedAt.push(clock.now() / 1000);
        const exit = await pactls.at(-1)!.exited;
        expect(exit.code).not.toBe(0);
        const due = clock.nextDueTime();
        expect(due, 'a retry is scheduled').toBeDefined();
        if (due! / 1000 > 600_000) break;
        clock.advanceTo(due!);
      }
      expect(startedAt.slice(0, 9)).toEqual([0, 1000, 3000, 7000, 15_000, 31_000, 61_000, 91_000, 121_000]);
      // Before: a restart every second, each followed by a re-list (three more pactl): 46 in 10 s.
      expect(startedAt.filter((t) => t < 10_000)).toHaveLength(4);
      // Then every 30 s: 31 s, 61 s, … 571 s.
      expect(startedAt).toHaveLength(5 + 19);
      expect(startedAt.at(-1)).toBe(571_000);
      expect(pactls.every((p) => p.args[0] === 'subscribe')).toBe(true);
      expect(calls).toBe(0);
      expect(provider.watcherFailures).toBe(startedAt.length);
    } finally {
      unwatch();
      stopCounting();
      provider.close();
    }
    // The last listener left: no retry is pending, nothing runs.
    expect(clock.pending).toBe(0);
    expect(pactls.filter((p) => p.running)).toEqual([]);
  });
});
