/**
 * A media file as `src` of a <video>/<audio> in jsdom and happy-dom: made with ffmpeg here (2 s of
 * a 160x120 test pattern at 10 fps and a tone), played through ffmpeg on a VirtualClock.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { livePids } from '../../src/backends/common/process.js';
import { currentFrameOf } from '../../src/html/current-frame.js';
import { installGlobals, type MediaCaptureHandle } from '../../src/install.js';
import { VirtualClock } from '../../src/media/clock/index.js';
import { until, waitFor } from '../helpers/wait.js';
import { WINDOWS, makeWindow, type TestWindow } from './windows.js';

const dir = mkdtempSync(join(tmpdir(), 'mc-element-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2', '-c:v', 'mjpeg', '-c:a', 'pcm_s16le', join(dir, 'clip.mkv')]);
writeFileSync(join(dir, 'junk.mkv'), 'not media');

describe.each(WINDOWS)('src in %s', (name) => {
  let w: TestWindow;
  let handle: MediaCaptureHandle;
  let clock: VirtualClock;
  afterEach(() => {
    handle.uninstall();
    w.close();
  });
  const setUp = () => {
    w = makeWindow(name, dir);
    clock = new VirtualClock();
    handle = installGlobals(w.window, { clock });
    return w.window;
  };
  /** Moves the clock in steps of 100 ms, letting ffmpeg's output in between, until `done()`. */
  const playUntil = async (done: () => boolean) => {
    await until(async () => {
      await nextTurn();
      await clock.advanceAsync(100);
      return done();
    }, 'the media element to get there');
  };

  it('plays a file: metadata, duration, frames on the clock, ended at its end; no ffmpeg left', async () => {
    const window = setUp();
    const video = window.document.createElement('video');
    const log: string[] = [];
    for (const t of ['loadstart', 'durationchange', 'resize', 'loadedmetadata', 'loadeddata', 'canplay', 'canplaythrough', 'play', 'playing', 'pause', 'ended']) video.addEventListener(t, () => log.push(t));
    video.src = 'clip.mkv';
    expect(video.src).toMatch(/^file:.*clip\.mkv$/);
    await waitFor(video, 'canplaythrough');
    expect(video.currentSrc).toBe(video.src);
    expect(video.duration).toBeCloseTo(2, 1);
    expect([video.videoWidth, video.videoHeight]).toEqual([160, 120]);
    expect(log).toEqual(['loadstart', 'durationchange', 'resize', 'loadedmetadata', 'loadeddata', 'canplay', 'canplaythrough']);
    expect(currentFrameOf(video)?.timestamp).toBe(0);
    const played = video.play();
    await playUntil(() => video.currentTime >= 1);
    await played;
    expect(currentFrameOf(video)!.timestamp).toBeGreaterThan(500_000);
    await playUntil(() => video.ended);
    expect(log.slice(-2)).toEqual(['pause', 'ended']);
    expect(video.currentTime).toBeCloseTo(video.duration, 6);
    // On a VirtualClock playback waits for the decoder (HAVE_CURRENT_DATA, 'waiting') instead of skipping frames.
    expect(video.getVideoPlaybackQuality().totalVideoFrames).toBeGreaterThanOrEqual(20);
    expect(video.getVideoPlaybackQuality().droppedVideoFrames).toBe(0);
    await until(() => livePids().length === 0, 'no ffmpeg left after the end');
  });

  it('seeks: seeking, then timeupdate and seeked, with the frame at the new position', async () => {
    const window = setUp();
    const video = window.document.createElement('video');
    video.src = 'clip.mkv';
    await waitFor(video, 'canplaythrough');
    const log: string[] = [];
    for (const t of ['seeking', 'timeupdate', 'seeked']) video.addEventListener(t, () => log.push(t));
    video.currentTime = 1.5;
    expect(video.seeking).toBe(true);
    await waitFor(video, 'seeked');
    expect(video.seeking).toBe(false);
    expect(log).toEqual(['seeking', 'timeupdate', 'seeked']);
    expect(video.currentTime).toBe(1.5);
    expect(currentFrameOf(video)?.timestamp).toBe(1_500_000);
    await until(() => livePids().length === 0, 'no ffmpeg while paused');
  });

  it('loop: plays again from the start instead of ending', async () => {
    const window = setUp();
    const video = window.document.createElement('video');
    video.loop = true;
    video.src = 'clip.mkv';
    await waitFor(video, 'canplaythrough');
    const played = video.play();
    let ended = false;
    video.addEventListener('ended', () => (ended = true));
    let seeked = false;
    video.addEventListener('seeked', () => (seeked = true));
    await playUntil(() => seeked);
    await played;
    expect(ended).toBe(false);
    expect(video.paused).toBe(false);
    expect(video.currentTime).toBeLessThan(1);
  });

  it('captureStream() of a playing file carries its frames; the tracks end and leave at the end', async () => {
    const window = setUp();
    const video = window.document.createElement('video');
    video.src = 'clip.mkv';
    const captured = video.captureStream();
    const added = waitFor(captured, 'addtrack');
    await waitFor(video, 'canplaythrough');
    await added;
    expect(captured.getVideoTracks().length).toBe(1);
    expect(captured.getAudioTracks().length).toBe(1);
    const [track] = captured.getVideoTracks();
    const reader = new window.MediaStreamTrackProcessor({ track }).readable.getReader();
    const read = reader.read();
    const played = video.play();
    await playUntil(() => video.currentTime > 0.5);
    await played;
    const { value: frame } = await read;
    expect([frame.displayWidth, frame.displayHeight]).toEqual([160, 120]);
    frame.close();
    reader.releaseLock();
    const removed = waitFor(captured, 'removetrack');
    await playUntil(() => video.ended);
    await removed;
    expect(track.readyState).toBe('ended');
    expect(captured.getTracks()).toEqual([]);
  });

  it('an element removed from its document pauses and ends its ffmpeg', async () => {
    const window = setUp();
    const video = window.document.createElement('video');
    window.document.body.appendChild(video);
    video.src = 'clip.mkv';
    await waitFor(video, 'canplaythrough');
    const played = video.play();
    await playUntil(() => video.currentTime > 0.3);
    await played;
    const paused = waitFor(video, 'pause');
    video.remove();
    await paused;
    expect(video.paused).toBe(true);
    await until(() => livePids().length === 0, 'no ffmpeg after the element left the document');
  });

  it('an unplayable file: error event, MediaError 4, play() rejects with NotSupportedError', async () => {
    const window = setUp();
    const video = window.document.createElement('video');
    video.src = 'junk.mkv';
    const played = video.play();
    await waitFor(video, 'error');
    expect(video.error.code).toBe(4);
    expect(video.error.code).toBe(window.MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED);
    await expect(played).rejects.toMatchObject({ name: 'NotSupportedError' });
    await expect(video.play()).rejects.toMatchObject({ name: 'NotSupportedError' });
  });

  it('a blob: URL of a recording plays; uninstall ends a playing element and its ffmpeg', async () => {
    const window = setUp();
    const { readFileSync } = await import('node:fs');
    const blob = new Blob([readFileSync(join(dir, 'clip.mkv'))], { type: 'video/x-matroska' });
    const url = URL.createObjectURL(blob);
    const audio = window.document.createElement('audio');
    audio.src = url;
    await waitFor(audio, 'canplaythrough');
    expect(audio.duration).toBeCloseTo(2, 1);
    const played = audio.play();
    await playUntil(() => audio.currentTime > 0.5);
    await played;
    expect(audio.paused).toBe(false);
    expect(audio.videoWidth).toBeUndefined();
    handle.uninstall();
    await until(() => livePids().length === 0, 'no ffmpeg after uninstall');
    URL.revokeObjectURL(url);
  });
});
