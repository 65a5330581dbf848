// Benchmark of the constraints engine (src/algorithms/constraints), run on the build:
//
//   npx tsc -p tsconfig.build.json && node bench/constraints.mjs
//
// Measures fitness-distance evaluations per second, and SelectSettings calls per second over 20
// cameras of 10 native modes each with 0, 5 and 50 advanced constraint sets (each call is one
// device; getUserMedia runs it once per device). Prints a table; each figure is the best of 3.
import { fitnessDistance, normalizeConstraints, normalizeConstraintSet, selectSettings } from '../dist/algorithms/constraints/index.js';
import { converters } from '../dist/webidl/index.js';

const convertMediaTrackConstraints = (value, context) => converters.MediaTrackConstraints(value, context);

/**
 * Runs `fn` repeatedly for about `ms` milliseconds (after a warm-up), three times, and returns the
 * best calls per second: the machine may be shared, and the best run is the least disturbed.
 */
function rate(fn, ms = 300) {
  const warmUntil = performance.now() + 100;
  while (performance.now() < warmUntil) fn();
  let best = 0;
  for (let run = 0; run < 3; run++) {
    let calls = 0;
    const start = performance.now();
    let now = start;
    while (now - start < ms) {
      for (let i = 0; i < 16; i++) fn();
      calls += 16;
      now = performance.now();
    }
    best = Math.max(best, (calls * 1000) / (now - start));
  }
  return best;
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

// Fitness distance.
const settings = { aspectRatio: 1.7777777778, deviceId: 'd', facingMode: 'user', frameRate: 30, groupId: 'g', height: 720, resizeMode: 'none', width: 1280 };
const applies = (name) => name in settings || name === 'facingMode';
for (const [label, set] of [
  ['1 constraint', { width: 1920 }],
  ['4 constraints', { width: { min: 640, ideal: 1920 }, height: 1080, frameRate: { max: 60 }, facingMode: 'user' }],
  ['8 constraints', { width: 1920, height: 1080, aspectRatio: 16 / 9, frameRate: 30, facingMode: ['user'], resizeMode: 'none', deviceId: 'd', groupId: { exact: 'g' } }],
]) {
  const normalized = normalizeConstraintSet(set);
  let sink = 0;
  const r = rate(() => {
    sink += fitnessDistance(settings, normalized, 'ideal', applies);
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
const typical = { width: { min: 640, ideal: 1280 }, height: { min: 480, ideal: 720 }, frameRate: { max: 30 }, facingMode: 'user', advanced: [{ aspectRatio: 16 / 9 }] };
rows.push({
  what: 'convert + normalize',
  case: 'typical dictionary',
  'per second': rate(() => normalizeConstraints(convertMediaTrackConstraints(typical, 'c'))),
});

const format = (x) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0));
const widths = [36, 34, 12];
const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
console.log(`Node ${process.version}, ${process.platform}/${process.arch}`);
console.log(line(['what', 'case', 'per second']));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const row of rows) console.log(line([row.what, row.case, format(row['per second'])]));
