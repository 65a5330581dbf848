// @vitest-environment happy-dom
// happy-dom has a navigator.permissions of its own, which says "granted" to everything. Ours takes
// its place for the media permissions (issue #10), and passes it the other names.
import { mediacapture } from 'mediacapture/global';
import { afterEach, expect, it } from 'vitest';

afterEach(() => mediacapture.reset());

it('navigator.permissions.query() tells the state the test set', async () => {
  mediacapture.permissions.set('camera', 'denied');
  const status = await navigator.permissions.query({ name: 'camera' as PermissionName });
  expect(status.state).toBe('denied');
  const changed = new Promise((resolve) => status.addEventListener('change', resolve, { once: true }));
  mediacapture.permissions.set('camera', 'granted');
  await changed;
  expect(status.state).toBe('granted');
  await expect(navigator.mediaDevices.getUserMedia({ video: true })).resolves.toBeInstanceOf(MediaStream);
});

it('denied in navigator.permissions is denied in getUserMedia', async () => {
  mediacapture.permissions.set('microphone', 'denied');
  expect((await navigator.permissions.query({ name: 'microphone' as PermissionName })).state).toBe('denied');
  await expect(navigator.mediaDevices.getUserMedia({ audio: true })).rejects.toMatchObject({ name: 'NotAllowedError' });
});

it('other permission names still get happy-dom\'s answer', async () => {
  const status = await navigator.permissions.query({ name: 'geolocation' });
  expect(status.state).toBe('granted');
});
