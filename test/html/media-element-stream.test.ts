/**
 * A MediaStream as srcObject of a <video>/<audio> in jsdom and happy-dom (HTML media elements and
 * mediacapture-main §6 "MediaStreams in Media Elements"), on a VirtualClock: the ready states and
 * their events in order, play()/pause() promises, the media timeline, the end, the reset.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { installGlobals, type MediaCaptureHandle } from '../../src/install.js';
import { currentFrameOf } from '../../src/html/current-frame.js';
import { VirtualClock } from '../../src/media/clock/index.js';
import { WINDOWS, makeWindow, type TestWindow } from './windows.js';

const EVENTS = ['emptied', 'abort', 'loadstart', 'durationchange', 'resize', 'loadedmetadata', 'loadeddata', 'canplay', 'canplaythrough', 'play', 'playing', 'waiting', 'pause', 'timeupdate', 'ended', 'ratechange', 'error'];

describe.each(WINDOWS)('srcObject in %s', (name) => {
  let w: TestWindow;
  let handle: MediaCaptureHandle;
  let clock: VirtualClock;
  afterEach(() => {
    handle.uninstall();
    w.close();
  });
  const setUp = () => {
    w = makeWindow(name);
    clock = new VirtualClock();
    handle = installGlobals(w.window, { clock });
    return w.window;
  };
  /** Lets the tasks queued so far run, then moves the clock. */
  const run = async (ms: number) => {
    await nextTurn();
    await clock.advanceAsync(ms);
    await nextTurn();
    await nextTurn();
  };
  const record = (el: EventTarget) => {
    const log: string[] = [];
    for (const t of EVENTS) el.addEventListener(t, () => log.push(t));
    return log;
  };

  it('reaches HAVE_ENOUGH_DATA on the first frame, with the events browsers fire, in order, without playing', async () => {
    const window = setUp();
    const stream = await window.navigator.mediaDevices.getUserMedia({ video: true });
    const video = window.document.createElement('video');
    const log = record(video);
    expect(video.readyState).toBe(video.HAVE_NOTHING);
    video.srcObject = stream;
    expect(video.srcObject).toBe(stream);
    expect(video.duration).toBeNaN();
    expect(video.readyState).toBe(0);
    await run(100);
    expect(log).toEqual(['loadstart', 'durationchange', 'resize', 'loadedmetadata', 'loadeddata', 'canplay', 'canplaythrough']);
    expect(video.readyState).toBe(video.HAVE_ENOUGH_DATA);
    expect(video.duration).toBe(Infinity);
    expect([video.videoWidth, video.videoHeight]).toEqual([640, 480]);
    expect(video.paused).toBe(true);
    expect(video.currentTime).toBe(0);
    // The first frame is shown (canvas reads it through current-frame.ts).
    expect(currentFrameOf(video)?.displayWidth).toBe(640);
    stream.getTracks().forEach((t: { stop(): void }) => t.stop());
  });

  it('play() before data: play, waiting, then canplay, playing; the promise resolves; currentTime follows the clock', async () => {
    const window = setUp();
    const stream = await window.navigator.mediaDevices.getUserMedia({ video: true });
    const video = window.document.createElement('video');
    const log = record(video);
    video.srcObject = stream;
    let resolved = false;
    const played = video.play().then(() => (resolved = true));
    expect(video.paused).toBe(false);
    await run(100);
    await played;
    expect(resolved).toBe(true);
    expect(log.slice(0, 2)).toEqual(['play', 'waiting']);
    expect(log.indexOf('canplay')).toBeLessThan(log.indexOf('playing'));
    const t0 = video.currentTime;
    await run(1000);
    expect(video.currentTime - t0).toBeCloseTo(1, 6);
    // "time marches on": a timeupdate every 250 ms of playback.
    expect(log.filter((e) => e === 'timeupdate').length).toBe(4);
    // Attempts to alter currentTime are ignored; playbackRate stays 1.
    const now = video.currentTime;
    video.currentTime = 0;
    video.playbackRate = 2;
    expect(video.currentTime).toBe(now);
    expect(video.playbackRate).toBe(1);
    expect(video.seekable.length).toBe(0);
    expect(video.buffered.length).toBe(0);
    expect([video.played.length, video.played.start(0), video.played.end(0)]).toEqual([1, 0, now]);
    expect(video.preload).toBe('none');
    // Frames shown and counted.
    const quality = video.getVideoPlaybackQuality();
    expect(quality.totalVideoFrames).toBeGreaterThanOrEqual(30);
    expect(quality.droppedVideoFrames).toBe(0);
    stream.getTracks().forEach((t: { stop(): void }) => t.stop());
  });

  it('pause() fires timeupdate and pause, stops the timeline and keeps the frame', async () => {
    const window = setUp();
    const stream = await window.navigator.mediaDevices.getUserMedia({ video: true });
    const video = window.document.createElement('video');
    video.srcObject = stream;
    const playing = video.play();
    await run(500);
    await playing;
    const log = record(video);
    video.pause();
    expect(video.paused).toBe(true);
    const at = video.currentTime;
    const frame = currentFrameOf(video);
    await run(1000);
    expect(log).toEqual(['timeupdate', 'pause']);
    expect(video.currentTime).toBe(at);
    expect(currentFrameOf(video)).toBe(frame);
    stream.getTracks().forEach((t: { stop(): void }) => t.stop());
  });

  it('autoplay plays at HAVE_ENOUGH_DATA: canplay, play, playing, canplaythrough', async () => {
    const window = setUp();
    const stream = await window.navigator.mediaDevices.getUserMedia({ video: true });
    const video = window.document.createElement('video');
    video.autoplay = true;
    video.muted = true;
    const log = record(video);
    video.srcObject = stream;
    await run(100);
    expect(log.slice(-4)).toEqual(['canplay', 'play', 'playing', 'canplaythrough']);
    expect(video.paused).toBe(false);
    stream.getTracks().forEach((t: { stop(): void }) => t.stop());
  });

  it('ends (timeupdate, pause, ended) in a task when the stream becomes inactive; duration becomes currentTime', async () => {
    const window = setUp();
    const stream = await window.navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    const video = window.document.createElement('video');
    video.srcObject = stream;
    const playing = video.play();
    await run(100);
    await playing;
    await run(500);
    const log = record(video);
    for (const t of stream.getTracks()) t.stop();
    expect(video.ended).toBe(false);
    await Promise.resolve();
    expect(video.ended).toBe(false);
    await nextTurn();
    await nextTurn();
    expect(video.ended).toBe(true);
    expect(video.paused).toBe(true);
    expect(log).toEqual(['durationchange', 'timeupdate', 'pause', 'ended']);
    expect(video.duration).toBe(video.currentTime);
  });

  it('with autoplay, a track added after the end plays again (mediacapture-main §6)', async () => {
    const window = setUp();
    const stream = await window.navigator.mediaDevices.getUserMedia({ video: true });
    const [first] = stream.getVideoTracks();
    const video = window.document.createElement('video');
    video.autoplay = true;
    video.srcObject = stream;
    await run(100);
    expect(video.paused).toBe(false);
    stream.removeTrack(first);
    await run(10);
    expect(video.ended).toBe(true);
    const log = record(video);
    stream.addTrack(first.clone());
    await run(100);
    expect(video.ended).toBe(false);
    expect(video.paused).toBe(false);
    expect(log.slice(0, 3)).toEqual(['durationchange', 'play', 'playing']);
    expect(video.duration).toBe(Infinity);
    const at = video.currentTime;
    await run(500);
    expect(video.currentTime).toBeGreaterThan(at);
    first.stop();
    stream.getTracks().forEach((t: { stop(): void }) => t.stop());
  });

  it('without autoplay, a track added after the end does not restart playback', async () => {
    const window = setUp();
    const stream = await window.navigator.mediaDevices.getUserMedia({ video: true });
    const [first] = stream.getVideoTracks();
    const video = window.document.createElement('video');
    video.srcObject = stream;
    const playing = video.play();
    await run(100);
    await playing;
    stream.removeTrack(first);
    await run(10);
    expect(video.ended).toBe(true);
    stream.addTrack(first.clone());
    await run(100);
    expect(video.ended).toBe(true);
    expect(video.paused).toBe(true);
    first.stop();
    stream.getTracks().forEach((t: { stop(): void }) => t.stop());
  });

  it('an <audio> ends when its stream becomes inaudible, though a video track lives', async () => {
    const window = setUp();
    const stream = await window.navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    const audio = window.document.createElement('audio');
    audio.srcObject = stream;
    const playing = audio.play();
    await run(100);
    await playing;
    stream.removeTrack(stream.getAudioTracks()[0]);
    await nextTurn();
    await nextTurn();
    expect(audio.ended).toBe(true);
    stream.getTracks().forEach((t: { stop(): void }) => t.stop());
  });

  it('a reset (srcObject = null) fires emptied, rejects a pending play() with AbortError and restores playbackRate', async () => {
    const window = setUp();
    const stream = await window.navigator.mediaDevices.getUserMedia({ video: true });
    const video = window.document.createElement('video');
    video.defaultPlaybackRate = 0.5;
    video.srcObject = stream;
    expect(video.defaultPlaybackRate).toBe(1);
    await run(0);
    const pending = video.play();
    video.srcObject = null;
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(video.readyState).toBe(0);
    expect(video.defaultPlaybackRate).toBe(0.5);
    expect(video.playbackRate).toBe(0.5);
    expect(currentFrameOf(video)).toBeNull();
    const log = record(video);
    await run(10);
    expect(log).toEqual(['abort', 'emptied', 'ratechange']);
    stream.getTracks().forEach((t: { stop(): void }) => t.stop());
  });

  it('uninstall restores the window\'s own media element members', () => {
    const window = setUp();
    const proto = window.HTMLMediaElement.prototype;
    const before = Object.getOwnPropertyDescriptor(proto, 'srcObject');
    expect(before?.get).toBeTypeOf('function');
    handle.uninstall();
    const after = Object.getOwnPropertyDescriptor(proto, 'srcObject');
    expect(after?.get).not.toBe(before?.get);
    handle = installGlobals(w.window, { clock });
  });

  it('rejects what is not a MediaStream of this package with a TypeError', () => {
    const window = setUp();
    const video = window.document.createElement('video');
    expect(() => (video.srcObject = {})).toThrow(TypeError);
  });

  it('captureStream(): no tracks before metadata, then a video and an audio track (addtrack), muted while paused; they end and leave at the end', async () => {
    const window = setUp();
    const stream = await window.navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    const video = window.document.createElement('video');
    video.srcObject = stream;
    const captured = video.captureStream();
    expect(captured.getTracks()).toEqual([]);
    const added: string[] = [];
    captured.onaddtrack = (e: { track: { kind: string } }) => added.push(e.track.kind);
    await run(100);
    expect(added.sort()).toEqual(['audio', 'video']);
    const [track] = captured.getVideoTracks();
    expect(track.muted).toBe(true);
    await video.play();
    await run(100);
    expect(track.muted).toBe(false);
    // Frames flow into the captured track.
    const processor = new window.MediaStreamTrackProcessor({ track });
    const reader = processor.readable.getReader();
    const read = reader.read();
    await run(100);
    const { value: frame } = await read;
    expect(frame.displayWidth).toBe(640);
    frame.close();
    reader.releaseLock();
    const removed: string[] = [];
    captured.onremovetrack = () => removed.push('x');
    for (const t of stream.getTracks()) t.stop();
    await run(10);
    expect(track.readyState).toBe('ended');
    expect(removed.length).toBe(2);
    expect(captured.getTracks()).toEqual([]);
  });

  it('setSinkId(): NotFoundError for an unknown id; an id enumerateDevices lists is taken', async () => {
    const window = setUp();
    const stream = await window.navigator.mediaDevices.getUserMedia({ audio: true });
    const audio = window.document.createElement('audio');
    expect(audio.sinkId).toBe('');
    await expect(audio.setSinkId('nope')).rejects.toMatchObject({ name: 'NotFoundError' });
    const outputs = (await window.navigator.mediaDevices.enumerateDevices()).filter((d: { kind: string }) => d.kind === 'audiooutput');
    expect(outputs.length).toBeGreaterThan(0);
    await audio.setSinkId(outputs[0].deviceId);
    expect(audio.sinkId).toBe(outputs[0].deviceId);
    stream.getTracks().forEach((t: { stop(): void }) => t.stop());
  });
});
