// The audio kernels, WebAssembly SIMD against the scalar JavaScript, on the build:
//
//   npx tsc -p tsconfig.build.json && node bench/kernels-audio.mjs [--pairs=5]
//
// Each case processes one second of audio in 10 ms chunks (as the sources deliver it) through the
// Resampler or mixChannels, once with each implementation (setKernels), alternating in pairs
// (the order swapped every pair) after a warm-up of both. CPU time (process.cpuUsage) per second
// of audio; the ratio WebAssembly / JavaScript per pair, its median and range.
import { loadavg } from 'node:os';
import { mixChannels } from '../dist/media/convert/audio.js';
import { Resampler } from '../dist/media/convert/resample.js';
import { activeKernels, setKernels } from '../dist/media/kernels/wasm.js';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const pairs = Number(args.pairs ?? 5);
const CHUNK = 480;

function noise(frames, seed) {
  let s = seed;
  return Float32Array.from({ length: frames }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31) - 1);
}

/** One second of `channels` channels at 48 kHz, as 100 chunks. */
const second = (channels) => Array.from({ length: 100 }, (_, k) => Array.from({ length: channels }, (_, c) => noise(CHUNK, 1 + 100 * c + k)));

const CASES = [
  ['Resampler 48 kHz → 44.1 kHz, stereo', () => {
    const chunks = second(2);
    const r = new Resampler(48000, 44100, 2);
    return () => { for (const c of chunks) r.process(c); };
  }],
  ['Resampler 48 kHz → 16 kHz, mono', () => {
    const chunks = second(1);
    const r = new Resampler(48000, 16000, 1);
    return () => { for (const c of chunks) r.process(c); };
  }],
  ['Resampler 44.1 kHz → 48 kHz, stereo', () => {
    const chunks = second(2).map((c) => c.map((x) => x.subarray(0, 441)));
    const r = new Resampler(44100, 48000, 2);
    return () => { for (const c of chunks) r.process(c); };
  }],
  ['mixChannels 5.1 → stereo', () => {
    const chunks = second(6);
    const out = [new Float32Array(CHUNK), new Float32Array(CHUNK)];
    return () => { for (const c of chunks) mixChannels(c, 2, out); };
  }],
  ['mixChannels stereo → mono', () => {
    const chunks = second(2);
    const out = [new Float32Array(CHUNK)];
    return () => { for (const c of chunks) mixChannels(c, 1, out); };
  }],
];

/** CPU ms of `reps` runs of `run` with `choice`'s kernels (each makes its own state). */
function measure(choice, make, reps = 5) {
  const before = setKernels(choice);
  try {
    const run = make();
    run();
    const t = process.cpuUsage();
    for (let i = 0; i < reps; i++) run();
    const c = process.cpuUsage(t);
    return (c.user + c.system) / 1000 / reps;
  } finally {
    setKernels(before);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stat = (xs, d) => `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;

console.log(`Node ${process.version}; kernels available: ${activeKernels()}; load average ${loadavg()[0].toFixed(2)}; ${pairs} pairs`);
console.log('| case | WebAssembly CPU ms per s of audio | JavaScript | WebAssembly / JavaScript, median (range) |');
console.log('|---|---|---|---|');
for (const [name, make] of CASES) {
  measure('wasm', make);
  measure('js', make);
  const wasm = [];
  const js = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      wasm.push(measure('wasm', make));
      js.push(measure('js', make));
    } else {
      js.push(measure('js', make));
      wasm.push(measure('wasm', make));
    }
  }
  console.log(`| ${name} | ${stat(wasm, 3)} | ${stat(js, 3)} | ${stat(wasm.map((w, i) => w / js[i]), 2)} |`);
}
console.log(`load average ${loadavg()[0].toFixed(2)} at the end`);
