import { describe, expect, test } from 'vitest';
import {
  ALLOWED_REQUIRED_CONSTRAINTS_FOR_DEVICE_SELECTION,
  capabilitiesOf,
  getSupportedConstraints,
  normalizeConstraints,
  selectSettings,
} from '../../src/algorithms/constraints/index.js';
import type { DeviceDescriptor } from '../../src/media/modes.js';

const ids = { deviceId: 'dev', groupId: 'grp' };

const camera: DeviceDescriptor = {
  rawId: '/dev/video0',
  kind: 'videoinput',
  label: 'Camera',
  groupKey: 'g',
  facingMode: 'environment',
  videoModes: [
    { width: 1280, height: 720, frameRate: 30 },
    { width: 640, height: 800, frameRate: 60 },
  ],
};

const microphone: DeviceDescriptor = {
  rawId: 'mic',
  kind: 'audioinput',
  label: 'Mic',
  groupKey: 'g',
  audioModes: [
    { sampleRate: 48000, channelCount: 2, sampleSize: 16, latency: 0.01 },
    { sampleRate: 8000, channelCount: 1, sampleSize: 24, latency: 0.04 },
  ],
  echoCancellation: [true, false],
  noiseSuppression: [true],
};

describe('capabilitiesOf', () => {
  test('video: ranges span what crop-and-scale reaches, from 1 pixel and 0 Hz to the largest native values', () => {
    const caps = capabilitiesOf(camera, ids);
    expect(caps).toEqual({
      aspectRatio: { max: 1280, min: 0.00125 },
      deviceId: 'dev',
      facingMode: ['environment'],
      frameRate: { max: 60, min: 0 },
      groupId: 'grp',
      height: { max: 800, min: 1 },
      resizeMode: ['none', 'crop-and-scale'],
      width: { max: 1280, min: 1 },
    });
    expect(Object.keys(caps)).toEqual(['aspectRatio', 'deviceId', 'facingMode', 'frameRate', 'groupId', 'height', 'resizeMode', 'width']);
    expect(Object.keys(caps.width!)).toEqual(['max', 'min']);
  });

  test('video: every setting SelectSettings can choose lies within the capabilities', () => {
    const caps = capabilitiesOf(camera, ids);
    for (const constraints of [{}, { width: 1 }, { height: 1 }, { width: 5000, height: 5000 }, { aspectRatio: 10000 }, { aspectRatio: 0.00001 }, { frameRate: 0.001 }]) {
      const r = selectSettings(camera, ids, constraints);
      if ('failed' in r) throw new Error('unexpected failure');
      const s = r.settings;
      expect(s.width).toBeGreaterThanOrEqual(caps.width!.min!);
      expect(s.width).toBeLessThanOrEqual(caps.width!.max!);
      expect(s.height).toBeGreaterThanOrEqual(caps.height!.min!);
      expect(s.height).toBeLessThanOrEqual(caps.height!.max!);
      expect(s.aspectRatio).toBeGreaterThanOrEqual(caps.aspectRatio!.min!);
      expect(s.aspectRatio).toBeLessThanOrEqual(caps.aspectRatio!.max!);
      expect(s.frameRate).toBeGreaterThan(caps.frameRate!.min!);
      expect(s.frameRate).toBeLessThanOrEqual(caps.frameRate!.max!);
      expect(caps.resizeMode).toContain(s.resizeMode);
    }
    // The aspect ratio extremes are reached: 1280x1 and 1x800.
    expect(selectSettings(camera, ids, { aspectRatio: { exact: 1280 } })).toMatchObject({ settings: { width: 1280, height: 1 } });
    expect(selectSettings(camera, ids, { aspectRatio: { exact: 1 / 800 } })).toMatchObject({ settings: { width: 1, height: 800 } });
  });

  test('video: a camera that does not know its direction reports no facing modes', () => {
    const { facingMode: _, ...unknown } = camera;
    expect(capabilitiesOf(unknown, ids).facingMode).toEqual([]);
  });

  test('audio: ranges over the native modes; processing switches as the device offers them', () => {
    const caps = capabilitiesOf(microphone, ids);
    expect(caps).toEqual({
      autoGainControl: [false],
      channelCount: { max: 2, min: 1 },
      deviceId: 'dev',
      echoCancellation: [true, false],
      groupId: 'grp',
      latency: { max: 0.04, min: 0.01 },
      noiseSuppression: [true],
      sampleRate: { max: 48000, min: 8000 },
      sampleSize: { max: 24, min: 16 },
    });
    expect(Object.keys(caps)).toEqual([...Object.keys(caps)].sort());
  });

  test('devices without modes report only what does not depend on them', () => {
    expect(capabilitiesOf({ ...camera, videoModes: [] }, ids)).toEqual({
      deviceId: 'dev',
      facingMode: ['environment'],
      groupId: 'grp',
      resizeMode: ['none', 'crop-and-scale'],
    });
    expect(capabilitiesOf({ ...microphone, audioModes: undefined }, ids)).toEqual({
      autoGainControl: [false],
      deviceId: 'dev',
      echoCancellation: [true, false],
      groupId: 'grp',
      noiseSuppression: [true],
    });
  });
});

describe('getSupportedConstraints', () => {
  test('true for every supported property, in WebIDL order, and nothing else', () => {
    const supported = getSupportedConstraints();
    expect(supported).toEqual({
      aspectRatio: true,
      autoGainControl: true,
      channelCount: true,
      cursor: true,
      deviceId: true,
      displaySurface: true,
      echoCancellation: true,
      facingMode: true,
      frameRate: true,
      groupId: true,
      height: true,
      latency: true,
      logicalSurface: true,
      noiseSuppression: true,
      resizeMode: true,
      restrictOwnAudio: true,
      sampleRate: true,
      sampleSize: true,
      suppressLocalAudioPlayback: true,
      width: true,
    });
    expect(Object.keys(supported)).toEqual([...Object.keys(supported)].sort());
    expect(supported).not.toHaveProperty('backgroundBlur');
  });

  test('returns a new dictionary each time', () => {
    const a = getSupportedConstraints();
    a.width = false;
    expect(getSupportedConstraints().width).toBe(true);
  });

  test('every property allowed as required in device selection is supported', () => {
    const supported = getSupportedConstraints();
    for (const name of ALLOWED_REQUIRED_CONSTRAINTS_FOR_DEVICE_SELECTION) expect(supported[name]).toBe(true);
  });
});

describe('normalizeConstraints', () => {
  test('keeps bare values apart from exact and ideal, lists as lists, drops empty constraints', () => {
    expect(
      normalizeConstraints({
        width: 640,
        height: { min: 480, ideal: 720 },
        facingMode: 'user',
        deviceId: { exact: ['a', 'b'], ideal: [] },
        groupId: [],
        echoCancellation: { ideal: 'all' },
        frameRate: {},
        advanced: [{ width: 1920 }, {}],
      }),
    ).toEqual({
      basic: [
        { name: 'deviceId', type: 'discrete', exact: ['a', 'b'] },
        { name: 'echoCancellation', type: 'discrete', ideal: ['all'] },
        { name: 'facingMode', type: 'discrete', bare: ['user'] },
        { name: 'height', type: 'numeric', min: 480, ideal: 720 },
        { name: 'width', type: 'numeric', bare: 640 },
      ],
      advanced: [[{ name: 'width', type: 'numeric', bare: 1920 }], []],
    });
  });

  test('rounds aspectRatio values to the tenth decimal place, like the setting', () => {
    expect(normalizeConstraints({ aspectRatio: { min: 4 / 3, ideal: 16 / 9 } }).basic).toEqual([
      { name: 'aspectRatio', type: 'numeric', min: 1.3333333333, ideal: 1.7777777778 },
    ]);
  });
});
