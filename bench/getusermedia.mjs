// getUserMedia latency with the built-in devices: the time from the call to the resolved stream,
// p50 and p99 over many calls, for video, audio, and both. Each stream is stopped after it
// resolves, so every call opens its device anew (the cold path a page takes).
//
//   npx tsc -p tsconfig.build.json && node bench/getusermedia.mjs [backends]
//
// The backends are `builtin` unless given (e.g. `auto`, the machine's real devices, which is what
// an installation without options uses outside a test runner): the title says which ran.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { installGlobals } from '../dist/index.js';

const saltPath = join(mkdtempSync(join(tmpdir(), 'mc-bench-')), 'salt');
const backends = process.argv[2] ?? 'builtin';
const handle = installGlobals({}, { saltPath, backends });
const md = handle.mediaDevices;

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function measure(name, constraints, runs = 2000) {
  for (let i = 0; i < 200; i++) (await md.getUserMedia(constraints)).getTracks().forEach((t) => t.stop());
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const stream = await md.getUserMedia(constraints);
    times.push(performance.now() - t0);
    for (const t of stream.getTracks()) t.stop();
  }
  times.sort((a, b) => a - b);
  return { name, runs, p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

const rows = [
  await measure('{video: true}', { video: true }),
  await measure('{audio: true}', { audio: true }),
  await measure('{audio: true, video: true}', { audio: true, video: true }),
  await measure('{video: {width: {exact: 320}, height: 240}}', { video: { width: { exact: 320 }, height: 240 } }),
];
console.log(`getUserMedia latency, backends \`${backends}\` (Node ${process.version})`);
console.log('| constraints | calls | p50 (ms) | p99 (ms) |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| \`${r.name}\` | ${r.runs} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} |`);
handle.uninstall();
