/**
 * The recording follows its stream: tracks that end stop it, a changed track set and a crashed
 * encoder raise the spec's error events, and no encoder process outlives a recording.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { registerEncoderBackend, type EncoderBackend } from '../../src/algorithms/recorder/encoder.js';
import { MediaStream } from '../../src/interfaces/MediaStream.js';
import { advance, cleanupTemp, concat, ffprobe, frameNumbers, MediaRecorder, mediaRecorderInternals, next, openStudio, processExists, tempFile, until, virtualClockRecorder, watch, type Studio } from './helpers.js';

afterAll(cleanupTemp);

let studio: Studio;
afterEach(() => studio?.close());

async function start(mimeType = 'video/webm;codecs=vp8,opus') {
  studio = openStudio();
  const stream = await studio.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
  const recorder = virtualClockRecorder(stream, { mimeType });
  const log = watch(recorder);
  recorder.start();
  await next(recorder, 'start');
  const pid = mediaRecorderInternals.session(recorder)!.pid!;
  expect(processExists(pid)).toBe(true);
  return { stream, recorder, log, pid };
}

describe('the end of the recording', () => {
  it('stop(): all data in the last dataavailable, then stop, and the encoder process is gone', async () => {
    const { recorder, log, pid } = await start();
    await advance(studio, recorder, 1000);
    recorder.stop();
    await next(recorder, 'stop');
    expect(log.events).toEqual(['start', 'dataavailable', 'stop']);
    expect(processExists(pid)).toBe(false);
    expect(frameNumbers(tempFile(await concat(log.blobs), 'webm'), 320, 240)).toHaveLength(30);
  });

  it('every track ended: the recorder stops by itself with all the data (step 15.8)', async () => {
    const { stream, recorder, log, pid } = await start();
    await advance(studio, recorder, 1000);
    const states: string[] = [];
    recorder.ondataavailable = () => states.push(recorder.state);
    for (const t of stream.getTracks()) t.stop();
    await next(recorder, 'stop');
    expect(log.events).toEqual(['start', 'dataavailable', 'stop']);
    expect(states).toEqual(['inactive']);
    expect(processExists(pid)).toBe(false);
    const path = tempFile(await concat(log.blobs), 'webm');
    expect(frameNumbers(path, 320, 240)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('the device goes away: the tracks end through their tasks and the recorder stops', async () => {
    const { recorder, log } = await start();
    await advance(studio, recorder, 500);
    for (const id of studio.handle.devices.deviceIds) studio.handle.devices.unplug(id);
    await next(recorder, 'stop');
    expect(log.events).toEqual(['start', 'dataavailable', 'stop']);
    expect(log.blobs[0]!.size).toBeGreaterThan(0);
  });

  it('one track ending does not stop the recording', async () => {
    const { stream, recorder, log } = await start();
    await advance(studio, recorder, 500);
    stream.getAudioTracks()[0]!.stop();
    await advance(studio, recorder, 500);
    expect(recorder.state).toBe('recording');
    recorder.stop();
    await next(recorder, 'stop');
    const probe = ffprobe(tempFile(await concat(log.blobs), 'webm'));
    expect(Number(probe.streams.find((s) => s.codec_type === 'video')!.nb_read_frames)).toBe(30);
  });
});

describe('errors', () => {
  it('the encoder crashes: error (UnknownError), the data so far, stop; no process left, no hang', async () => {
    const { recorder, log, pid } = await start();
    await advance(studio, recorder, 1000);
    // Once the encoder has written out three clusters (750 ms of the second it has), kill it.
    const session = mediaRecorderInternals.session(recorder)!;
    await until(() => session.mediaUnits >= 3, 'three clusters from the encoder');
    process.kill(pid, 'SIGKILL');
    await next(recorder, 'stop');
    expect(log.events).toEqual(['start', 'error', 'dataavailable', 'stop']);
    expect((log.errors[0] as DOMException).name).toBe('UnknownError');
    expect((log.errors[0] as DOMException).message).toMatch(/SIGKILL/);
    expect(log.blobs[0]!.size).toBeGreaterThan(0);
    expect(recorder.state).toBe('inactive');
    expect(processExists(pid)).toBe(false);
    // The data up to the crash is still a readable file.
    const probe = ffprobe(tempFile(await concat(log.blobs), 'webm'));
    expect(Number(probe.streams.find((s) => s.codec_type === 'video')!.nb_read_frames)).toBeGreaterThan(10);
  });

  it('a track added to the stream: InvalidModificationError, the data, stop (step 15.5)', async () => {
    const { stream, recorder, log, pid } = await start();
    await advance(studio, recorder, 500);
    stream.addTrack(stream.getVideoTracks()[0]!.clone());
    studio.clock.advance(40);
    await next(recorder, 'stop');
    expect(log.events).toEqual(['start', 'error', 'dataavailable', 'stop']);
    expect((log.errors[0] as DOMException).name).toBe('InvalidModificationError');
    expect(processExists(pid)).toBe(false);
    const probe = ffprobe(tempFile(await concat(log.blobs), 'webm'));
    expect(Number(probe.streams.find((s) => s.codec_type === 'video')!.nb_read_frames)).toBeGreaterThanOrEqual(15);
  });

  it('a track removed from the stream, with no media flowing: noticed all the same', async () => {
    const { stream, recorder, log } = await start();
    await advance(studio, recorder, 300);
    stream.removeTrack(stream.getAudioTracks()[0]!);
    await next(recorder, 'stop');
    expect(log.events).toEqual(['start', 'error', 'dataavailable', 'stop']);
    expect((log.errors[0] as DOMException).name).toBe('InvalidModificationError');
  });

  it('an encoder that cannot start: error (NotSupportedError), then stop, no data (step 15.2)', async () => {
    const failing: EncoderBackend = {
      name: 'failing',
      available: () => true,
      unavailableMessage: '',
      supports: () => true,
      start() {
        const started = Promise.reject(new Error('no encoder today'));
        started.catch(() => {});
        return {
          started,
          pid: undefined,
          backlogBytes: 0,
          videoQueue: { items: 0, bytes: 0, open: false },
          audioQueue: { items: 0, bytes: 0, open: false },
          writeVideo: (_d, _t, done) => done(false),
          writeAudio: (_d, done) => done(false),
          endVideo() {},
          endAudio() {},
          dropQueuedVideo: () => 0,
          discardQueued: () => ({ videoFrames: 0, audioBytes: 0 }),
          finish: async () => ({ complete: true }),
          abort: async () => {},
          seekableFile: async () => null,
        };
      },
    };
    const unregister = registerEncoderBackend(failing);
    try {
      studio = openStudio();
      const stream = await studio.getUserMedia({ audio: true });
      const recorder = new MediaRecorder(stream);
      const log = watch(recorder);
      recorder.start();
      await next(recorder, 'stop');
      expect(log.events).toEqual(['error', 'stop']);
      expect((log.errors[0] as DOMException).name).toBe('NotSupportedError');
      expect((log.errors[0] as DOMException).message).toMatch(/no encoder today/);
      expect(recorder.state).toBe('inactive');
    } finally {
      unregister();
    }
  });

  it('stop() right after start() still gives start, dataavailable, stop', async () => {
    studio = openStudio();
    const stream = await studio.getUserMedia({ video: true });
    const recorder = new MediaRecorder(stream);
    const log = watch(recorder);
    recorder.start();
    recorder.stop();
    await next(recorder, 'stop');
    expect(log.events).toEqual(['start', 'dataavailable', 'stop']);
    expect(recorder.mimeType).toBe('');
    void MediaStream;
  });
});
