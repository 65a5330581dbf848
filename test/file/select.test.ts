/**
 * Backend selection (src/backends/select.ts): the list syntax, its precedence, and "auto" — real
 * devices where there are some, the built-in ones for the kinds where there are none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BuiltinProvider } from '../../src/backends/builtin/provider.js';
import { FileProvider } from '../../src/backends/file/index.js';
import type { DeviceProvider } from '../../src/backends/provider.js';
import { PulseProvider } from '../../src/backends/pulse/index.js';
import { SyntheticScreen } from '../../src/backends/builtin/screen.js';
import { BuiltinFallback, SharedEnumeration, defaultDisplayProviders, parseBackendList, selectBackends } from '../../src/backends/select.js';
import { V4l2Provider } from '../../src/backends/v4l2/index.js';
import { X11DisplayProvider } from '../../src/backends/x11/index.js';
import type { DeviceDescriptor } from '../../src/media/modes.js';
import { openTab, record, tasks } from '../core/harness.js';
import { turns, until } from '../helpers/wait.js';
import { mediaDir, writePatternFile } from './media.js';

const dir = mediaDir();
const video = join(dir, 'camera.y4m');
beforeAll(() => writePatternFile(video, { width: 160, height: 120, frames: 3, fps: 10 }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** No real device of any kind, no display. */
const bare = { env: {}, hasPactl: () => false, hasVideoNodes: () => false, hasSoundCards: () => false };

/** A real backend with a microphone that can be unplugged. */
function fakeMicrophones() {
  const listeners = new Set<() => void>();
  const mic: DeviceDescriptor = { rawId: 'mic', kind: 'audioinput', label: 'USB Microphone', groupKey: 'usb', audioModes: [{ sampleRate: 48000, channelCount: 1, sampleSize: 16, latency: 0.01 }] };
  const provider = {
    name: 'fake',
    present: true,
    calls: 0,
    async enumerate() {
      provider.calls++;
      await turns(1); // answers on a later turn, as a real backend does
      return provider.present ? [mic] : [];
    },
    watch(l: () => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    open: async () => {
      throw new Error('not used');
    },
    unplug() {
      provider.present = false;
      for (const l of listeners) l();
    },
  };
  return provider;
}

describe('parseBackendList', () => {
  it('reads entries, trims them, and keeps everything after the first colon as the argument', () => {
    expect(parseBackendList(' builtin, pulse ,v4l2,file:/tmp/a.y4m,x11,x11::1,screen-file:/tmp/s.y4m,builtin-screen,auto,')).toEqual([
      { kind: 'builtin' },
      { kind: 'pulse' },
      { kind: 'v4l2' },
      { kind: 'file', path: '/tmp/a.y4m' },
      { kind: 'x11' },
      { kind: 'x11', display: ':1' },
      { kind: 'screen-file', path: '/tmp/s.y4m' },
      { kind: 'builtin-screen' },
      { kind: 'auto' },
    ]);
    // In code, an entry may hold commas.
    expect(parseBackendList(['file:/tmp/a,b.wav'])).toEqual([{ kind: 'file', path: '/tmp/a,b.wav' }]);
  });

  it.each(['alsamixer', 'file:', 'builtin:x', 'FILE:/a'])('rejects %j with a TypeError listing the known backends', (entry) => {
    expect(() => parseBackendList(entry)).toThrow(/Unknown device backend .*Known: auto, builtin, pulse, v4l2, file:PATH/);
  });
});

describe('selectBackends', () => {
  it('builds the listed backends, in order, display ones apart', () => {
    const builtin = new BuiltinProvider();
    const s = selectBackends({ ...bare, builtin, backends: ['pulse', `file:${video}`, 'builtin', 'v4l2', 'x11::5', `screen-file:${video}`] });
    expect(s.providers[0]).toBe(builtin);
    expect(s.providers.slice(1).map((p) => p.constructor)).toEqual([PulseProvider, V4l2Provider, FileProvider]);
    expect(s.displayProviders.map((p) => p.constructor)).toEqual([X11DisplayProvider, FileProvider]);
    expect(s.entries).toEqual(['pulse', `file:${video}`, 'builtin', 'v4l2', 'x11::5', `screen-file:${video}`]);
  });

  it('takes the code option over MEDIACAPTURE_BACKENDS, and that over "auto"', () => {
    const env = { MEDIACAPTURE_BACKENDS: 'v4l2' };
    expect(selectBackends({ ...bare, env }).entries).toEqual(['v4l2']);
    expect(selectBackends({ ...bare, env, backends: 'builtin' }).entries).toEqual(['builtin']);
    expect(selectBackends({ ...bare, env: { MEDIACAPTURE_BACKENDS: ' ' } }).entries).toEqual(['builtin (kinds without a real device)']);
    expect(() => selectBackends({ ...bare, env: { MEDIACAPTURE_BACKENDS: 'webcam' } })).toThrow(TypeError);
  });

  it('auto: PulseAudio when pactl is installed, V4L2 when /dev/video* exist, X11 when DISPLAY is set; no made-up screen', () => {
    const none = selectBackends(bare);
    expect(none.providers.map((p) => p.name)).toEqual(['builtin']);
    expect(none.displayProviders).toEqual([]);
    const all = selectBackends({ env: { DISPLAY: ':0' }, hasPactl: () => true, hasVideoNodes: () => true, hasSoundCards: () => false });
    expect(all.entries).toEqual(['pulse', 'v4l2', 'x11', 'builtin (kinds without a real device)']);
    expect(all.providers.map((p) => p.name)).toEqual(['builtin', 'pulse', 'v4l2']);
    expect(all.displayProviders.map((p) => p.name)).toEqual(['x11']);
  });

  it('auto on a machine with nothing: the three built-in devices', async () => {
    const tab = openTab({ providers: selectBackends(bare).providers, noBuiltinDevices: true });
    const gum = await tab.mediaDevices.getUserMedia({ audio: true, video: true });
    const kinds = (await tab.mediaDevices.enumerateDevices()).map((d) => [d.kind, d.label]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['audioinput', 'Built-in Microphone (synthetic)'],
        ['videoinput', 'Built-in Camera (synthetic)'],
        ['audiooutput', 'Built-in Speaker (synthetic)'],
      ]),
    );
    for (const t of gum.getTracks()) t.stop();
    tab.handle.uninstall();
  });

  it('auto with a file camera: the file replaces the built-in camera, the built-in microphone stays', async () => {
    const tab = openTab({ providers: selectBackends({ ...bare, backends: `auto,file:${video}` }).providers, noBuiltinDevices: true });
    const gum = await tab.mediaDevices.getUserMedia({ audio: true });
    const devices = (await tab.mediaDevices.enumerateDevices()).map((d) => [d.kind, d.label]);
    expect(devices.filter(([k]) => k === 'videoinput')).toEqual([['videoinput', 'File camera (camera.y4m)']]);
    expect(devices.filter(([k]) => k === 'audioinput')).toEqual([['audioinput', 'Built-in Microphone (synthetic)']]);
    const stream = await tab.mediaDevices.getUserMedia({ video: true });
    expect(stream.getVideoTracks()[0]!.label).toBe('File camera (camera.y4m)');
    for (const t of [...gum.getTracks(), ...stream.getTracks()]) t.stop();
    tab.handle.uninstall();
  });

  it('auto follows hot-plug: when the real microphone goes, the built-in one comes back, with a devicechange', async () => {
    const real = fakeMicrophones();
    const builtin = new BuiltinProvider();
    const shared = new SharedEnumeration(real);
    const tab = openTab({ providers: [new BuiltinFallback(builtin, [shared]), shared], noBuiltinDevices: true });
    // The camera is the built-in one (no real camera); opening it exposes the labels.
    const gum = await tab.mediaDevices.getUserMedia({ video: true });
    expect(gum.getVideoTracks()[0]!.label).toBe('Built-in Camera (synthetic)');
    const mics = async () => (await tab.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'audioinput').map((d) => d.label);
    expect(await mics()).toEqual(['USB Microphone']);
    const events = record(tab.mediaDevices, 'devicechange');
    real.unplug();
    await until(() => events.length > 0, 'devicechange');
    await tasks(5);
    expect(events).toEqual(['devicechange']);
    expect(await mics()).toEqual(['Built-in Microphone (synthetic)']);
    gum.getTracks()[0]!.stop();
    tab.handle.uninstall();
  });

  it('SharedEnumeration: the manager and the fallback asking at once run the real backend once', async () => {
    const real = fakeMicrophones();
    const shared = new SharedEnumeration(real);
    const fallback = new BuiltinFallback(new BuiltinProvider(), [shared]);
    await Promise.all([fallback.enumerate(), shared.enumerate()]);
    expect(real.calls).toBe(1);
    await shared.enumerate();
    expect(real.calls).toBe(2);
  });

  it('auto with a PulseAudio server that does not answer: the built-in microphone', async () => {
    const env = { PULSE_SERVER: `unix:${join(dir, 'no-such-socket')}`, PATH: process.env.PATH };
    const s = selectBackends({ env, hasPactl: () => true, hasVideoNodes: () => false });
    const listed = (await Promise.all(s.providers.map((p: DeviceProvider) => p.enumerate().catch(() => [])))).flat();
    expect(listed.map((d) => d.label)).toContain('Built-in Microphone (synthetic)');
  });
});

describe('getDisplayMedia without explicit display backends', () => {
  it('"builtin-screen" is the synthetic screen: the test pattern, as a monitor', async () => {
    const { screenTab } = await import('../x11/helpers.js');
    const { decodeFrameNumber } = await import('../../src/media/synthetic/index.js');
    const { attachSink } = await import('../../src/algorithms/track/sink.js');
    const { trackOf } = await import('../../src/interfaces/MediaStreamTrack.js');
    const { videoFramePlanes } = await import('../../src/webcodecs/internal.js');
    const selection = selectBackends({ ...bare, backends: 'builtin,builtin-screen' });
    expect(selection.displayProviders.map((p) => p.constructor)).toEqual([SyntheticScreen]);
    expect(selection.entries).toEqual(['builtin', 'builtin-screen']);
    const tab = screenTab(selection.displayProviders);
    const stream = await tab.mediaDevices.getDisplayMedia({ video: { width: 640 } });
    const track = stream.getVideoTracks()[0]!;
    expect(track.label).toBe('Synthetic screen');
    expect(track.getSettings()).toMatchObject({ width: 640, height: 360, frameRate: 30, displaySurface: 'monitor', cursor: 'never' });
    expect(track.getSettings().facingMode).toBeUndefined();
    expect(track.getCapabilities()).toMatchObject({ cursor: ['never'], width: { max: 1280, min: 1 } });
    const numbers: (number | null)[] = [];
    await new Promise<void>((resolve) => {
      const detach = attachSink(trackOf(track)!, {
        media(m) {
          const p = videoFramePlanes(m as never);
          numbers.push(decodeFrameNumber({ format: 'I420', width: p.codedWidth, height: p.codedHeight, data: p.data }));
          m.close();
          if (numbers.length === 3) (detach(), resolve());
        },
      });
    });
    expect(numbers.every((n) => typeof n === 'number')).toBe(true);
    track.stop();
    tab.handle.uninstall();
  });

  it('uses the automatic choice: MEDIACAPTURE_BACKENDS, here a file as the screen', async () => {
    expect(defaultDisplayProviders({ MEDIACAPTURE_BACKENDS: `screen-file:${video}` }).map((p) => p.constructor)).toEqual([FileProvider]);
    expect(defaultDisplayProviders({})).toEqual([]);
    expect(defaultDisplayProviders({ DISPLAY: ':0' }).map((p) => p.constructor)).toEqual([X11DisplayProvider]);
    expect(defaultDisplayProviders({ MEDIACAPTURE_BACKENDS: 'pulse' })).toEqual([]);
    const saved = process.env.MEDIACAPTURE_BACKENDS;
    process.env.MEDIACAPTURE_BACKENDS = `screen-file:${video}`;
    try {
      const tab = openTab({ permissions: { onPrompt: () => 'granted' } });
      const stream = await tab.mediaDevices.getDisplayMedia();
      expect(stream.getVideoTracks()[0]!.label).toBe(`Screen (${video})`);
      expect(stream.getVideoTracks()[0]!.getSettings()).toMatchObject({ width: 160, height: 120, frameRate: 10, displaySurface: 'monitor' });
      for (const t of stream.getTracks()) t.stop();
      tab.handle.uninstall();
    } finally {
      if (saved === undefined) delete process.env.MEDIACAPTURE_BACKENDS;
      else process.env.MEDIACAPTURE_BACKENDS = saved;
    }
  });
});
