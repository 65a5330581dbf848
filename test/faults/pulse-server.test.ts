/**
 * The PulseAudio server dies (SIGKILL) while a microphone of it is recorded: parec loses its
 * connection, the source ends, each track ends once through a queued task, the recorder delivers
 * its data and stops (all its tracks ended: no error, MediaStream Recording §2.3 start() step
 * 15.8), the recording plays, and nothing is left running. Then the watcher: it tells its
 * listeners once that the server went away, retries with backoff without telling them about the
 * failed attempts, and once more when the server is back. A private server (private-pulse.ts),
 * never the shared one.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PulseProvider } from '../../src/backends/pulse/index.js';
import { MediaRecorder, installGlobals, type MediaCaptureHandle } from '../../src/index.js';
import { VirtualClock } from '../../src/media/clock/index.js';
import { testSaltPath, tasks } from '../core/harness.js';
import { inCi } from '../setup/services.js';
import { allReaped, mediaFor, playable, processesStarted, sequence, watchEnded, watchRecorder } from './helpers.js';
import { canRunPulse, startPrivatePulse, type PrivatePulse } from './private-pulse.js';

const servers: PrivatePulse[] = [];
const handles: MediaCaptureHandle[] = [];
afterEach(() => {
  for (const h of handles.splice(0)) h.uninstall();
});
afterAll(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe.skipIf(!canRunPulse() && !inCi())('the PulseAudio server is killed', () => {
  it('ends each track once, in a task; the recorder gives its data, then stop; the file plays; no process is left', async () => {
    const pulse = await startPrivatePulse();
    servers.push(pulse);
    const started = processesStarted();
    const provider = new PulseProvider({ env: () => pulse.env });
    const handle = installGlobals({}, { saltPath: testSaltPath, backends: 'builtin', noBuiltinDevices: true, providers: [provider] });
    handles.push(handle);
    const stream = await handle.mediaDevices.getUserMedia({ audio: true });
    const [track] = stream.getAudioTracks();
    const clone = track!.clone();
    const ended = [watchEnded(track!), watchEnded(clone)];
    const recorder = new MediaRecorder(stream, { mimeType: 'audio/webm;codecs=opus' });
    const log = watchRecorder(recorder);
    recorder.start(500);
    await mediaFor(track!, 1000);

    await pulse.kill();
    await Promise.all(ended.map((e) => e.first));
    await log.stopped;
    await tasks();
    // One `ended` per track, fired with the track already ended (the task's steps 2 and 4).
    expect(ended.map((e) => e.count)).toEqual([1, 1]);
    expect(ended.map((e) => e.states)).toEqual([['ended'], ['ended']]);
    expect(sequence(log.events)).toEqual(['start', 'dataavailable', 'stop']);
    expect(log.errors).toEqual([]);

    const file = await playable(log.blobs, 'webm');
    expect(file.info.streams.map((s) => s.codec_name)).toEqual(['opus']);
    expect(file.durationMs).toBeGreaterThanOrEqual(500);
    expect(file.errors).toBe('');

    handle.uninstall();
    started.stop();
    expect(started.list.map((p) => p.program)).toContain('parec');
    await allReaped(started.list);
  });

  it('the watcher tells its listeners once when the server goes, retries with backoff silently, and once more when it is back', async () => {
    let pulse = await startPrivatePulse();
    servers.push(pulse);
    const clock = new VirtualClock();
    const started = processesStarted();
    const provider = new PulseProvider({ env: () => pulse.env, watcher: { clock, settleMs: 500 }, debounceMs: 0 });
    let calls = 0;
    const changed: (() => void)[] = [];
    const unwatch = provider.watch(() => {
      calls++;
      for (const c of changed.splice(0)) c();
    });
    const nextChange = () => new Promise<void>((r) => changed.push(r));
    await provider.watching();
    expect(calls).toBe(0);
    const watcher = started.list.find((p) => p.args[0] === 'subscribe')!;

    // The server goes: one change.
    const gone = nextChange();
    await pulse.kill();
    await watcher.exited;
    await gone;
    expect(calls).toBe(1);

    // Four failed attempts, 1 s, 2 s, 4 s and 8 s apart on the virtual clock: no change.
    const attempts = () => started.list.filter((p) => p.args[0] === 'subscribe');
    for (const wait of [1000, 2000, 4000, 8000]) {
      expect(clock.nextDueTime()).toBe(clock.now() + wait * 1000);
      clock.advance(wait);
      await attempts().at(-1)!.exited;
    }
    expect(attempts()).toHaveLength(5);
    // The lost subscription and the four attempts after it.
    expect(provider.watcherFailures).toBe(5);
    expect(calls).toBe(1);

    // Back (on the same socket): the next attempt connects, and listeners hear of it once.
    pulse = await pulse.restart();
    servers.push(pulse);
    const back = nextChange();
    clock.advance(16_000);
    expect(attempts()).toHaveLength(6);
    clock.advance(500);
    await back;
    expect(calls).toBe(2);
    expect(provider.watcherFailures).toBe(0);
    expect(attempts().at(-1)!.running).toBe(true);
    // Nobody re-listed the devices because of the watcher's failures (a listing is `pactl list`).
    expect(started.list.filter((p) => p.program === 'pactl' && p.args[0] === 'list')).toEqual([]);

    unwatch();
    provider.close();
    started.stop();
    // Every pactl is gone (the server itself is the test's, closed at the end).
    await allReaped(started.list.filter((p) => p.program !== 'pulseaudio'));
  });
});
