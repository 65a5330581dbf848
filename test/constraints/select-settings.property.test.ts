/**
 * Property tests of SelectSettings against a brute-force oracle: SelectSettings run literally, step
 * by step, over every settings dictionary of small devices (every whole-pixel crop-and-scale size,
 * and a set of frame rates that meets every combination of the frame-rate constraints in play).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  type MediaTrackConstraintSet,
  type NormalizedConstraintSet,
  type SettingsDictionary,
  fitnessDistance,
  isRequired,
  normalizeConstraints,
  roundAspectRatio,
  selectSettings,
} from '../../src/algorithms/constraints/index.js';
import type { AudioMode, DeviceDescriptor, VideoMode } from '../../src/media/modes.js';
import { scaled } from '../helpers/wait.js';
import { MediaTrackConstraints as convertMediaTrackConstraints } from '../../src/webidl/constraints.js';

const ids = { deviceId: 'dev', groupId: 'grp' };
const VIDEO = new Set(['width', 'height', 'aspectRatio', 'frameRate', 'facingMode', 'resizeMode', 'deviceId', 'groupId']);
const AUDIO = new Set(['sampleRate', 'sampleSize', 'channelCount', 'latency', 'echoCancellation', 'autoGainControl', 'noiseSuppression', 'deviceId', 'groupId']);

// ---------------------------------------------------------------------------------------------
// Generators

const someOf = <T>(values: readonly T[]) => fc.constantFrom(...values);

/** A numeric constraint: a bare value, or a range dictionary with any of min/max/exact/ideal. */
function numeric(values: fc.Arbitrary<number>) {
  return fc.oneof(values, fc.record({ min: values, max: values, exact: values, ideal: values }, { requiredKeys: [] }));
}

/** A string constraint: a string, a list, or parameters with exact/ideal each a string or list. */
function strings(values: readonly string[]) {
  const one = someOf(values);
  const stringOrList = fc.oneof(one, fc.array(one, { maxLength: 3 }));
  return fc.oneof(stringOrList, fc.record({ exact: stringOrList, ideal: stringOrList }, { requiredKeys: [] }));
}

function booleans() {
  return fc.oneof(fc.boolean(), fc.record({ exact: fc.boolean(), ideal: fc.boolean() }, { requiredKeys: [] }));
}

const smallSize = fc.integer({ min: 0, max: 13 });
const frameRateValue = fc.oneof(someOf([0, 0.5, 5, 7.5, 10, 15, 24, 29.97, 30, 45, 60, 61]), fc.double({ min: 0, max: 70, noNaN: true }));
const aspectValue = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 13 })).map(([p, q]) => p / q),
  fc.double({ min: 0.05, max: 13, noNaN: true }),
);

function videoConstraintSet(size: fc.Arbitrary<number>): fc.Arbitrary<MediaTrackConstraintSet> {
  return fc.record(
    {
      width: numeric(size),
      height: numeric(size),
      aspectRatio: numeric(aspectValue),
      frameRate: numeric(frameRateValue),
      resizeMode: strings(['none', 'crop-and-scale', 'other']),
      facingMode: strings(['user', 'environment', 'left']),
      deviceId: strings(['dev', 'other', '']),
      groupId: strings(['grp', 'other']),
      sampleRate: numeric(fc.integer({ min: 0, max: 50000 })), // does not apply to video: ignored
      echoCancellation: booleans(),
    },
    { requiredKeys: [] },
  );
}

function constraints<T>(set: fc.Arbitrary<T>) {
  return fc.record({ basic: set, advanced: fc.array(set, { maxLength: 3 }) }).map(({ basic, advanced }) => ({ ...basic, advanced }));
}

const videoMode: fc.Arbitrary<VideoMode> = fc.record({
  width: fc.integer({ min: 1, max: 12 }),
  height: fc.integer({ min: 1, max: 12 }),
  frameRate: someOf([5, 10, 15, 24, 29.97, 30, 60]),
});

function videoDevice(mode: fc.Arbitrary<VideoMode>): fc.Arbitrary<DeviceDescriptor> {
  return fc.record({
    modes: fc.array(mode, { minLength: 0, maxLength: 3 }),
    facing: fc.option(someOf(['user', 'environment'] as const), { nil: undefined }),
  }).map(({ modes, facing }) => ({
    rawId: 'v',
    kind: 'videoinput' as const,
    label: 'camera',
    groupKey: 'g',
    videoModes: modes,
    ...(facing ? { facingMode: facing } : {}),
  }));
}

const audioMode: fc.Arbitrary<AudioMode> = fc.record({
  sampleRate: someOf([8000, 16000, 44100, 48000]),
  channelCount: fc.integer({ min: 1, max: 3 }),
  sampleSize: someOf([16, 24, 32]),
  latency: someOf([0.005, 0.01, 0.02]),
});

const switches = fc.option(fc.subarray([true, false], { minLength: 1 }), { nil: undefined });
const audioDevice: fc.Arbitrary<DeviceDescriptor> = fc
  .record({ modes: fc.array(audioMode, { maxLength: 3 }), ec: switches, agc: switches, ns: switches })
  .map(({ modes, ec, agc, ns }) => ({
    rawId: 'a',
    kind: 'audioinput' as const,
    label: 'mic',
    groupKey: 'g',
    audioModes: modes,
    ...(ec ? { echoCancellation: ec } : {}),
    ...(agc ? { autoGainControl: agc } : {}),
    ...(ns ? { noiseSuppression: ns } : {}),
  }));

const audioConstraintSet: fc.Arbitrary<MediaTrackConstraintSet> = fc.record(
  {
    sampleRate: numeric(someOf([0, 8000, 16000, 22050, 44100, 48000, 96000])),
    channelCount: numeric(fc.integer({ min: 0, max: 4 })),
    sampleSize: numeric(someOf([8, 16, 24, 32])),
    latency: numeric(someOf([0, 0.005, 0.01, 0.015, 0.02, 0.1])),
    echoCancellation: fc.oneof(booleans(), someOf(['all', 'remote-only'])),
    autoGainControl: booleans(),
    noiseSuppression: booleans(),
    deviceId: strings(['dev', 'other']),
    width: numeric(smallSize), // does not apply to audio: ignored
  },
  { requiredKeys: [] },
);

// ---------------------------------------------------------------------------------------------
// The oracle

/** Every frame-rate value in the constraints: with the gaps between them, they cover every case. */
function frameRatesFor(native: number, sets: readonly NormalizedConstraintSet[]): number[] {
  const marks = new Set<number>([0, native]);
  for (const set of sets) {
    for (const c of set) {
      if (c.name !== 'frameRate' || c.type !== 'numeric') continue;
      for (const v of [c.min, c.max, c.exact, c.ideal, c.bare]) if (v !== undefined) marks.add(v);
    }
  }
  const sorted = [...marks].sort((a, b) => a - b);
  const out = new Set<number>(sorted);
  for (let i = 1; i < sorted.length; i++) out.add((sorted[i - 1]! + sorted[i]!) / 2);
  return [...out].filter((f) => f > 0 && f <= native);
}

/** Every settings dictionary of a small video device. */
function videoCandidates(device: DeviceDescriptor, sets: readonly NormalizedConstraintSet[]): { settings: SettingsDictionary; mode: VideoMode }[] {
  const out: { settings: SettingsDictionary; mode: VideoMode }[] = [];
  const fixed = { deviceId: ids.deviceId, groupId: ids.groupId, ...(device.facingMode ? { facingMode: device.facingMode } : {}) };
  for (const mode of device.videoModes ?? []) {
    out.push({ mode, settings: { ...fixed, width: mode.width, height: mode.height, aspectRatio: roundAspectRatio(mode.width / mode.height), frameRate: mode.frameRate, resizeMode: 'none' } });
    for (const frameRate of frameRatesFor(mode.frameRate, sets)) {
      for (let width = 1; width <= mode.width; width++) {
        for (let height = 1; height <= mode.height; height++) {
          out.push({ mode, settings: { ...fixed, width, height, aspectRatio: roundAspectRatio(width / height), frameRate, resizeMode: 'crop-and-scale' } });
        }
      }
    }
  }
  return out;
}

function audioCandidates(device: DeviceDescriptor): { settings: SettingsDictionary; mode: AudioMode }[] {
  const values = (v: readonly boolean[] | undefined) => (v && v.length > 0 ? v : [false]);
  const out: { settings: SettingsDictionary; mode: AudioMode }[] = [];
  for (const mode of device.audioModes ?? []) {
    for (const echoCancellation of values(device.echoCancellation)) {
      for (const autoGainControl of values(device.autoGainControl)) {
        for (const noiseSuppression of values(device.noiseSuppression)) {
          out.push({ mode, settings: { ...ids, ...mode, echoCancellation, autoGainControl, noiseSuppression } });
        }
      }
    }
  }
  return out;
}

type Oracle = { failed: true; alone: (set: NormalizedConstraintSet) => boolean } | { failed: false; kept: NormalizedConstraintSet[]; minDistance: number };

/** SelectSettings, literally, over a finite list of settings dictionaries. */
function oracle(all: readonly SettingsDictionary[], basic: NormalizedConstraintSet, advanced: readonly NormalizedConstraintSet[], applies: (n: string) => boolean): Oracle {
  // 3.
  let candidates = all.filter((s) => fitnessDistance(s, basic, 'ideal', applies) < Infinity);
  // 4.
  if (candidates.length === 0) return { failed: true, alone: (set) => all.some((s) => fitnessDistance(s, set, 'ideal', applies) < Infinity) };
  // 5.
  const kept: NormalizedConstraintSet[] = [];
  for (const set of advanced) {
    const next = candidates.filter((s) => fitnessDistance(s, set, 'exact', applies) < Infinity);
    if (next.length > 0) {
      candidates = next;
      kept.push(set);
    }
  }
  // 6.
  return { failed: false, kept, minDistance: Math.min(...candidates.map((s) => fitnessDistance(s, basic, 'ideal', applies))) };
}

/** The checks shared by audio and video. */
function checkAgainstOracle(device: DeviceDescriptor, input: unknown, all: { settings: SettingsDictionary; mode: VideoMode | AudioMode }[], kind: Set<string>) {
  const idl = convertMediaTrackConstraints(input, 'constraints');
  const { basic, advanced } = normalizeConstraints(idl);
  const applies = (n: string) => kind.has(n);
  const expected = oracle(
    all.map((c) => c.settings),
    basic,
    advanced,
    applies,
  );
  const result = selectSettings(device, ids, idl);
  if (expected.failed) {
    // Failure exactly when no candidate satisfies the required basic constraints...
    expect(result).toHaveProperty('failed');
    const failed = (result as { failed: string }).failed;
    const required = basic.filter((c) => isRequired(c, 'ideal') && applies(c.name) && c.name !== 'displaySurface');
    if (all.length === 0) {
      // ...naming none when the device has no settings dictionaries at all,
      expect(failed).toBe('');
    } else if (failed === '') {
      // ...naming none only when each required constraint alone can be met,
      for (const c of required) expect(expected.alone([c]), `"${c.name}" alone cannot be met`).toBe(true);
    } else {
      // ...else one that no settings dictionary satisfies.
      expect(required.map((c) => c.name)).toContain(failed);
      expect(expected.alone(required.filter((c) => c.name === failed))).toBe(false);
    }
    return;
  }
  expect(result, JSON.stringify(idl)).not.toHaveProperty('failed');
  if ('failed' in result) return;
  const settings = result.settings as SettingsDictionary;
  // The chosen settings satisfy every required basic constraint and every advanced set the
  // oracle kept, and nothing closer to the ideals exists.
  expect(fitnessDistance(settings, basic, 'ideal', applies)).toBe(result.distance);
  expect(result.distance).toBeLessThan(Infinity);
  for (const set of expected.kept) expect(fitnessDistance(settings, set, 'exact', applies), JSON.stringify(set)).toBeLessThan(Infinity);
  expect(result.distance).toBeCloseTo(expected.minDistance, 9);
  // They are settings the device can produce from the mode returned.
  const producible = all.some((c) => c.mode === result.mode && sameSettings(c.settings, settings));
  if (!producible) expect(isDerivable(settings, result.mode as VideoMode), JSON.stringify({ settings, mode: result.mode })).toBe(true);
}

function sameSettings(a: SettingsDictionary, b: SettingsDictionary): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

/** Crop-and-scale settings at a frame rate the oracle's grid does not list. */
function isDerivable(s: SettingsDictionary, mode: VideoMode): boolean {
  const { width, height, frameRate } = s as { width: number; height: number; frameRate: number };
  return (
    s.resizeMode === 'crop-and-scale' &&
    Number.isInteger(width) && Number.isInteger(height) &&
    width >= 1 && width <= mode.width && height >= 1 && height <= mode.height &&
    frameRate > 0 && frameRate <= mode.frameRate &&
    s.aspectRatio === roundAspectRatio(width / height)
  );
}

// ---------------------------------------------------------------------------------------------

// Hundreds of generated cases each: seconds of CPU, which a busy machine stretches. The time
// limit only stops a test that hangs; it is not what these tests check.
const CPU_BOUND = { timeout: scaled(90_000) };

describe('SelectSettings agrees with a brute-force oracle', CPU_BOUND, () => {
  test('video: small devices, every candidate enumerated', () => {
    fc.assert(
      fc.property(videoDevice(videoMode), constraints(videoConstraintSet(smallSize)), (device, input) => {
        const { basic, advanced } = normalizeConstraints(convertMediaTrackConstraints(input, 'c'));
        checkAgainstOracle(device, input, videoCandidates(device, [basic, ...advanced]), VIDEO);
      }),
      { numRuns: 600 },
    );
  });

  test('video: constraints aimed at the edges of small devices', () => {
    // Exact sizes and aspect ratios drawn from the device's own modes hit the boundaries more often.
    const arbitrary = videoDevice(videoMode).filter((d) => d.videoModes!.length > 0).chain((device) => {
      const modes = device.videoModes!;
      const size = fc.oneof(someOf(modes.map((m) => m.width)), someOf(modes.map((m) => m.height)), smallSize);
      const aspect = someOf(modes.flatMap((m) => [m.width / m.height, (m.width - 1 || 1) / m.height]));
      const set = fc.record(
        { width: numeric(size), height: numeric(size), aspectRatio: numeric(aspect), frameRate: numeric(someOf(modes.map((m) => m.frameRate))), resizeMode: strings(['none', 'crop-and-scale']) },
        { requiredKeys: [] },
      );
      return fc.tuple(fc.constant(device), constraints(set));
    });
    fc.assert(
      fc.property(arbitrary, ([device, input]) => {
        const { basic, advanced } = normalizeConstraints(convertMediaTrackConstraints(input, 'c'));
        checkAgainstOracle(device, input, videoCandidates(device, [basic, ...advanced]), VIDEO);
      }),
      { numRuns: 600 },
    );
  });

  test('audio: every configuration enumerated', () => {
    fc.assert(
      fc.property(audioDevice, constraints(audioConstraintSet), (device, input) => {
        checkAgainstOracle(device, input, audioCandidates(device), AUDIO);
      }),
      { numRuns: 600 },
    );
  });
});

describe('SelectSettings on camera-sized devices', CPU_BOUND, () => {
  const largeMode: fc.Arbitrary<VideoMode> = fc.record({
    width: fc.integer({ min: 1, max: 4096 }),
    height: fc.integer({ min: 1, max: 2160 }),
    frameRate: someOf([5, 15, 24, 25, 29.97, 30, 50, 60, 120]),
  });
  const largeSize = fc.oneof(someOf([0, 1, 160, 320, 480, 640, 720, 1080, 1280, 1920, 2160, 3840, 4096, 5000]), fc.integer({ min: 0, max: 5000 }));

  test('chosen settings satisfy every required constraint; a failure is never reported when a probe finds a candidate', () => {
    fc.assert(
      fc.property(videoDevice(largeMode), constraints(videoConstraintSet(largeSize)), (device, input) => {
        const idl = convertMediaTrackConstraints(input, 'c');
        const { basic, advanced } = normalizeConstraints(idl);
        const applies = (n: string) => VIDEO.has(n);
        const result = selectSettings(device, ids, idl);
        if (!('failed' in result)) {
          const settings = result.settings as SettingsDictionary;
          expect(fitnessDistance(settings, basic, 'ideal', applies)).toBe(result.distance);
          expect(result.distance).toBeLessThan(Infinity);
          const mode = result.mode as VideoMode;
          if (settings.resizeMode === 'none') expect(settings).toMatchObject({ width: mode.width, height: mode.height, frameRate: mode.frameRate });
          else expect(isDerivable(settings, mode)).toBe(true);
          return;
        }
        // A failure must leave no candidate: probe sizes built from the constraint values.
        for (const probe of probes(device, [basic, ...advanced])) {
          expect(fitnessDistance(probe, basic, 'ideal', applies), JSON.stringify({ probe, idl })).toBe(Infinity);
        }
      }),
      { numRuns: 400 },
    );
  });
});

/** Candidate settings of a large device built from the numbers in the constraints (a subset of all). */
function probes(device: DeviceDescriptor, sets: readonly NormalizedConstraintSet[]): SettingsDictionary[] {
  const numbers = (name: string) =>
    sets.flatMap((set) => set.filter((c) => c.name === name && c.type === 'numeric').flatMap((c) => (c.type === 'numeric' ? [c.min, c.max, c.exact, c.bare, c.ideal] : [])))
      .filter((v): v is number => v !== undefined);
  const out: SettingsDictionary[] = [];
  const fixed = { deviceId: ids.deviceId, groupId: ids.groupId, ...(device.facingMode ? { facingMode: device.facingMode } : {}) };
  for (const mode of device.videoModes ?? []) {
    out.push({ ...fixed, width: mode.width, height: mode.height, aspectRatio: roundAspectRatio(mode.width / mode.height), frameRate: mode.frameRate, resizeMode: 'none' });
    const clip = (v: number, max: number) => Math.min(max, Math.max(1, Math.round(v)));
    const heights = new Set([1, mode.height, ...numbers('height').map((v) => clip(v, mode.height))]);
    const widths = new Set([1, mode.width, ...numbers('width').map((v) => clip(v, mode.width))]);
    for (const a of numbers('aspectRatio')) for (const h of [...heights]) widths.add(clip(a * h, mode.width));
    for (const frameRate of frameRatesFor(mode.frameRate, sets)) {
      for (const width of widths) {
        for (const height of heights) {
          out.push({ ...fixed, width, height, aspectRatio: roundAspectRatio(width / height), frameRate, resizeMode: 'crop-and-scale' });
        }
      }
    }
  }
  return out;
}
