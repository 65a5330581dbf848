// @vitest-environment jsdom
// mediacapture.reset() between tests, getDisplayMedia with no set-up, and the clock of the global
// installation (issue #10, "the test runners as people use them"). The package is imported by its
// name, as a user's test does.
import { mediacapture } from 'mediacapture/global';
import { VirtualClock } from 'mediacapture';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';

describe('mediacapture.reset()', () => {
  it('stops every track, without an ended event', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    const ended: string[] = [];
    for (const t of stream.getTracks()) t.addEventListener('ended', () => ended.push(t.kind));
    await mediacapture.reset();
    expect(stream.getTracks().map((t) => t.readyState)).toEqual(['ended', 'ended']);
    expect(mediacapture.manager.openSources).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toEqual([]);
  });

  it('puts the devices back as installed: unplugged ones back, plugged ones gone, none failing or interrupted', async () => {
    // devicechange tells of devices only once the page may see them: after getUserMedia.
    for (const t of (await navigator.mediaDevices.getUserMedia({ video: true, audio: true })).getTracks()) t.stop();
    const ids = mediacapture.devices.deviceIds;
    expect(ids).toEqual(expect.arrayContaining(['builtin-camera', 'builtin-microphone']));
    const before = (await navigator.mediaDevices.enumerateDevices()).map((d) => `${d.kind}:${d.deviceId}`);
    mediacapture.devices.unplug('builtin-camera');
    mediacapture.devices.plug({ kind: 'videoinput', id: 'usb', label: 'USB Camera' });
    mediacapture.devices.setFailing('builtin-microphone');
    await waitFor(navigator.mediaDevices, 'devicechange');
    await mediacapture.reset();
    expect(mediacapture.devices.deviceIds).toEqual(ids);
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    expect(stream.getTracks().map((t) => [t.label, t.muted])).toEqual([
      ['Built-in Microphone (synthetic)', false],
      ['Built-in Camera (synthetic)', false],
    ]);
    expect((await navigator.mediaDevices.enumerateDevices()).map((d) => `${d.kind}:${d.deviceId}`)).toEqual(before);
    for (const t of stream.getTracks()) t.stop();
    await mediacapture.reset();
  });

  it('fires no devicechange for the devices it puts back', async () => {
    for (const t of (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks()) t.stop();
    mediacapture.devices.plug({ kind: 'audioinput', id: 'headset', label: 'Headset' });
    await waitFor(navigator.mediaDevices, 'devicechange');
    let changes = 0;
    const count = () => changes++;
    navigator.mediaDevices.addEventListener('devicechange', count);
    await mediacapture.reset();
    // The page may still see devices (a new getUserMedia), and the list is as it was installed.
    for (const t of (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks()) t.stop();
    expect((await navigator.mediaDevices.enumerateDevices()).map((d) => d.label)).not.toContain('Headset');
    await new Promise((resolve) => setImmediate(resolve));
    navigator.mediaDevices.removeEventListener('devicechange', count);
    expect(changes).toBe(0);
    await mediacapture.reset();
  });

  it('puts the permissions back to their initial states, and hides device labels until the next getUserMedia', async () => {
    // Without exposure a page sees one camera and one microphone, unlabelled, and no speaker (§9.2.3).
    await navigator.mediaDevices.getUserMedia({ video: true });
    expect((await navigator.mediaDevices.enumerateDevices()).every((d) => d.label !== '')).toBe(true);
    mediacapture.permissions.set('camera', 'denied');
    mediacapture.permissions.set('microphone', 'prompt');
    await mediacapture.reset();
    expect([mediacapture.permissions.state('camera'), mediacapture.permissions.state('microphone'), mediacapture.permissions.state('display-capture')]).toEqual(['granted', 'granted', 'prompt']);
    expect((await navigator.permissions.query({ name: 'camera' as PermissionName })).state).toBe('granted');
    expect((await navigator.mediaDevices.enumerateDevices()).map((d) => [d.kind, d.label])).toEqual([
      ['audioinput', ''],
      ['videoinput', ''],
    ]);
    await navigator.mediaDevices.getUserMedia({ video: true });
    expect((await navigator.mediaDevices.enumerateDevices()).map((d) => d.label)).toContain('Built-in Camera (synthetic)');
    await mediacapture.reset();
  });

  it('puts back the clock of the installation', async () => {
    const real = mediacapture.clock;
    const clock = new VirtualClock();
    mediacapture.setClock(clock);
    expect(mediacapture.clock).toBe(clock);
    await mediacapture.reset();
    expect(mediacapture.clock).toBe(real);
  });
});

describe('getDisplayMedia under a test runner', () => {
  it('captures the built-in screen with no set-up: the prompt picks it, and nothing is remembered', async () => {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true });
    const [track] = stream.getVideoTracks();
    expect(track!.label).toBe('Synthetic screen');
    expect(track!.getSettings()).toMatchObject({ width: 1280, height: 720, displaySurface: 'monitor' });
    expect(mediacapture.permissions.state('display-capture')).toBe('prompt');
    await mediacapture.reset();
    expect(track!.readyState).toBe('ended');
  });

  it('still rejects with NotAllowedError when the test denies display-capture', async () => {
    mediacapture.permissions.set('display-capture', 'denied');
    await expect(navigator.mediaDevices.getDisplayMedia()).rejects.toMatchObject({ name: 'NotAllowedError' });
    await mediacapture.reset();
  });
});
