import { describe, expect, it } from 'vitest';
import { Source, type DeviceDescriptor, type DeviceProvider } from '../../src/index.js';
import { openTab, tasks } from './harness.js';

/** A minimal backend, as a plug-in author would write one. */
class TestSource extends Source {
  stopped_ = 0;
  protected stopSource(): void {
    this.stopped_++;
  }
  fail(): void {
    this.end('backend failure');
  }
}

function provider(open: DeviceProvider['open']): DeviceProvider & { devices: DeviceDescriptor[]; fire(): void } {
  const listeners = new Set<() => void>();
  const p = {
    name: 'test',
    devices: [{ rawId: 'cam', kind: 'videoinput', label: 'Plug-in Camera', groupKey: 'g', videoModes: [{ width: 320, height: 240, frameRate: 15 }] }] as DeviceDescriptor[],
    enumerate: async () => p.devices,
    watch: (l: () => void) => (listeners.add(l), () => listeners.delete(l)),
    open,
    fire: () => listeners.forEach((l) => l()),
  };
  return p;
}

describe('DeviceProvider plug-ins', () => {
  it('a provider\'s devices are listed and opened; the last stop releases the source', async () => {
    let source: TestSource | undefined;
    const p = provider(async (device, request) => (source = new TestSource(device, request.mode)));
    const tab = openTab({ providers: [p], noBuiltinDevices: true });
    const track = (await tab.mediaDevices.getUserMedia({ video: true })).getVideoTracks()[0]!;
    expect(track.label).toBe('Plug-in Camera');
    expect(track.getSettings()).toMatchObject({ width: 320, height: 240, frameRate: 15 });
    const clone = track.clone();
    track.stop();
    expect(source!.stopped_).toBe(0);
    clone.stop();
    expect(source!.stopped_).toBe(1);
  });

  it('a backend failure ends each track once, through the task queue', async () => {
    let source: TestSource | undefined;
    const p = provider(async (device, request) => (source = new TestSource(device, request.mode)));
    const tab = openTab({ providers: [p], noBuiltinDevices: true });
    const track = (await tab.mediaDevices.getUserMedia({ video: true })).getVideoTracks()[0]!;
    let ended = 0;
    track.onended = () => ended++;
    source!.fail();
    source!.fail();
    expect(track.readyState).toBe('live');
    await tasks();
    expect(ended).toBe(1);
    expect(source!.stopped_).toBe(1);
  });

  it('an open that fails for a reason other than the hardware is an AbortError', async () => {
    const p = provider(async () => {
      throw new Error('backend bug');
    });
    const tab = openTab({ providers: [p], noBuiltinDevices: true });
    const err = await tab.mediaDevices.getUserMedia({ video: true }).catch((e) => e);
    expect(err.name).toBe('AbortError');
    expect(err.message).toMatch(/backend bug/);
  });

  it('a provider that cannot list contributes nothing instead of failing enumerateDevices', async () => {
    const broken: DeviceProvider = { name: 'broken', enumerate: async () => { throw new Error('down'); }, watch: () => () => {}, open: async () => { throw new Error('no'); } };
    const tab = openTab({ providers: [broken] });
    await tab.mediaDevices.getUserMedia({ audio: true });
    expect((await tab.mediaDevices.enumerateDevices()).length).toBeGreaterThan(0);
  });

  it('watch() notifications run the device change steps', async () => {
    const p = provider(async (device, request) => new TestSource(device, request.mode));
    const tab = openTab({ providers: [p], noBuiltinDevices: true });
    await tab.mediaDevices.getUserMedia({ video: true });
    await tab.mediaDevices.enumerateDevices();
    let fired = 0;
    tab.mediaDevices.ondevicechange = () => fired++;
    p.devices = [...p.devices, { rawId: 'cam2', kind: 'videoinput', label: 'Second', groupKey: 'h', videoModes: [{ width: 640, height: 480, frameRate: 30 }] }];
    p.fire();
    await tasks(6);
    expect(fired).toBe(1);
  });
});
