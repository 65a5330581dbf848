import { describe, expect, test } from 'vitest';
import {
  type MediaTrackConstraintSet,
  type NormalizedConstraint,
  type SettingsDictionary,
  fitnessDistance,
  normalizeConstraintSet,
  roundAspectRatio,
} from '../../src/algorithms/constraints/index.js';

/** A camera's settings dictionary. */
const camera: SettingsDictionary = {
  aspectRatio: roundAspectRatio(1280 / 720),
  deviceId: 'cam-1',
  facingMode: 'user',
  frameRate: 30,
  groupId: 'group-1',
  height: 720,
  resizeMode: 'none',
  width: 1280,
};

const microphone: SettingsDictionary = {
  autoGainControl: false,
  channelCount: 2,
  deviceId: 'mic-1',
  echoCancellation: true,
  groupId: 'group-1',
  latency: 0.01,
  noiseSuppression: false,
  sampleRate: 48000,
  sampleSize: 16,
};

const videoProperties = new Set(['width', 'height', 'aspectRatio', 'frameRate', 'facingMode', 'resizeMode', 'deviceId', 'groupId']);
const appliesToVideo = (name: string) => videoProperties.has(name);

/** Fitness distance of the camera settings to a constraint set written as script would. */
function basic(set: MediaTrackConstraintSet, settings = camera): number {
  return fitnessDistance(settings, normalizeConstraintSet(set), 'ideal', appliesToVideo);
}
function advanced(set: MediaTrackConstraintSet, settings = camera): number {
  return fitnessDistance(settings, normalizeConstraintSet(set), 'exact', appliesToVideo);
}

describe('step 1: unsupported constraints', () => {
  test('a constraint the implementation does not support adds 0, even when required', () => {
    const unsupported = { name: 'backgroundBlur', type: 'discrete', exact: [true] } as unknown as NormalizedConstraint;
    expect(fitnessDistance(camera, [unsupported], 'ideal')).toBe(0);
  });
  test('normalization drops unsupported members, so they cannot fail', () => {
    expect(normalizeConstraintSet({ backgroundBlur: { exact: true } } as MediaTrackConstraintSet)).toEqual([]);
  });
});

describe('step 2: required constraints', () => {
  test.each([
    [{ width: { min: 1281 } }, Infinity],
    [{ width: { min: 1280 } }, 0],
    [{ width: { max: 1279 } }, Infinity],
    [{ width: { max: 1280 } }, 0],
    [{ width: { exact: 1281 } }, Infinity],
    [{ width: { exact: 1280 } }, 0],
    [{ frameRate: { min: 30.000001 } }, Infinity],
    [{ frameRate: { exact: 30 } }, 0],
    [{ facingMode: { exact: 'environment' } }, Infinity],
    [{ facingMode: { exact: ['environment', 'user'] } }, 0],
    [{ resizeMode: { exact: 'crop-and-scale' } }, Infinity],
    [{ deviceId: { exact: 'cam-2' } }, Infinity],
    [{ deviceId: { exact: 'cam-1' } }, 0],
    [{ groupId: { exact: 'group-2' } }, Infinity],
    [{ width: { min: 640, max: 1920 } }, 0],
    [{ width: { min: 1920, max: 640 } }, Infinity],
  ] as [MediaTrackConstraintSet, number][])('%j → %s', (set, expected) => {
    expect(basic(set)).toBe(expected);
  });

  test('a required constraint on a setting the object does not have is infinite', () => {
    const { facingMode: _, ...noFacing } = camera;
    expect(basic({ facingMode: { exact: 'user' } }, noFacing)).toBe(Infinity);
  });

  test('a bare value is exact in an advanced set and ideal in the basic set', () => {
    expect(advanced({ width: 1920 })).toBe(Infinity);
    expect(advanced({ width: 1280 })).toBe(0);
    expect(basic({ width: 1920 })).toBeCloseTo(640 / 1920, 15);
    expect(advanced({ facingMode: 'environment' })).toBe(Infinity);
    expect(basic({ facingMode: 'environment' })).toBe(1);
    expect(advanced({ facingMode: ['environment', 'user'] })).toBe(0);
  });

  test('min, max and exact read the same in advanced sets', () => {
    expect(advanced({ width: { min: 1281 } })).toBe(Infinity);
    expect(advanced({ width: { max: 1280, ideal: 640 } })).toBeCloseTo(0.5, 15);
  });

  test('a required constraint that is met still adds its ideal term', () => {
    // w3c/mediacapture-main PR #722: {min, ideal} is required and scored by its ideal.
    expect(basic({ width: { min: 320, ideal: 1920 } })).toBeCloseTo(640 / 1920, 15);
  });
});

describe('step 3: constraints that do not apply to the object', () => {
  test('an audio constraint on a video track adds 0, even when required', () => {
    expect(basic({ sampleRate: { exact: 44100 } })).toBe(0);
    expect(basic({ echoCancellation: { exact: true } })).toBe(0);
  });
  test('a video constraint on an audio track adds 0', () => {
    const appliesToAudio = (name: string) => !videoProperties.has(name) || name === 'deviceId' || name === 'groupId';
    expect(fitnessDistance(microphone, normalizeConstraintSet({ width: { exact: 7 } }), 'ideal', appliesToAudio)).toBe(0);
  });
  test('displaySurface never counts (Screen Capture: it "can therefore not cause ... OverconstrainedError")', () => {
    const display = { ...camera, displaySurface: 'window' };
    expect(fitnessDistance(display, normalizeConstraintSet({ displaySurface: { exact: 'monitor' } }), 'ideal')).toBe(0);
    expect(fitnessDistance(display, normalizeConstraintSet({ displaySurface: 'monitor' }), 'exact')).toBe(0);
  });
  test('with no applicability given, every supported property applies', () => {
    expect(fitnessDistance(camera, normalizeConstraintSet({ sampleRate: { exact: 44100 } }), 'ideal')).toBe(Infinity);
  });
});

describe('step 5: a setting that does not exist', () => {
  test('an ideal on a missing setting is 1', () => {
    const { facingMode: _, ...noFacing } = camera;
    expect(basic({ facingMode: 'user' }, noFacing)).toBe(1);
    expect(basic({ facingMode: { ideal: 'user' } }, noFacing)).toBe(1);
  });
});

describe('step 6: no ideal', () => {
  test('a constraint with only min/max/exact that is met adds 0', () => {
    expect(basic({ width: { min: 1, max: 5000 }, frameRate: { exact: 30 }, facingMode: { exact: 'user' } })).toBe(0);
  });
  test('a bare value in an advanced set is not an ideal', () => {
    expect(advanced({ width: 1280, height: 720 })).toBe(0);
  });
});

describe('step 7: numeric ideals', () => {
  test.each([
    ['width', 1280, 0],
    ['width', 640, 640 / 1280],
    ['width', 1920, 640 / 1920],
    ['width', 0, 1],
    ['height', 1080, 360 / 1080],
    ['frameRate', 60, 0.5],
    ['frameRate', 15, 0.5],
    ['frameRate', 29.97, 0.03 / 30],
  ] as const)('%s ideal %d → |actual-ideal|/max(|actual|,|ideal|) = %d', (name, ideal, expected) => {
    expect(basic({ [name]: { ideal } })).toBeCloseTo(expected, 14);
    expect(basic({ [name]: ideal })).toBeCloseTo(expected, 14);
  });

  test('aspectRatio is compared rounded to the tenth decimal place', () => {
    expect(basic({ aspectRatio: 16 / 9 })).toBe(0);
    expect(basic({ aspectRatio: { exact: 16 / 9 } })).toBe(0);
    expect(basic({ aspectRatio: { min: 16 / 9, max: 16 / 9 } })).toBe(0);
    expect(basic({ aspectRatio: { exact: 1.7777 } })).toBe(Infinity);
    expect(basic({ aspectRatio: 4 / 3 })).toBeCloseTo((16 / 9 - 4 / 3) / (16 / 9), 9);
  });

  test('audio numeric properties use the same formula', () => {
    const appliesToAudio = () => true;
    const d = (set: MediaTrackConstraintSet) => fitnessDistance(microphone, normalizeConstraintSet(set), 'ideal', appliesToAudio);
    expect(d({ sampleRate: 44100 })).toBeCloseTo(3900 / 48000, 15);
    expect(d({ channelCount: 1 })).toBeCloseTo(0.5, 15);
    expect(d({ latency: 0.02 })).toBeCloseTo(0.5, 15);
    expect(d({ sampleSize: { ideal: 16 } })).toBe(0);
  });
});

describe('step 8: string, enum and boolean ideals', () => {
  test.each([
    [{ facingMode: 'user' }, 0],
    [{ facingMode: 'environment' }, 1],
    [{ facingMode: ['environment', 'user'] }, 0],
    [{ facingMode: { ideal: ['left', 'right'] } }, 1],
    [{ resizeMode: 'crop-and-scale' }, 1],
    [{ deviceId: 'cam-1' }, 0],
    [{ deviceId: 'cam-2' }, 1],
    [{ groupId: ['group-2', 'group-1'] }, 0],
  ] as [MediaTrackConstraintSet, number][])('%j → %d', (set, expected) => {
    expect(basic(set)).toBe(expected);
  });

  test('booleans and boolean-or-string', () => {
    const d = (set: MediaTrackConstraintSet, bare: 'ideal' | 'exact' = 'ideal') => fitnessDistance(microphone, normalizeConstraintSet(set), bare);
    expect(d({ echoCancellation: true })).toBe(0);
    expect(d({ echoCancellation: false })).toBe(1);
    expect(d({ echoCancellation: 'all' })).toBe(1);
    expect(d({ echoCancellation: { exact: 'remote-only' } })).toBe(Infinity);
    expect(d({ autoGainControl: true })).toBe(1);
    expect(d({ autoGainControl: { exact: false } })).toBe(0);
    expect(d({ noiseSuppression: true }, 'exact')).toBe(Infinity);
  });
});

describe('sums and empty constraints', () => {
  test('the distance is the sum over the constraints in the set', () => {
    expect(basic({ width: 640, height: 1080, facingMode: 'environment', frameRate: 30 })).toBeCloseTo(0.5 + 360 / 1080 + 1, 14);
  });
  test('one infinite constraint makes the sum infinite', () => {
    expect(basic({ width: 640, height: { exact: 1 } })).toBe(Infinity);
  });
  test('an empty list or dictionary is no constraint (SelectSettings step 1)', () => {
    expect(normalizeConstraintSet({ facingMode: [], width: {}, deviceId: { exact: [] }, groupId: { exact: [], ideal: [] } })).toEqual([]);
    expect(basic({ facingMode: { exact: [] } })).toBe(0);
  });
});
