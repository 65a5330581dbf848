import { describe, expect, it } from 'vitest';
import { PermissionStatus } from '../../src/index.js';
import { openTab, record, tasks } from './harness.js';

describe('navigator.permissions', () => {
  it('query() resolves a PermissionStatus with the state', async () => {
    const tab = openTab({ permissions: { microphone: 'prompt' } });
    const cam = await tab.navigator.permissions.query({ name: 'camera' });
    expect(cam).toBeInstanceOf(PermissionStatus);
    expect(cam.name).toBe('camera');
    expect(cam.state).toBe('granted');
    expect((await tab.navigator.permissions.query({ name: 'microphone' })).state).toBe('prompt');
    await expect(tab.navigator.permissions.query({ name: 'geolocation-ish' })).rejects.toBeInstanceOf(TypeError);
    await expect(tab.navigator.permissions.query({})).rejects.toBeInstanceOf(TypeError);
    await expect(tab.navigator.permissions.query(5)).rejects.toBeInstanceOf(TypeError);
  });

  it('fires change (queued) when the state changes', async () => {
    const tab = openTab();
    const status = await tab.navigator.permissions.query({ name: 'camera' });
    const log = record(status, 'change');
    tab.handle.permissions.set('camera', 'denied');
    expect(status.state).toBe('granted');
    await tasks();
    expect(status.state).toBe('denied');
    expect(log).toEqual(['change']);
  });

  it('a prompt answered by the handler changes the status', async () => {
    const tab = openTab({ permissions: { camera: 'prompt', onPrompt: () => 'granted' } });
    const status = await tab.navigator.permissions.query({ name: 'camera' });
    await tab.mediaDevices.getUserMedia({ video: true });
    await tasks();
    expect(status.state).toBe('granted');
  });

  it('revoking a permission ends the live tracks it covers, with ended events', async () => {
    const tab = openTab();
    const s = await tab.mediaDevices.getUserMedia({ audio: true, video: true });
    const [audio] = s.getAudioTracks();
    const [video] = s.getVideoTracks();
    const log = record(video!, 'ended');
    tab.handle.permissions.set('camera', 'denied');
    await tasks();
    expect(video!.readyState).toBe('ended');
    expect(log).toEqual(['ended']);
    expect(audio!.readyState).toBe('live');
    expect(tab.handle.devices.sourcesOf('builtin-camera')).toHaveLength(0);
  });

  it('answers the media permissions in place of an existing navigator.permissions, which keeps the other names', async () => {
    // As on happy-dom, whose navigator.permissions says "granted" to everything (issue #10).
    const existing = { query: async ({ name }: { name: string }) => ({ name, state: 'granted', by: 'environment' }) };
    const global: any = { navigator: { permissions: existing } };
    const { installGlobals } = await import('../../src/index.js');
    const handle = installGlobals(global, { permissions: { camera: 'denied' } });
    expect((await global.navigator.permissions.query({ name: 'camera' })).state).toBe('denied');
    expect(await global.navigator.permissions.query({ name: 'geolocation' })).toEqual({ name: 'geolocation', state: 'granted', by: 'environment' });
    handle.uninstall();
    expect(global.navigator.permissions).toBe(existing);
  });
});
