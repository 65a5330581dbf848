/**
 * @jest-environment node
 */
// Jest's node environment, ESM (node --experimental-vm-modules): `import` loads dist/.
import { mediacapture } from 'mediacapture/global';
import { afterEach, expect, it, jest } from '@jest/globals';

afterEach(() => mediacapture.reset());

it('gets the camera, and its track ends when it is unplugged, under fake timers', async () => {
  jest.useFakeTimers();
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true });
    const [track] = stream.getVideoTracks();
    const ended = new Promise((resolve) => track.addEventListener('ended', resolve, { once: true }));
    mediacapture.devices.unplug('builtin-camera');
    await ended;
    expect(track.readyState).toBe('ended');
  } finally {
    jest.useRealTimers();
  }
});
