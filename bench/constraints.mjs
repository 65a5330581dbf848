// Benchmark of the constraints engine (src/algorithms/constraints), run on the build:
//
//   npx tsc -p tsconfig.build.json && node bench/constraints.mjs
//
// Measures fitness-distance evaluations per second, and SelectSettings calls per second over 20
// cameras of 10 native modes each with 0, 5 and 50 advanced constraint sets (each call is one
// device; getUserMedia runs it once per device). Inputs vary from call to call (settings of the
// cameras' modes, constraint sets of each shape with varied values). Each figure is calls per
// second of CPU time, the median and range of 5 runs.
import { fitnessDistance, normalizeConstraints, normalizeConstraintSet, selectSettings } from '../dist/algorithms/constraints/index.js';
import { converters } from '../dist/webidl/index.js';
import { loadavg } from 'node:os';

const convertMediaTrackConstraints = (value, context) => converters.MediaTrackConstraints(value, context);

/**
 * Runs `fn` repeatedly for about `ms` milliseconds of CPU time (user + system of this process,
 * `process.cpuUsage`: time the machine gave to other jobs is not counted) after a warm-up, five
 * times, and returns the calls per CPU second of each run: their median and range are reported.
 */
function rate(fn, ms = 300) {
  const warmUntil = performance.now() + 100;
  while (performance.now() < warmUntil) fn();
  const cpuMs = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1000;
  };
  const runs = [];
  for (let run = 0; run < 5; run++) {
    let calls = 0;
    const start = cpuMs();
    let now = start;
    while (now - start < ms) {
      for (let i = 0; i < 64; i++) fn();
      calls += 64;
      now = cpuMs();
    }
    runs.push((calls * 1000) / (now - start));
  }
  return runs.sort((x, y) => x - y);
}

// A deterministic pseudo-random sequence, so every run measures the same devices.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = (list) => list[Math.floor(random() * list.length)];

const SIZES = [
  [3840, 2160], [2560, 1440], [1920, 1080], [1600, 1200], [1280, 960], [1280, 720],
  [1024, 768], [800, 600], [640, 480], [640, 360], [352, 288], [320, 240], [160, 120],
];
const RATES = [5, 10, 15, 24, 25, 30, 50, 60];

const devices = Array.from({ length: 20 }, (_, i) => ({
  rawId: `/dev/video${i}`,
  kind: 'videoinput',
  label: `Camera ${i}`,
  groupKey: `g${i}`,
  ...(i % 3 === 0 ? { facingMode: pick(['user', 'environment']) } : {}),
  videoModes: Array.from({ length: 10 }, () => {
    const [width, height] = pick(SIZES);
    return { width, height, frameRate: pick(RATES) };
  }),
}));
const ids = devices.map((_, i) => ({ deviceId: `device-${i}`, groupId: `group-${i}` }));

const ADVANCED_KINDS = [
  () => ({ width: pick([640, 1280, 1920, 4000]), height: pick([480, 720, 1080, 3000]) }),
  () => ({ aspectRatio: pick([4 / 3, 16 / 9, 1.5]) }),
  () => ({ frameRate: { min: pick([15, 30, 45, 60]) } }),
  () => ({ height: { max: pick([360, 720, 1080]) } }),
  () => ({ resizeMode: pick(['none', 'crop-and-scale']), width: pick([640, 1280]) }),
  () => ({ facingMode: pick(['user', 'environment']) }),
];
const advanced = (n) => Array.from({ length: n }, () => pick(ADVANCED_KINDS)());

const BASICS = {
  unconstrained: {},
  'ideal 1280x720': { width: 1280, height: 720 },
  'required + aspect': { width: { min: 640, ideal: 1280 }, height: { min: 480 }, aspectRatio: 16 / 9, frameRate: { max: 30 } },
};

const rows = [];

// Fitness distance: each call takes the next of 64 settings dictionaries (the modes of the
// cameras above, as a track's settings would be) against the next of 16 constraint sets of the
// row's shape with varied values, so that no one input is all the engine sees.
const FACING = ['user', 'environment', 'left', 'right'];
const settingsList = Array.from({ length: 64 }, (_, i) => {
  const mode = devices[i % devices.length].videoModes[Math.floor(i / devices.length) % 10];
  return {
    aspectRatio: mode.width / mode.height,
    deviceId: `device-${i % 20}`,
    ...(i % 3 === 0 ? { facingMode: pick(FACING) } : {}),
    frameRate: mode.frameRate,
    groupId: `group-${i % 20}`,
    height: mode.height,
    resizeMode: pick(['none', 'crop-and-scale']),
    width: mode.width,
  };
});
const SHAPES = {
  '1 constraint': () => ({ width: pick([320, 640, 1280, 1920, 3840]) }),
  '4 constraints': () => ({ width: { min: pick([320, 640]), ideal: pick([1280, 1920]) }, height: pick([480, 720, 1080]), frameRate: { max: pick([15, 30, 60]) }, facingMode: pick(FACING) }),
  '8 constraints': () => ({
    width: pick([640, 1280, 1920]), height: pick([480, 720, 1080]), aspectRatio: pick([4 / 3, 16 / 9]), frameRate: pick([15, 30, 60]),
    facingMode: [pick(FACING)], resizeMode: pick(['none', 'crop-and-scale']), deviceId: `device-${Math.floor(random() * 20)}`, groupId: { exact: `group-${Math.floor(random() * 20)}` },
  }),
};
for (const [label, shape] of Object.entries(SHAPES)) {
  const sets = Array.from({ length: 16 }, () => normalizeConstraintSet(shape()));
  let sink = 0;
  let i = 0;
  const r = rate(() => {
    const settings = settingsList[i & 63];
    sink += fitnessDistance(settings, sets[i & 15], 'ideal', (name) => name in settings);
    i = (i + 1) % 1024;
  });
  if (Number.isNaN(sink)) throw new Error('unreachable');
  rows.push({ what: 'fitnessDistance', case: label, 'per second': r });
}

// SelectSettings over 20 devices x 10 modes.
for (const [label, basic] of Object.entries(BASICS)) {
  for (const n of [0, 5, 50]) {
    const constraints = normalizeConstraints(convertMediaTrackConstraints({ ...basic, advanced: advanced(n) }, 'c'));
    let device = 0;
    const r = rate(() => {
      selectSettings(devices[device], ids[device], constraints);
      device = (device + 1) % devices.length;
    });
    rows.push({ what: 'selectSettings (1 device, 10 modes)', case: `${label}, ${n} advanced`, 'per second': r });
  }
}

// WebIDL conversion + normalization of a typical dictionary.
const typicals = Array.from({ length: 16 }, () => ({
  width: { min: pick([320, 640]), ideal: pick([1280, 1920]) }, height: { min: pick([240, 480]), ideal: pick([720, 1080]) },
  frameRate: { max: pick([15, 30, 60]) }, facingMode: pick(FACING), advanced: [{ aspectRatio: pick([4 / 3, 16 / 9]) }],
}));
let t = 0;
rows.push({
  what: 'convert + normalize',
  case: 'typical dictionary (16 varied)',
  'per second': rate(() => normalizeConstraints(convertMediaTrackConstraints(typicals[t++ & 15], 'c'))),
});

const format1 = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0));
const format = (runs) => `${format1(runs[2])} (${format1(runs[0])}–${format1(runs[4])})`;
const widths = [36, 34, 26];
const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
console.log(`Node ${process.version}, ${process.platform}/${process.arch}`);
console.log(`load average ${loadavg()[0].toFixed(2)}; calls per CPU second, median (range) of 5 runs of 300 ms`);
console.log(line(['what', 'case', 'per CPU second']));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const row of rows) console.log(line([row.what, row.case, format(row['per second'])]));
