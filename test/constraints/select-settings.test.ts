import { describe, expect, test } from 'vitest';
import {
  type FailedSettings,
  type MediaTrackConstraints,
  type SelectedSettings,
  applyConstraints,
  fitnessDistance,
  normalizeConstraints,
  selectSettings,
} from '../../src/algorithms/constraints/index.js';
import type { DeviceDescriptor } from '../../src/media/modes.js';

const ids = { deviceId: 'cam-id', groupId: 'group-id' };

const camera: DeviceDescriptor = {
  rawId: '/dev/video0',
  kind: 'videoinput',
  label: 'Camera',
  groupKey: 'usb-1',
  videoModes: [
    { width: 1920, height: 1080, frameRate: 30 },
    { width: 1280, height: 720, frameRate: 60 },
    { width: 640, height: 480, frameRate: 30 },
    { width: 640, height: 480, frameRate: 15 },
  ],
};

const microphone: DeviceDescriptor = {
  rawId: 'alsa:mic',
  kind: 'audioinput',
  label: 'Microphone',
  groupKey: 'usb-1',
  audioModes: [
    { sampleRate: 48000, channelCount: 2, sampleSize: 16, latency: 0.01 },
    { sampleRate: 44100, channelCount: 1, sampleSize: 16, latency: 0.02 },
    { sampleRate: 16000, channelCount: 1, sampleSize: 32, latency: 0.005 },
  ],
  echoCancellation: [false, true],
  autoGainControl: [false],
  noiseSuppression: [true, false],
};

function select(device: DeviceDescriptor, constraints: MediaTrackConstraints, options = {}): SelectedSettings {
  const result = selectSettings(device, ids, constraints, options);
  if ('failed' in result) throw new Error(`expected settings, got failed constraint "${result.failed}"`);
  return result;
}
function failure(device: DeviceDescriptor, constraints: MediaTrackConstraints, options = {}): string {
  const result = selectSettings(device, ids, constraints, options);
  if (!('failed' in result)) throw new Error(`expected a failure, got ${JSON.stringify(result.settings)}`);
  return (result as FailedSettings).failed;
}
const size = (r: SelectedSettings) => `${r.settings.width}x${r.settings.height}@${r.settings.frameRate} ${r.settings.resizeMode}`;

describe('video settings', () => {
  test('unconstrained: the native mode closest to the UA defaults 640x480 at 30 Hz', () => {
    const r = select(camera, {});
    expect(r.settings).toEqual({
      aspectRatio: 1.3333333333,
      deviceId: 'cam-id',
      frameRate: 30,
      groupId: 'group-id',
      height: 480,
      resizeMode: 'none',
      width: 640,
    });
    expect(r.mode).toBe(camera.videoModes![2]);
    expect(r.distance).toBe(0);
  });

  test('settings members come in WebIDL (lexicographic) order', () => {
    expect(Object.keys(select({ ...camera, facingMode: 'user' }, {}).settings)).toEqual([
      'aspectRatio',
      'deviceId',
      'facingMode',
      'frameRate',
      'groupId',
      'height',
      'resizeMode',
      'width',
    ]);
  });

  test('an ideal that a native mode meets picks that mode, uncropped', () => {
    expect(size(select(camera, { width: 1280, height: 720 }))).toBe('1280x720@60 none');
    expect(size(select(camera, { width: 1920 }))).toBe('1920x1080@30 none');
    expect(size(select(camera, { frameRate: 60 }))).toBe('1280x720@60 none');
  });

  test('an ideal between native modes is met exactly by crop-and-scale', () => {
    const r = select(camera, { width: 1000, height: 600 });
    expect(size(r)).toMatch(/^1000x600@\d+ crop-and-scale$/);
    expect(r.distance).toBe(0);
    expect(r.mode.width).toBeGreaterThanOrEqual(1000);
  });

  test('crop-and-scale keeps the native aspect ratio when only one dimension is asked for', () => {
    expect(size(select(camera, { width: { max: 320 } }))).toBe('320x240@30 crop-and-scale');
    for (const r of [select(camera, { height: 360 }), select(camera, { width: 1000 }), select(camera, { height: { max: 100 } })]) {
      expect(r.settings.resizeMode).toBe('crop-and-scale');
      expect(r.settings.width! / r.settings.height!).toBeCloseTo(r.mode.width / r.mode.height, 2);
    }
  });

  test('the example "width {min: 640, ideal: 1280}, height {min: 480, ideal: 720}, aspectRatio 3/2, frameRate {min: 20}"', () => {
    const r = select(camera, { width: { min: 640, ideal: 1280 }, height: { min: 480, ideal: 720 }, aspectRatio: 3 / 2, frameRate: { min: 20 } });
    expect(r.settings.width).toBeGreaterThanOrEqual(640);
    expect(r.settings.height).toBeGreaterThanOrEqual(480);
    expect(r.settings.frameRate).toBeGreaterThanOrEqual(20);
    // Two of the three ideals can be met together (1280x720 is 16:9); the distance is the third's.
    expect(r.distance).toBeCloseTo(Math.min((16 / 9 - 1.5) / (16 / 9), 1 - 720 / 853.33333, 1 - 1080 / 1280), 3);
  });

  test('frameRate below native is reached by decimation (crop-and-scale)', () => {
    const r = select(camera, { frameRate: { exact: 10 } });
    expect(r.settings.frameRate).toBe(10);
    expect(r.settings.resizeMode).toBe('crop-and-scale');
  });

  test('frameRate must stay positive', () => {
    expect(failure(camera, { frameRate: { max: 0 } })).toBe('frameRate');
    expect(select(camera, { frameRate: { min: 0, max: 0.5 } }).settings.frameRate).toBe(0.5);
  });

  test('resizeMode "none" allows native modes only', () => {
    expect(size(select(camera, { resizeMode: { exact: 'none' }, width: 1000 }))).toBe('1280x720@60 none');
    expect(failure(camera, { resizeMode: { exact: 'none' }, width: { exact: 1000 } })).toBe('');
    expect(failure(camera, { resizeMode: { exact: 'bogus' } })).toBe('resizeMode');
  });

  test('exact aspect ratios: met by whole-pixel sizes, rejected when none has that ratio', () => {
    const r = select(camera, { aspectRatio: { exact: 1.5 } });
    expect(r.settings.aspectRatio).toBe(1.5);
    expect(r.settings.width! / r.settings.height!).toBe(1.5);
    expect(failure(camera, { aspectRatio: { exact: 1.23456789 } })).toBe('aspectRatio');
    expect(failure(camera, { aspectRatio: { exact: 1921 } })).toBe('aspectRatio');
    expect(select(camera, { aspectRatio: { exact: 1920 } }).settings).toMatchObject({ width: 1920, height: 1 });
  });

  test('upscaling is never offered', () => {
    expect(failure(camera, { width: { min: 1921 } })).toBe('width');
    expect(failure(camera, { height: { exact: 1081 } })).toBe('height');
    expect(failure(camera, { frameRate: { min: 61 } })).toBe('frameRate');
    expect(size(select(camera, { width: 4000, height: 3000, frameRate: 120 }))).toBe('1920x1080@30 none');
  });

  test('facingMode: exact on a camera that does not know its direction fails; ideal costs 1', () => {
    expect(failure(camera, { facingMode: { exact: 'user' } })).toBe('facingMode');
    expect(select(camera, { facingMode: 'user' }).distance).toBe(1);
    const front = { ...camera, facingMode: 'user' as const };
    expect(select(front, { facingMode: { exact: ['environment', 'user'] } }).settings.facingMode).toBe('user');
    expect(failure(front, { facingMode: { exact: 'environment' } })).toBe('facingMode');
  });
});

describe('deviceId and groupId', () => {
  test('exact ids select or reject the device', () => {
    expect(select(camera, { deviceId: { exact: 'cam-id' } }).settings.deviceId).toBe('cam-id');
    expect(failure(camera, { deviceId: { exact: 'other' } })).toBe('deviceId');
    expect(failure(camera, { groupId: { exact: ['a', 'b'] } })).toBe('groupId');
    expect(select(camera, { groupId: { exact: ['a', 'group-id'] } }).settings.groupId).toBe('group-id');
  });
  test('a bare id in the basic set is ideal: another device still qualifies, at distance 1', () => {
    expect(select(camera, { deviceId: 'other' }).distance).toBe(1);
    expect(select(camera, { deviceId: 'cam-id' }).distance).toBe(0);
  });
  test('a bare id in an advanced set is exact', () => {
    const r = select(camera, { width: 1280, advanced: [{ deviceId: 'other', width: 640 }] });
    expect(r.settings.width).toBe(1280);
  });
});

describe('OverconstrainedError.constraint', () => {
  test('names the first required constraint that no settings dictionary satisfies', () => {
    expect(failure(camera, { width: { min: 2000 } })).toBe('width');
    expect(failure(camera, { width: { min: 100 }, height: { max: 0 } })).toBe('height');
    expect(failure(camera, { frameRate: { min: 100 }, width: { min: 5000 } })).toBe('frameRate');
  });
  test('is "" when each required constraint alone can be met but not together', () => {
    expect(failure(camera, { width: { min: 1800 }, frameRate: { min: 45 } })).toBe('');
    expect(failure(camera, { resizeMode: { exact: 'none' }, frameRate: { exact: 15 }, width: { exact: 1280 } })).toBe('');
  });
  test('ideal-only constraints never fail', () => {
    expect(select(camera, { width: 99999, deviceId: 'x', facingMode: 'left', aspectRatio: 0.001 }).distance).toBeGreaterThan(0);
  });
  test('a device with no modes has no settings dictionaries', () => {
    expect(failure({ ...camera, videoModes: [] }, {})).toBe('');
    expect(failure({ ...camera, videoModes: [] }, { width: { min: 1 } })).toBe('');
  });
});

describe('advanced constraint sets', () => {
  test('the spec example: 1920x1280 cannot be met and is skipped; 4:3 then applies', () => {
    const r = select(camera, {
      width: { min: 640, ideal: 1280 },
      height: { min: 480, ideal: 720 },
      frameRate: { min: 30 },
      advanced: [{ width: 1920, height: 1280 }, { aspectRatio: 4 / 3 }, { frameRate: { min: 50 } }, { frameRate: { min: 40 } }],
    });
    expect(r.settings.aspectRatio).toBe(1.3333333333);
    expect(r.settings.frameRate).toBeGreaterThanOrEqual(50);
    // 4:3 at >= 50 Hz and >= 640x480 comes only from the 1280x720@60 mode, at most 960x720.
    expect(r.settings).toMatchObject({ width: 960, height: 720, resizeMode: 'crop-and-scale' });
    expect(r.mode).toBe(camera.videoModes![1]);
  });

  test('order matters: of two sets that cannot both hold, the first wins', () => {
    expect(select(camera, { advanced: [{ width: 1920 }, { width: 640 }] }).settings.width).toBe(1920);
    expect(select(camera, { advanced: [{ width: 640 }, { width: 1920 }] }).settings.width).toBe(640);
  });

  test('a set is satisfied as a whole or skipped as a whole', () => {
    // {width: 1920, frameRate: 60} cannot hold together; neither part may leak through.
    const r = select(camera, { width: 1280, frameRate: 30, advanced: [{ width: 1920, frameRate: 60 }] });
    expect(size(r)).toBe('1280x720@30 crop-and-scale');
  });

  test('a skipped set does not stop later ones', () => {
    const r = select(camera, { advanced: [{ width: 4000 }, { height: 720 }, { frameRate: { max: 20 } }] });
    expect(r.settings.height).toBe(720);
    expect(r.settings.frameRate).toBeLessThanOrEqual(20);
  });

  test('kept sets narrow the candidates before the basic ideals choose', () => {
    const r = select(camera, { width: 1920, advanced: [{ width: { max: 800 } }] });
    expect(r.settings.width).toBe(800);
    expect(r.distance).toBeCloseTo(1 - 800 / 1920, 12);
  });

  test('advanced sets are never required: all may be skipped', () => {
    expect(size(select(camera, { advanced: [{ width: 1 , height: 1081 }, { deviceId: 'nope' }] }))).toBe('640x480@30 none');
  });

  test('the basic set is required before advanced sets are looked at', () => {
    expect(failure(camera, { width: { exact: 5000 }, advanced: [{ width: 640 }] })).toBe('width');
  });
});

describe('audio settings', () => {
  test('unconstrained: the first (system default) mode, processing on where the device can', () => {
    const r = select(microphone, {});
    expect(r.settings).toEqual({
      autoGainControl: false,
      channelCount: 2,
      deviceId: 'cam-id',
      echoCancellation: true,
      groupId: 'group-id',
      latency: 0.01,
      noiseSuppression: true,
      sampleRate: 48000,
      sampleSize: 16,
    });
    expect(r.mode).toBe(microphone.audioModes![0]);
  });

  test('numeric constraints pick among the native modes', () => {
    expect(select(microphone, { sampleRate: 44100 }).settings.sampleRate).toBe(44100);
    expect(select(microphone, { sampleRate: 22050 }).settings.sampleRate).toBe(16000);
    expect(select(microphone, { sampleSize: { exact: 32 } }).settings.sampleRate).toBe(16000);
    expect(select(microphone, { channelCount: 1, latency: { max: 0.015 } }).settings.sampleRate).toBe(16000);
    expect(failure(microphone, { sampleRate: { exact: 22050 } })).toBe('sampleRate');
  });

  test('processing switches', () => {
    expect(select(microphone, { echoCancellation: false }).settings.echoCancellation).toBe(false);
    expect(select(microphone, { noiseSuppression: { exact: false } }).settings.noiseSuppression).toBe(false);
    expect(failure(microphone, { autoGainControl: { exact: true } })).toBe('autoGainControl');
    expect(failure(microphone, { echoCancellation: { exact: 'remote-only' } })).toBe('echoCancellation');
    expect(select(microphone, { autoGainControl: true }).distance).toBe(1);
  });

  test('video constraints do not apply to audio tracks, even required ones', () => {
    const r = select(microphone, { width: { exact: 5 }, facingMode: { exact: 'user' }, resizeMode: { exact: 'none' } });
    expect(r.settings.width).toBeUndefined();
    expect(r.distance).toBe(0);
  });

  test('audio constraints do not apply to video tracks', () => {
    expect(select(camera, { sampleRate: { exact: 5 }, echoCancellation: { exact: true } }).distance).toBe(0);
  });
});

describe('options', () => {
  test('restrictToMode keeps only what that native mode can produce', () => {
    const running = camera.videoModes![1]!; // 1280x720@60
    expect(size(select(camera, { width: 1920 }, { restrictToMode: running }))).toBe('1280x720@60 none');
    expect(size(select(camera, { width: 640, height: 480 }, { restrictToMode: running }))).toBe('640x480@60 crop-and-scale');
    expect(failure(camera, { width: { min: 1300 } }, { restrictToMode: running })).toBe('width');
    // An equal mode object (not the same one) is recognised too.
    expect(select(camera, {}, { restrictToMode: { width: 1280, height: 720, frameRate: 60 } }).mode).toBe(running);
  });

  test('restrictToMode for audio', () => {
    const mode = microphone.audioModes![2]!;
    expect(select(microphone, { sampleRate: 48000 }, { restrictToMode: mode }).settings.sampleRate).toBe(16000);
  });

  test('extra settings join every candidate and make their properties apply', () => {
    const extra = { displaySurface: 'monitor', logicalSurface: true, cursor: 'always' };
    const r = select(camera, {}, { extra });
    expect(r.settings).toMatchObject(extra);
    expect(failure(camera, { cursor: { exact: 'never' } }, { extra })).toBe('cursor');
    expect(failure(camera, { logicalSurface: { exact: false } }, { extra })).toBe('logicalSurface');
    expect(select(camera, { cursor: { exact: ['never', 'always'] } }, { extra }).settings.cursor).toBe('always');
    // displaySurface is only a hint for the picker: it never fails.
    expect(select(camera, { displaySurface: { exact: 'window' } }, { extra }).distance).toBe(0);
  });

  test('Screen Capture properties do not apply to a camera', () => {
    expect(select(camera, { cursor: { exact: 'never' }, logicalSurface: { exact: true } }).distance).toBe(0);
  });
});

describe('forms of input and results', () => {
  test('normalized constraints from other callers may hold fractions: sizes stay whole pixels', () => {
    const between = { basic: [{ name: 'width', type: 'numeric', min: 639.2, max: 639.8 }], advanced: [] } as const;
    expect(selectSettings(camera, ids, between)).toEqual({ failed: 'width' });
    const above = { basic: [{ name: 'height', type: 'numeric', min: 99.5, max: 100.5 }], advanced: [] } as const;
    expect(select(camera, above as never).settings.height).toBe(100);
  });

  test('the IDL dictionary and its normalized form give the same result', () => {
    const constraints: MediaTrackConstraints = { width: { min: 300, ideal: 700 }, aspectRatio: 1.5, advanced: [{ frameRate: 15 }] };
    expect(selectSettings(camera, ids, normalizeConstraints(constraints))).toEqual(selectSettings(camera, ids, constraints));
  });

  test('distance is the fitness distance of the settings to the basic set, bare values as ideal', () => {
    const constraints: MediaTrackConstraints = { width: 1000, height: 1000, frameRate: 24, facingMode: 'user' };
    const r = select(camera, constraints);
    expect(r.distance).toBe(fitnessDistance(r.settings as never, normalizeConstraints(constraints).basic, 'ideal', (n) => n !== 'sampleRate'));
    expect(r.distance).toBe(1); // 1000x1000 at 24 Hz by crop-and-scale; no facingMode setting costs 1
  });

  test('applyConstraints returns the settings, or the failed constraint', () => {
    expect(applyConstraints(camera, ids, { width: { exact: 640 } })).toMatchObject({ settings: { width: 640 } });
    expect(applyConstraints(camera, ids, { width: { exact: 641 }, height: 1 })).toMatchObject({ settings: { width: 641 } });
    expect(applyConstraints(camera, ids, { width: { exact: 6400 } })).toEqual({ failedConstraint: 'width' });
    expect(applyConstraints(camera, ids, { width: { min: 1800 }, frameRate: { min: 45 } })).toEqual({ failedConstraint: '' });
  });
});
