/**
 * @jest-environment node
 */
// Jest's node environment, CommonJS: the API on the test's global, with the built-in devices.
const { VirtualClock } = require('mediacapture');
const { mediacapture } = require('mediacapture/global');

afterEach(() => mediacapture.reset());

it('gets the camera and the microphone', async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640 }, audio: true });
  expect(stream.getTracks().map((t) => t.kind).sort()).toEqual(['audio', 'video']);
  expect(stream.getVideoTracks()[0].getSettings()).toMatchObject({ width: 640, height: 480 });
});

it('under fake timers, media follows the VirtualClock the test advances', async () => {
  jest.useFakeTimers();
  try {
    const clock = new VirtualClock();
    mediacapture.setClock(clock);
    const stream = await navigator.mediaDevices.getUserMedia({ video: { frameRate: 10 } });
    const reader = new MediaStreamTrackProcessor({ track: stream.getVideoTracks()[0] }).readable.getReader();
    await clock.advanceAsync(100);
    const { value: frame } = await reader.read();
    expect(frame.timestamp).toBeGreaterThanOrEqual(0);
    frame.close();
  } finally {
    jest.useRealTimers();
  }
});
