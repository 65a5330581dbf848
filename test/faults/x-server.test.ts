/**
 * The X server dies (SIGKILL) while its screen is recorded: x11grab loses the display, the
 * source ends, each track ends once through a queued task, the recorder delivers its data and
 * stops (all its tracks ended: no error, MediaStream Recording §2.3 start() step 15.8), the
 * recording plays, and nothing is left running. A private Xvfb on a display of its own
 * (test/x11/xvfb.ts), never the shared one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { onPath } from '../../src/backends/common/process.js';
import { X11DisplayProvider } from '../../src/backends/x11/index.js';
import { MediaRecorder, installGlobals, type MediaCaptureHandle } from '../../src/index.js';
import { testSaltPath, tasks } from '../core/harness.js';
import { inCi } from '../setup/services.js';
import { startXvfb } from '../x11/xvfb.js';
import { allReaped, mediaFor, playable, processesStarted, sequence, watchEnded, watchRecorder } from './helpers.js';

const handles: MediaCaptureHandle[] = [];
afterEach(() => {
  for (const h of handles.splice(0)) h.uninstall();
});

describe.skipIf(!onPath('Xvfb') && !inCi())('the X server is killed', () => {
  it('ends each track once, in a task; the recorder gives its data, then stop; the file plays; no process is left', async () => {
    const xvfb = await startXvfb({ size: '320x240x24' });
    try {
      const started = processesStarted();
      const provider = new X11DisplayProvider({ display: xvfb.display, env: () => xvfb.env });
      const handle = installGlobals({}, { saltPath: testSaltPath, backends: 'builtin', noBuiltinDevices: true, displayProviders: [provider], permissions: { onPrompt: () => 'granted' } });
      handles.push(handle);
      const stream = await handle.mediaDevices.getDisplayMedia({ video: { frameRate: 15 } });
      const [track] = stream.getVideoTracks();
      const clone = track!.clone();
      const ended = [watchEnded(track!), watchEnded(clone)];
      const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp8' });
      const log = watchRecorder(recorder);
      recorder.start(500);
      await mediaFor(track!, 1000);

      xvfb.proc.killNow();
      await xvfb.proc.exited;
      await Promise.all(ended.map((e) => e.first));
      await log.stopped;
      await tasks();
      expect(ended.map((e) => e.count)).toEqual([1, 1]);
      expect(ended.map((e) => e.states)).toEqual([['ended'], ['ended']]);
      expect(sequence(log.events)).toEqual(['start', 'dataavailable', 'stop']);
      expect(log.errors).toEqual([]);

      const file = await playable(log.blobs, 'webm');
      expect(file.info.streams.map((s) => [s.codec_name, s.width, s.height])).toEqual([['vp8', 320, 240]]);
      expect(file.durationMs).toBeGreaterThanOrEqual(500);
      expect(file.errors).toBe('');

      handle.uninstall();
      started.stop();
      expect(started.list.map((p) => p.program)).toContain('ffmpeg');
      await allReaped(started.list);
    } finally {
      await xvfb.stop();
    }
  });
});
