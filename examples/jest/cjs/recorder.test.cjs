/**
 * @jest-environment jsdom
 */
// Jest's default set-up: CommonJS, no flags, no transform. `require` loads the package's CommonJS
// build (dist/cjs). Recording under jsdom used to crash here (jsdom's setTimeout returns a number).
const { mediacapture } = require('mediacapture/global');

afterEach(() => mediacapture.reset());

/** Resolves with the next `type` event of `target`. */
const next = (target, type) => new Promise((resolve) => target.addEventListener(type, resolve, { once: true }));

it('records the microphone under jsdom', async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  expect(stream).toBeInstanceOf(MediaStream);
  const recorder = new MediaRecorder(stream, { mimeType: 'audio/webm;codecs=opus' });
  const data = next(recorder, 'dataavailable');
  recorder.start();
  await next(recorder, 'start');
  recorder.stop();
  const { data: blob } = await data;
  expect(blob.size).toBeGreaterThan(0);
});

describe('under jest.useFakeTimers()', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('getUserMedia resolves, a recorder produces data, and ended arrives', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp8,opus' });
    const data = next(recorder, 'dataavailable');
    recorder.start();
    await next(recorder, 'start');
    recorder.stop();
    expect((await data).data.size).toBeGreaterThan(0);
    const [track] = stream.getVideoTracks();
    const ended = next(track, 'ended');
    mediacapture.devices.unplug('builtin-camera');
    await ended;
    expect(track.readyState).toBe('ended');
  });
});

it('reset() put the camera back after the last test', async () => {
  expect(mediacapture.devices.deviceIds).toContain('builtin-camera');
  const stream = await navigator.mediaDevices.getDisplayMedia();
  expect(stream.getVideoTracks()[0].label).toBe('Synthetic screen');
});
