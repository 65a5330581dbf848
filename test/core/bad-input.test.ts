import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MediaStream, MediaStreamTrackEvent, OverconstrainedError, DeviceChangeEvent } from '../../src/index.js';
import { openTab } from './harness.js';

const cyclic: any = { width: {} };
cyclic.width.ideal = cyclic;
cyclic.advanced = [cyclic];

const throwingGetter = Object.defineProperty({}, 'width', {
  enumerable: true,
  get() {
    throw new Error('getter threw');
  },
});

/** Values that are wrong for nearly every argument. */
const BAD_VALUES: unknown[] = [
  NaN, Infinity, -Infinity, -1, -0, 2 ** 53, 1e308, '', 'x', Symbol('s'), 10n, true, null, undefined,
  [], [1, 2], {}, () => {}, new Date(0), /re/, cyclic, throwingGetter, new Proxy({}, { get() { throw new Error('proxy'); } }),
  { video: NaN }, { video: { width: NaN } }, { video: { width: { min: -Infinity } } }, { video: { frameRate: Infinity } },
  { video: { advanced: new Array(100_000).fill({}) } }, { video: { advanced: 5 } }, { video: { advanced: [null] } },
  { video: { deviceId: [Symbol('x')] } }, { video: { deviceId: { exact: {} } } }, { audio: { sampleRate: { exact: -5 } } },
  { video: { aspectRatio: { ideal: NaN } } }, { video: { width: { exact: 2 ** 40 } } }, { video: cyclic }, { video: throwingGetter },
];

const ALLOWED_ERRORS = ['TypeError', 'OverconstrainedError', 'NotFoundError', 'NotAllowedError', 'Error'];

/** Runs `call` and returns the name of what it threw or rejected with, or 'ok'. */
async function outcome(call: () => unknown): Promise<string> {
  try {
    const r = call();
    if (r && typeof (r as Promise<unknown>).then === 'function') await r;
    return 'ok';
  } catch (e) {
    return e instanceof TypeError ? 'TypeError' : (e as { name?: string }).name ?? 'unknown';
  }
}

describe('bad input', () => {
  it('getUserMedia answers every bad argument with a TypeError or the spec\'s error, opens no device on a TypeError', async () => {
    for (const [i, value] of BAD_VALUES.entries()) {
      const tab = openTab();
      const name = await outcome(() => tab.mediaDevices.getUserMedia(value as any));
      expect(ALLOWED_ERRORS.concat('ok'), `BAD_VALUES[${i}]`).toContain(name);
      if (name === 'TypeError') expect(tab.handle.devices.openCount).toBe(0);
      tab.handle.uninstall();
    }
  });

  it('applyConstraints answers every bad argument with a TypeError or OverconstrainedError and keeps the settings', async () => {
    const tab = openTab();
    const track = (await tab.mediaDevices.getUserMedia({ video: true, audio: true })).getVideoTracks()[0]!;
    const before = track.getSettings();
    for (const value of BAD_VALUES) {
      const v = value && typeof value === 'object' && 'video' in (value as object) ? (value as any).video : value;
      const name = await outcome(() => track.applyConstraints(v as any));
      expect(['ok', 'TypeError', 'OverconstrainedError', 'Error']).toContain(name);
    }
    await track.applyConstraints({});
    expect(track.getSettings().deviceId).toBe(before.deviceId);
  });

  it('a getter that throws propagates its own error (WebIDL dictionary conversion)', async () => {
    const tab = openTab();
    await expect(tab.mediaDevices.getUserMedia({ video: throwingGetter } as any)).rejects.toThrow('getter threw');
    expect(tab.handle.devices.openCount).toBe(0);
  });

  it('huge advanced arrays are refused quickly', async () => {
    const tab = openTab();
    // Quickly: one item past the limit of 10,000 sets is read, not the 2^32 - 1 the length says.
    let reads = 0;
    const huge = new Proxy({ length: 2 ** 32 - 1, [Symbol.iterator]: Array.prototype[Symbol.iterator] }, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const err = await tab.mediaDevices.getUserMedia({ video: { advanced: huge } } as any).catch((e) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(reads).toBe(10_001);
  });

  it('random constraint objects never crash getUserMedia', async () => {
    const tab = openTab();
    const value = fc.oneof(fc.double(), fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }));
    const range = fc.dictionary(fc.constantFrom('min', 'max', 'exact', 'ideal', 'junk'), value);
    const set = fc.dictionary(fc.constantFrom('width', 'height', 'frameRate', 'aspectRatio', 'facingMode', 'deviceId', 'sampleRate', 'channelCount', 'echoCancellation', 'resizeMode', 'latency'), fc.oneof(value, range));
    await fc.assert(
      fc.asyncProperty(fc.record({ video: fc.oneof(fc.boolean(), set, fc.record({ advanced: fc.array(set, { maxLength: 3 }) })), audio: fc.oneof(fc.boolean(), set) }), async (constraints) => {
        const name = await outcome(() => tab.mediaDevices.getUserMedia(constraints as any).then((s) => s.getTracks().forEach((t) => t.stop())));
        expect(['ok', 'TypeError', 'OverconstrainedError']).toContain(name);
      }),
      { numRuns: 150 },
    );
    expect(tab.handle.devices.sourcesOf()).toHaveLength(0);
  });

  it('constructors and methods reject wrong types', async () => {
    const tab = openTab();
    const [track] = (await tab.mediaDevices.getUserMedia({ audio: true })).getTracks();
    const stream = new MediaStream();
    for (const bad of [null, 1, 'x', {}, Symbol('s'), [1]]) {
      expect(() => stream.addTrack(bad as any)).toThrow(TypeError);
      expect(() => stream.removeTrack(bad as any)).toThrow(TypeError);
      expect(() => new MediaStreamTrackEvent('addtrack', { track: bad } as any)).toThrow(TypeError);
    }
    expect(() => new MediaStream([track, 5] as any)).toThrow(TypeError);
    expect(() => stream.getTrackById(Symbol('s') as any)).toThrow(TypeError);
    expect(() => new OverconstrainedError(Symbol('s') as any)).toThrow(TypeError);
    expect(() => new DeviceChangeEvent('devicechange', { devices: [1] } as any)).toThrow(TypeError);
    expect(() => ((track as any).contentHint = Symbol('s'))).toThrow(TypeError);
    await expect(tab.navigator.permissions.query({ name: Symbol('s') })).rejects.toBeInstanceOf(TypeError);
  });
});
