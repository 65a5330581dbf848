import { describe, expect, it } from 'vitest';
import {
  DeviceChangeEvent, InputDeviceInfo, MediaDeviceInfo, MediaDevices, MediaStream, MediaStreamTrack,
  MediaStreamTrackEvent, OverconstrainedError, PermissionStatus, Permissions,
} from '../../src/index.js';
import { openTab, tasks } from './harness.js';

const prototypes: [string, any, string[]][] = [
  ['MediaStream', MediaStream, ['id', 'active', 'getTracks', 'getAudioTracks', 'getVideoTracks', 'getTrackById', 'addTrack', 'removeTrack', 'clone', 'onaddtrack', 'onremovetrack']],
  ['MediaStreamTrack', MediaStreamTrack, ['kind', 'id', 'label', 'enabled', 'muted', 'readyState', 'contentHint', 'clone', 'stop', 'getCapabilities', 'getConstraints', 'getSettings', 'applyConstraints', 'onmute', 'onunmute', 'onended']],
  ['MediaDevices', MediaDevices, ['enumerateDevices', 'getSupportedConstraints', 'getUserMedia', 'getDisplayMedia', 'ondevicechange']],
  ['MediaDeviceInfo', MediaDeviceInfo, ['deviceId', 'kind', 'label', 'groupId', 'toJSON']],
  ['InputDeviceInfo', InputDeviceInfo, ['getCapabilities']],
  ['MediaStreamTrackEvent', MediaStreamTrackEvent, ['track']],
  ['DeviceChangeEvent', DeviceChangeEvent, ['devices', 'userInsertedDevices']],
  ['OverconstrainedError', OverconstrainedError, ['constraint']],
  ['PermissionStatus', PermissionStatus, ['name', 'state', 'onchange']],
];

describe('WebIDL shape', () => {
  it.each(prototypes)('%s has its members on the prototype, enumerable, and a toStringTag', (name, ctor, members) => {
    for (const m of members) {
      const d = Object.getOwnPropertyDescriptor(ctor.prototype, m);
      expect(d, `${name}.${m}`).toBeDefined();
      expect(d!.enumerable, `${name}.${m} enumerable`).toBe(true);
    }
    expect(Object.prototype.toString.call(Object.create(ctor.prototype))).toBe(`[object ${name}]`);
  });

  it.each(prototypes)('%s brand-checks every getter and method', (name, ctor, members) => {
    for (const m of members) {
      const d = Object.getOwnPropertyDescriptor(ctor.prototype, m)!;
      const fn = d.get ?? d.value;
      if (typeof fn !== 'function') continue;
      let threw: unknown;
      try {
        const r = fn.call({});
        if (r instanceof Promise) r.catch(() => {});
        if (r instanceof Promise) continue; // promise-returning: checked below
      } catch (e) {
        threw = e;
      }
      expect(threw, `${name}.${m} on a plain object`).toBeInstanceOf(TypeError);
    }
  });

  it('promise-returning methods reject with TypeError on a wrong object', async () => {
    await expect(MediaDevices.prototype.getUserMedia.call({} as any, { video: true })).rejects.toBeInstanceOf(TypeError);
    await expect(MediaDevices.prototype.enumerateDevices.call({} as any)).rejects.toBeInstanceOf(TypeError);
    await expect(MediaStreamTrack.prototype.applyConstraints.call({} as any, {})).rejects.toBeInstanceOf(TypeError);
  });

  it('non-constructible interfaces throw "Illegal constructor"', () => {
    for (const ctor of [MediaStreamTrack, MediaDevices, MediaDeviceInfo, InputDeviceInfo, PermissionStatus, Permissions] as any[]) {
      expect(() => new ctor()).toThrow(/Illegal constructor/);
    }
  });

  it('constructible interfaces construct', () => {
    expect(new MediaStream()).toBeInstanceOf(EventTarget);
    const e = new OverconstrainedError('width', 'too wide');
    expect(e).toBeInstanceOf(DOMException);
    expect(e.name).toBe('OverconstrainedError');
    expect(e.code).toBe(0);
    expect(e.constraint).toBe('width');
    expect(e.message).toBe('too wide');
    expect(new OverconstrainedError('x').message).toBe('');
    expect(new DeviceChangeEvent('devicechange').devices).toEqual([]);
    expect(() => new (MediaStreamTrackEvent as any)('addtrack', {})).toThrow(TypeError);
  });
});

describe('event handler attributes', () => {
  it('keep their place among listeners when reassigned', async () => {
    const tab = openTab();
    const stream = await tab.mediaDevices.getUserMedia({ video: true });
    const [track] = stream.getTracks();
    const order: string[] = [];
    track!.onended = () => order.push('handler-1');
    track!.addEventListener('ended', () => order.push('listener'));
    track!.onended = () => order.push('handler-2');
    tab.handle.devices.unplug('builtin-camera');
    await tasks();
    expect(order).toEqual(['handler-2', 'listener']);
    expect(track!.onended).toBeTypeOf('function');
  });

  it('null removes the handler, and a new one goes to the end', async () => {
    const tab = openTab();
    const md = tab.mediaDevices;
    const order: string[] = [];
    md.ondevicechange = () => order.push('a');
    md.addEventListener('devicechange', () => order.push('listener'));
    md.ondevicechange = null;
    expect(md.ondevicechange).toBe(null);
    md.ondevicechange = () => order.push('b');
    md.dispatchEvent(new Event('devicechange'));
    expect(order).toEqual(['listener', 'b']);
    (md as any).ondevicechange = 42;
    expect(md.ondevicechange).toBe(null);
  });
});
