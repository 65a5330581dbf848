/**
 * A camera and a microphone unplugged while they are recorded (the built-in devices' `unplug`,
 * on the real clock, as a real device would go): each track ends once, in a task queued after
 * the unplugging (not during it), the recorder delivers its data and stops (all its tracks ended:
 * no error, MediaStream Recording §2.3 start() step 15.8), the recording plays, and the
 * recorder's encoder is not left running. A file camera does not end that way: removing its
 * file leaves it playing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaRecorder, installGlobals, type MediaCaptureHandle } from '../../src/index.js';
import { testSaltPath, tasks } from '../core/harness.js';
import { allReaped, mediaFor, playable, processesStarted, sequence, watchEnded, watchRecorder } from './helpers.js';

const handles: MediaCaptureHandle[] = [];
afterEach(() => {
  for (const h of handles.splice(0)) h.uninstall();
});

describe('a device is unplugged', () => {
  it('ends each track once, in a later task; the recorder gives its data, then stop; the file plays; no process is left', async () => {
    const started = processesStarted();
    const handle = installGlobals({}, { saltPath: testSaltPath, backends: 'builtin' });
    handles.push(handle);
    const stream = await handle.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
    const tracks = [...stream.getTracks(), stream.getVideoTracks()[0]!.clone()];
    const ended = tracks.map(watchEnded);
    const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp8,opus' });
    const log = watchRecorder(recorder);
    recorder.start(500);
    await mediaFor(stream.getVideoTracks()[0]!, 1000);

    handle.devices.unplug('builtin-camera');
    handle.devices.unplug('builtin-microphone');
    // Not during the unplugging: the `ended` events are queued.
    expect(ended.map((e) => e.count)).toEqual([0, 0, 0]);
    expect(tracks.map((t) => t.readyState)).toEqual(['live', 'live', 'live']);
    await Promise.all(ended.map((e) => e.first));
    await log.stopped;
    await tasks();
    expect(ended.map((e) => e.count)).toEqual([1, 1, 1]);
    expect(ended.map((e) => e.states)).toEqual([['ended'], ['ended'], ['ended']]);
    expect(sequence(log.events)).toEqual(['start', 'dataavailable', 'stop']);
    expect(log.errors).toEqual([]);

    const file = await playable(log.blobs, 'webm');
    expect(file.info.streams.map((s) => s.codec_name).sort()).toEqual(['opus', 'vp8']);
    expect(file.durationMs).toBeGreaterThanOrEqual(500);
    expect(file.errors).toBe('');

    handle.uninstall();
    started.stop();
    expect(started.list.map((p) => p.program)).toContain('ffmpeg');
    await allReaped(started.list);
  });
});

describe('a file camera whose file is removed', () => {
  it('keeps playing: ffmpeg reads the file it has open, looping, so the track does not end (a quirk of Linux files)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mediacapture-filecam-'));
    try {
      const path = join(dir, 'clip.y4m');
      execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=d=0.5:r=30:s=160x120', '-pix_fmt', 'yuv420p', '-y', path]);
      const handle = installGlobals({}, { saltPath: testSaltPath, backends: `file:${path}` });
      handles.push(handle);
      const [track] = (await handle.mediaDevices.getUserMedia({ video: true })).getVideoTracks();
      const ended = watchEnded(track!);
      await mediaFor(track!, 200);
      rmSync(path);
      // A second more of frames, a loop of the removed file and then some.
      await mediaFor(track!, 1000);
      expect(track!.readyState).toBe('live');
      expect(ended.count).toBe(0);
      track!.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
