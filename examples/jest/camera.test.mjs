/**
 * @jest-environment jsdom
 */
import 'mediacapture/global';
import { mediacapture } from 'mediacapture/global';
import { expect, it } from '@jest/globals';

it('gets the built-in camera under Jest + jsdom', async () => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640 } });
  expect(stream).toBeInstanceOf(MediaStream);
  const [track] = stream.getVideoTracks();
  expect(track.getSettings()).toMatchObject({ width: 640, height: 480 });
  track.stop();
});

it('reports a denied permission as NotAllowedError', async () => {
  mediacapture.permissions.set('camera', 'denied');
  await expect(navigator.mediaDevices.getUserMedia({ video: true })).rejects.toMatchObject({ name: 'NotAllowedError' });
  mediacapture.permissions.set('camera', 'granted');
});

it('fires devicechange when a camera is plugged in', async () => {
  await navigator.mediaDevices.getUserMedia({ video: true }).then((s) => s.getTracks().forEach((t) => t.stop()));
  await navigator.mediaDevices.enumerateDevices();
  const changed = new Promise((resolve) => navigator.mediaDevices.addEventListener('devicechange', resolve, { once: true }));
  mediacapture.devices.plug({ kind: 'videoinput', id: 'usb', label: 'USB Camera' });
  const event = await changed;
  expect(event.devices.map((d) => d.label)).toContain('USB Camera');
});
