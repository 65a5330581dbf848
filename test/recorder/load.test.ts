/**
 * The recorder under load: an encoder that falls behind or stops gets frames dropped (counted,
 * never made up for with repeats), memory stays bounded, stop() does not wait for it, a killed
 * encoder leaves a playable file, and a change of the track set inactivates the recorder at once.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { STOP_DEADLINE_MS } from '../../src/algorithms/recorder/recorder.js';
import { threadsFor } from '../../src/backends/ffmpeg/threads.js';
import { installGlobals, type MediaCaptureHandle } from '../../src/index.js';
import type { MediaStream } from '../../src/interfaces/MediaStream.js';
import { testSaltPath } from '../core/harness.js';
import {
  advance,
  cleanupTemp,
  concat,
  decodeAudio,
  drained,
  ffprobe,
  FRAME_STEP_MS,
  frameNumbers,
  MediaRecorder,
  mediaRecorderInternals,
  next,
  openStudio,
  processExists,
  tempFile,
  until,
  virtualClockRecorder,
  watch,
  type Studio,
} from './helpers.js';

afterAll(cleanupTemp);

let studio: Studio | undefined;
let handle: MediaCaptureHandle | undefined;
afterEach(() => {
  studio?.close();
  studio = undefined;
  handle?.uninstall();
  handle = undefined;
});

/** The end (s) of the last packet of each stream of a file (a streamed file has no duration in its header). */
function streamEnds(path: string): number[] {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'packet=stream_index,pts_time,duration_time', '-of', 'csv=p=0', path], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ends: number[] = [];
  for (const line of out.trim().split('\n')) {
    const [stream, pts, duration] = line.split(',').map(Number);
    ends[stream!] = Math.max(ends[stream!] ?? 0, pts! + (Number.isFinite(duration) ? duration! : 0));
  }
  return ends;
}

describe('encoder threads (threads.ts)', () => {
  it('follow the free cores: one on a busy machine, never more than the cores or 8', () => {
    expect(threadsFor(2, 3.4)).toBe(1);
    expect(threadsFor(2, 1.6)).toBe(1);
    expect(threadsFor(2, 0.3)).toBe(2);
    expect(threadsFor(4, 1.2)).toBe(3);
    expect(threadsFor(1, 0)).toBe(1);
    expect(threadsFor(64, 0)).toBe(8);
  });
});

describe('an encoder that stops (SIGSTOP) while recording', () => {
  it('gets frames dropped and counted; what waits for it stays small; no burst of repeats when it runs again', async () => {
    studio = openStudio();
    const stream = await studio.getUserMedia({ video: { width: 320, height: 240 }, audio: { channelCount: 1 } });
    const recorder = virtualClockRecorder(stream);
    const log = watch(recorder);
    recorder.start();
    await next(recorder, 'start');
    await advance(studio, recorder, 1000);
    const session = mediaRecorderInternals.session(recorder)!;
    process.kill(session.pid!, 'SIGSTOP');
    let peak = 0;
    try {
      // 30 s of media while the encoder takes nothing.
      for (let k = 1; k <= 900; k++) {
        studio.clock.advanceTo(studio.clock.now() + Math.round(FRAME_STEP_MS * 1000));
        peak = Math.max(peak, session.backlogBytes);
      }
    } finally {
      process.kill(session.pid!, 'SIGCONT');
    }
    const frameBytes = 320 * 240 * 1.5;
    // About 100 ms of frames and 500 ms of mono audio (the issue saw 1.8 GiB).
    expect(peak).toBeLessThan(5 * frameBytes + 48_000 * 4);
    expect(session.stats.videoFramesDropped).toBeGreaterThanOrEqual(890);
    expect(session.stats.videoFramesRepeated).toBe(0);
    await drained(recorder);
    await advance(studio, recorder, 1000);
    expect(session.stats.videoFramesRepeated).toBe(0);
    recorder.stop();
    await next(recorder, 'stop');
    expect(log.events).toEqual(['start', 'dataavailable', 'stop']);
    const path = tempFile(await concat(log.blobs), 'webm');
    // The frames written, each once, in order: no repeats after the encoder came back.
    const numbers = frameNumbers(path, 320, 240);
    expect(numbers.length).toBe(session.stats.videoFramesWritten);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]!, `frame ${i}`).toBeGreaterThan(numbers[i - 1]!);
    // The sound covers the whole 32 s (what was dropped is silence), in step with the picture.
    expect(Math.abs(decodeAudio(path, 48_000).length / 48_000 - 32)).toBeLessThan(0.1);
    expect(Math.abs(streamEnds(path)[0]! - 32)).toBeLessThan(0.1);
  });

  it('stop() does not wait for it: dataavailable and stop come once the deadline has ended it', async () => {
    studio = openStudio();
    const stream = await studio.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
    const recorder = new MediaRecorder(stream);
    const log = watch(recorder);
    recorder.start();
    await next(recorder, 'start');
    await advance(studio, recorder, 1000);
    const session = mediaRecorderInternals.session(recorder)!;
    await until(() => session.mediaUnits >= 2, 'two clusters from the encoder');
    const pid = session.pid!;
    process.kill(pid, 'SIGSTOP');
    const stopped = next(recorder, 'stop');
    const t0 = performance.now();
    recorder.stop();
    await stopped;
    const elapsed = performance.now() - t0;
    // The encoder never runs again: anything finite shows that stop() did not wait for it. The
    // deadline, then SIGTERM (not acted on by a stopped process) and SIGKILL 100 ms later; the
    // rest is the machine's load.
    expect(elapsed).toBeLessThan(STOP_DEADLINE_MS + 100 + 1000);
    expect(log.events).toEqual(['start', 'dataavailable', 'stop']);
    expect(processExists(pid)).toBe(false);
    // What it wrote before it stopped is a file that plays.
    const probe = ffprobe(tempFile(await concat(log.blobs), 'webm'));
    expect(Number(probe.streams.find((s) => s.codec_type === 'video')!.nb_read_frames)).toBeGreaterThan(0);
  });
});

describe('the track set changes (start() step 15.5)', () => {
  it('a track removed, then stop() in the same turn: a clean stop, no error', async () => {
    studio = openStudio();
    const stream = await studio.getUserMedia({ video: { width: 160, height: 120 }, audio: true });
    const recorder = virtualClockRecorder(stream);
    const log = watch(recorder);
    recorder.start();
    await next(recorder, 'start');
    await advance(studio, recorder, 300);
    stream.removeTrack(stream.getAudioTracks()[0]!);
    recorder.stop();
    await next(recorder, 'stop');
    expect(log.events).toEqual(['start', 'dataavailable', 'stop']);
    expect(ffprobe(tempFile(await concat(log.blobs), 'webm')).streams.map((s) => s.codec_type)).toEqual(['video', 'audio']);
  });

  it('inactivates the recorder in the task queued at once, without waiting for the encoder', async () => {
    studio = openStudio();
    const stream = await studio.getUserMedia({ video: { width: 160, height: 120 }, audio: true });
    const recorder = new MediaRecorder(stream);
    const log = watch(recorder);
    recorder.start();
    await next(recorder, 'start');
    await advance(studio, recorder, 300);
    const pid = mediaRecorderInternals.session(recorder)!.pid!;
    // An encoder that does not run: the inactivation and the error cannot be waiting for it.
    process.kill(pid, 'SIGSTOP');
    try {
      stream.addTrack(stream.getVideoTracks()[0]!.clone());
      const seen: [string, boolean][] = [];
      recorder.onerror = () => seen.push([recorder.state, processExists(pid)]);
      await next(recorder, 'error');
      expect(seen).toEqual([['inactive', true]]);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await next(recorder, 'stop');
    expect(log.events).toEqual(['start', 'error', 'dataavailable', 'stop']);
    expect((log.errors[0] as DOMException).name).toBe('InvalidModificationError');
  });
});

describe('the encoder killed in a real-time recording with timeslices', () => {
  /** Records the built-in devices on the real clock with start(500), kills the encoder after four blobs. */
  async function recordAndKill(stream: MediaStream) {
    const recorder = new MediaRecorder(stream);
    const log = watch(recorder);
    const stopped = next(recorder, 'stop');
    recorder.start(500);
    await next(recorder, 'start');
    const session = mediaRecorderInternals.session(recorder)!;
    await until(() => log.blobs.length >= 4, 'four timeslices');
    const blobsAtKill = log.blobs.slice();
    process.kill(session.pid!, 'SIGKILL');
    await stopped;
    return { log, pid: session.pid!, blobsAtKill };
  }

  // How much media the encoder had reached when it was killed depends on the CPU it got: on an
  // idle machine the blobs hold the media up to 1 s before the kill in every run of 10
  // (bench/recorder-load.mjs). What holds on any machine, checked here: what the encoder wrote
  // before the kill is all kept, in a file that plays, after one error, the data and stop.
  it('error, then the data, then stop; the blobs play and keep everything written before the kill (3 runs)', async () => {
    const global: Record<string, unknown> = {};
    handle = installGlobals(global, { saltPath: testSaltPath });
    const stream = await handle.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
    for (let run = 0; run < 3; run++) {
      const { log, pid, blobsAtKill } = await recordAndKill(stream);
      const errorAt = log.events.indexOf('error');
      expect(log.events.filter((e) => e === 'error')).toHaveLength(1);
      expect(log.events.slice(errorAt)).toEqual(['error', 'dataavailable', 'stop']);
      expect((log.errors[0] as DOMException).name).toBe('UnknownError');
      expect(processExists(pid)).toBe(false);
      const path = tempFile(await concat(log.blobs), 'webm');
      const ends = streamEnds(path);
      expect(ends).toHaveLength(2);
      const endsAtKill = streamEnds(tempFile(await concat(blobsAtKill), 'webm'));
      expect(endsAtKill).toHaveLength(2);
      for (let i = 0; i < ends.length; i++) {
        expect(ends[i], `run ${run}: media kept vs ${endsAtKill[i]} s handed out before the kill`).toBeGreaterThanOrEqual(endsAtKill[i]!);
        expect(ends[i]).toBeGreaterThan(0);
      }
    }
  });
});
