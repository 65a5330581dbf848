/**
 * The backend registry (src/backends/registry.ts): an application's own camera and display
 * backends, registered through the public API, show up in enumerateDevices, getUserMedia and
 * getDisplayMedia, and in the backend list syntax and `auto`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  MediaStreamTrackProcessor,
  Source,
  VideoFrame,
  backendRegistry,
  parseBackendList,
  registerBackend,
  selectBackends,
  type DeviceDescriptor,
  type DeviceProvider,
  type VideoMode,
} from '../../src/index.js';
import { openTab, type Tab } from './harness.js';

/** A user's own source: a grey frame of the mode's size for every read, on a timer. */
class TestCard extends Source {
  #timer: NodeJS.Timeout | undefined;
  #timestamp = 0;

  protected override demandChanged(active: boolean): void {
    clearInterval(this.#timer);
    if (!active) return;
    const { width, height, frameRate } = this.mode as VideoMode;
    this.#timer = setInterval(() => {
      const pixels = new Uint8Array((width * height * 3) / 2).fill(128);
      this.emit(new VideoFrame(pixels, { format: 'I420', codedWidth: width, codedHeight: height, timestamp: this.#timestamp }));
      this.#timestamp += Math.round(1e6 / frameRate);
    }, 1000 / frameRate);
  }

  protected stopSource(): void {
    clearInterval(this.#timer);
  }
}

/** A provider of one device that opens TestCards. */
function oneDevice(name: string, device: DeviceDescriptor): DeviceProvider {
  return {
    name,
    enumerate: async () => [device],
    watch: () => () => {},
    open: async (d, request) => new TestCard(d, request.mode),
  };
}

const card: DeviceDescriptor = { rawId: 'card', kind: 'videoinput', label: 'Test card', groupKey: 'card', videoModes: [{ width: 320, height: 240, frameRate: 30 }] };
const wall: DeviceDescriptor = { rawId: 'wall', kind: 'videoinput', label: 'Wall screen', groupKey: 'wall', videoModes: [{ width: 640, height: 360, frameRate: 30 }] };

let cameraCreated = 0;
let wallSupported = true;
const unregister = [
  registerBackend({
    name: 'testcard',
    kinds: ['camera'],
    auto: false,
    supports: () => true,
    create: () => (cameraCreated++, oneDevice('testcard', card)),
  }),
  registerBackend({
    name: 'wallscreen',
    kinds: ['display'],
    supports: () => wallSupported,
    create: () => oneDevice('wallscreen', wall),
  }),
];
afterAll(() => unregister.forEach((u) => u()));

async function firstFrameSize(track: MediaStreamTrack): Promise<[number, number]> {
  const reader = new MediaStreamTrackProcessor({ track: track as never }).readable.getReader();
  const frame = (await reader.read()).value as VideoFrame;
  const size: [number, number] = [frame.codedWidth, frame.codedHeight];
  frame.close();
  reader.releaseLock();
  return size;
}

describe("an application's own backends", () => {
  const tabs: Tab[] = [];
  afterAll(() => tabs.forEach((t) => t.handle.uninstall()));

  it('a camera backend: enumerateDevices lists it, getUserMedia captures it (cropped and scaled)', async () => {
    const tab = openTab({ backends: 'testcard' });
    tabs.push(tab);
    const stream = await tab.mediaDevices.getUserMedia({ video: { width: 160, height: 120 } });
    const [track] = stream.getVideoTracks();
    expect(track!.label).toBe('Test card');
    expect(track!.getSettings()).toMatchObject({ width: 160, height: 120, frameRate: 30 });
    expect(await firstFrameSize(track as never)).toEqual([160, 120]);
    const devices = await tab.mediaDevices.enumerateDevices();
    expect(devices.map((d) => [d.kind, d.label])).toEqual([['videoinput', 'Test card']]);
    track!.stop();
  });

  it('a display backend: getDisplayMedia captures it; enumerateDevices never lists it', async () => {
    const tab = openTab({ backends: 'builtin,wallscreen', permissions: { onPrompt: () => 'granted' } });
    tabs.push(tab);
    const stream = await tab.mediaDevices.getDisplayMedia({ video: { width: 320 } });
    const [track] = stream.getVideoTracks();
    expect(track!.label).toBe('Wall screen');
    expect(track!.getSettings()).toMatchObject({ width: 320, height: 180, displaySurface: 'monitor' });
    expect(await firstFrameSize(track as never)).toEqual([320, 180]);
    expect((await tab.mediaDevices.enumerateDevices()).map((d) => d.label)).not.toContain('Wall screen');
    track!.stop();
  });

  it('is made once per process: two installations share its provider', () => {
    const before = cameraCreated;
    const a = openTab({ backends: 'testcard' });
    const b = openTab({ backends: 'testcard' });
    tabs.push(a, b);
    expect(a.handle.manager.providers[0]).toBe(b.handle.manager.providers[0]);
    expect(cameraCreated - before).toBeLessThanOrEqual(1);
  });

  it('takes part in the list syntax and in auto, where its supports() says yes', () => {
    expect(parseBackendList('testcard,wallscreen')).toEqual([{ kind: 'testcard' }, { kind: 'wallscreen' }]);
    expect(() => parseBackendList('testcard:x')).toThrow(/Known: auto, builtin, .*, testcard, wallscreen \(/);
    const bare = { env: {}, hasPactl: () => false, hasVideoNodes: () => false, hasSoundCards: () => false };
    // "auto: false" keeps the camera out of auto; the display backend is in while supported.
    expect(selectBackends(bare).entries).toEqual(['wallscreen', 'builtin (kinds without a real device)']);
    wallSupported = false;
    expect(selectBackends(bare).entries).toEqual(['builtin (kinds without a real device)']);
    wallSupported = true;
  });

  it('refuses a name that is taken or malformed, and kinds that mix encoder with devices', () => {
    const plugin = { name: 'testcard', kinds: ['camera'] as const, supports: () => true, create: () => oneDevice('x', card) };
    expect(() => registerBackend(plugin)).toThrow(/registered already/);
    expect(() => registerBackend({ ...plugin, name: 'my camera' })).toThrow(TypeError);
    expect(() => registerBackend({ ...plugin, name: 'auto' })).toThrow(TypeError);
    expect(() => registerBackend({ ...plugin, name: 'both', kinds: ['camera', 'encoder'] as never })).toThrow(/"encoder" alone/);
    expect(backendRegistry.get('both')).toBeUndefined();
  });

  it('an encoder backend: the recorder tries it before the package\'s ffmpeg', () => {
    const encoder = { name: 'mine', available: () => true, unavailableMessage: '', supports: () => false, start: () => { throw new Error('not used'); } };
    const off = registerBackend({ name: 'mine', kinds: ['encoder'], supports: () => true, create: () => encoder });
    expect(backendRegistry.encoders().map((e) => e.name)).toEqual(['mine', 'ffmpeg']);
    off();
    expect(backendRegistry.encoders().map((e) => e.name)).toEqual(['ffmpeg']);
  });

  it('is gone from the list syntax once unregistered', () => {
    const off = registerBackend({ name: 'brief', kinds: ['camera'], supports: () => true, create: () => oneDevice('brief', card) });
    expect(parseBackendList('brief')).toEqual([{ kind: 'brief' }]);
    off();
    expect(() => parseBackendList('brief')).toThrow(/Unknown device backend "brief"/);
  });
});
