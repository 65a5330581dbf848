import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { InputDeviceInfo, MediaDeviceInfo } from '../../src/index.js';
import { openTab, tasks, testSaltPath } from './harness.js';

const twoEach = [
  { kind: 'audioinput', id: 'mic-1', label: 'Mic One', group: 'headset' },
  { kind: 'audioinput', id: 'mic-2', label: 'Mic Two' },
  { kind: 'videoinput', id: 'cam-1', label: 'Cam One' },
  { kind: 'videoinput', id: 'cam-2', label: 'Cam Two' },
  { kind: 'audiooutput', id: 'out-1', label: 'Headphones', group: 'headset' },
] as const;

describe('enumerateDevices', () => {
  it('before any capture lists at most one device per kind with no labels or ids', async () => {
    const tab = openTab({ devices: [...twoEach] });
    const list = await tab.mediaDevices.enumerateDevices();
    expect(list.map((d) => d.toJSON())).toEqual([
      { deviceId: '', kind: 'audioinput', label: '', groupId: '' },
      { deviceId: '', kind: 'videoinput', label: '', groupId: '' },
    ]);
    expect(list[0]).toBeInstanceOf(InputDeviceInfo);
    expect((list[0] as InputDeviceInfo).getCapabilities()).toEqual({});
  });

  it('after getUserMedia lists everything: microphones, cameras, then outputs with a "default" entry', async () => {
    const tab = openTab({ devices: [...twoEach] });
    await tab.mediaDevices.getUserMedia({ audio: true, video: true });
    const list = await tab.mediaDevices.enumerateDevices();
    expect(list.map((d) => [d.kind, d.label, d.deviceId.length])).toEqual([
      ['audioinput', 'Mic One', 64],
      ['audioinput', 'Mic Two', 64],
      ['videoinput', 'Cam One', 64],
      ['videoinput', 'Cam Two', 64],
      ['audiooutput', 'Default - Headphones', 7],
      ['audiooutput', 'Headphones', 64],
    ]);
    expect(list[4]!.deviceId).toBe('default');
    expect(list[5]).toBeInstanceOf(MediaDeviceInfo);
    expect(list[5]).not.toBeInstanceOf(InputDeviceInfo);
    // groupId ties the headset's microphone to its output; others differ.
    expect(list[0]!.groupId).toBe(list[5]!.groupId);
    expect(list[1]!.groupId).not.toBe(list[0]!.groupId);
    const caps = (list[2] as InputDeviceInfo).getCapabilities();
    expect(caps).toMatchObject({ deviceId: list[2]!.deviceId, width: { max: 1920 }, height: { max: 1080 } });
  });

  it('a microphone grant with camera permission granted exposes the cameras too (exposure extends)', async () => {
    const tab = openTab({ devices: [...twoEach] });
    await tab.mediaDevices.getUserMedia({ audio: true });
    const list = await tab.mediaDevices.enumerateDevices();
    expect(list.filter((d) => d.kind === 'videoinput').map((d) => d.label)).toEqual(['Cam One', 'Cam Two']);
  });

  it('a microphone grant with camera permission "prompt" keeps cameras hidden', async () => {
    const tab = openTab({ devices: [...twoEach], permissions: { camera: 'prompt' } });
    await tab.mediaDevices.getUserMedia({ audio: true });
    const list = await tab.mediaDevices.enumerateDevices();
    expect(list.filter((d) => d.kind === 'videoinput').map((d) => d.label)).toEqual(['']);
    expect(list.filter((d) => d.kind === 'audioinput')).toHaveLength(2);
  });

  it('deviceId matches the track\'s settings and is stable per origin, different across origins', async () => {
    const a1 = openTab({ origin: 'https://a.example' });
    const a2 = openTab({ origin: 'https://a.example' });
    const b = openTab({ origin: 'https://b.example' });
    const ids = [];
    for (const tab of [a1, a2, b]) {
      const s = await tab.mediaDevices.getUserMedia({ video: true });
      const listed = (await tab.mediaDevices.enumerateDevices()).find((d) => d.kind === 'videoinput')!;
      expect(s.getVideoTracks()[0]!.getSettings().deviceId).toBe(listed.deviceId);
      ids.push(listed.deviceId);
    }
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('keeps deviceIds across process restarts (persisted salt)', async () => {
    const script = `
      import { installGlobals } from './dist/index.js';
      const h = installGlobals({}, { origin: 'https://restart.example', saltPath: process.argv[1] });
      await h.mediaDevices.getUserMedia({ video: true });
      const list = await h.mediaDevices.enumerateDevices();
      console.log(list.find((d) => d.kind === 'videoinput').deviceId);
      h.uninstall();`;
    const run = () => execFileSync(process.execPath, ['--input-type=module', '-e', script, testSaltPath], { cwd: process.cwd() }).toString().trim();
    const first = run();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(run()).toBe(first);
    const here = openTab({ origin: 'https://restart.example' });
    await here.mediaDevices.getUserMedia({ video: true });
    expect((await here.mediaDevices.enumerateDevices()).find((d) => d.kind === 'videoinput')!.deviceId).toBe(first);
  });
});

describe('devicechange', () => {
  it('fires (queued) when a device is plugged in and exposed, with the new list', async () => {
    const tab = openTab();
    await tab.mediaDevices.getUserMedia({ video: true });
    await tab.mediaDevices.enumerateDevices();
    const events: any[] = [];
    tab.mediaDevices.addEventListener('devicechange', (e) => events.push(e));
    tab.handle.devices.plug({ kind: 'videoinput', id: 'usb', label: 'USB Camera' });
    await tasks(6);
    expect(events).toHaveLength(1);
    expect(events[0].devices.map((d: any) => d.label)).toContain('USB Camera');
    expect(events[0].userInsertedDevices.map((d: any) => d.label)).toEqual(['USB Camera']);
    expect(Object.isFrozen(events[0].devices)).toBe(true);
    tab.handle.devices.unplug('usb');
    await tasks(6);
    expect(events).toHaveLength(2);
    expect(events[1].devices.map((d: any) => d.label)).not.toContain('USB Camera');
  });

  it('does not fire when the change is not visible to the page (second camera before any capture)', async () => {
    const tab = openTab();
    await tab.mediaDevices.enumerateDevices();
    let fired = 0;
    tab.mediaDevices.ondevicechange = () => fired++;
    tab.handle.devices.plug({ kind: 'videoinput', id: 'second' });
    await tasks(6);
    expect(fired).toBe(0);
    tab.handle.devices.unplug('builtin-camera');
    tab.handle.devices.unplug('second');
    await tasks(6);
    expect(fired).toBe(1); // now no camera at all: visible
  });

  it('unplugging a device in use ends its tracks and fires devicechange', async () => {
    const tab = openTab();
    const s = await tab.mediaDevices.getUserMedia({ audio: true });
    await tab.mediaDevices.enumerateDevices();
    const order: string[] = [];
    s.getTracks()[0]!.onended = () => order.push('ended');
    tab.mediaDevices.ondevicechange = () => order.push('devicechange');
    tab.handle.devices.unplug('builtin-microphone');
    await tasks(6);
    expect(order).toEqual(['ended', 'devicechange']);
  });
});
