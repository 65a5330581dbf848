// getUserMedia latency: the time from the call to the resolved stream, p50 and p99 over many
// calls, for video, audio, and both. Each stream is stopped after it resolves, so every call opens
// its device anew (the cold path a page takes).
//
//   npx tsc -p tsconfig.build.json && node bench/getusermedia.mjs [backends] [--runs=2000]
//   node bench/getusermedia.mjs auto --chromium[=real] [--pairs=3] [--runs=300]
//
// The backends are `builtin` unless given (e.g. `auto`, the machine's real devices, which is what
// an installation without options uses outside a test runner): the title says which ran. With
// `--chromium`, the same loop runs in headless Chromium (its fake camera and microphone, the
// flags of bench/lib/chromium.mjs) and here, in interleaved pairs: the p50 of each, per pair.
import { mkdtempSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { installGlobals } from '../dist/index.js';

const args = Object.fromEntries(process.argv.slice(2).filter((a) => a.startsWith('--')).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]));
const saltPath = join(mkdtempSync(join(tmpdir(), 'mc-bench-')), 'salt');
const backends = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'builtin';
const runs = Number(args.runs ?? (args.chromium ? 300 : 2000));
const handle = installGlobals({}, { saltPath, backends });
const md = handle.mediaDevices;

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** The loop, the same here and in the page: warm-up calls, then `runs` timed ones. */
async function timeCalls(mediaDevices, constraints, runs) {
  for (let i = 0; i < Math.min(200, runs / 4); i++) (await mediaDevices.getUserMedia(constraints)).getTracks().forEach((t) => t.stop());
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const stream = await mediaDevices.getUserMedia(constraints);
    times.push(performance.now() - t0);
    for (const t of stream.getTracks()) t.stop();
  }
  return times;
}

function summary(name, times) {
  times.sort((a, b) => a - b);
  return { name, runs: times.length, p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

const CASES = [
  ['{video: true}', { video: true }],
  ['{audio: true}', { audio: true }],
  ['{audio: true, video: true}', { audio: true, video: true }],
  ['{video: {width: {exact: 320}, height: 240}}', { video: { width: { exact: 320 }, height: 240 } }],
];

if (!args.chromium) {
  const rows = [];
  for (const [name, constraints] of CASES) rows.push(summary(name, await timeCalls(md, constraints, runs)));
  console.log(`getUserMedia latency, backends \`${backends}\` (Node ${process.version})`);
  console.log('| constraints | calls | p50 (ms) | p99 (ms) |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| \`${r.name}\` | ${r.runs} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} |`);
} else {
  const { chromium } = await import('playwright-core');
  const { createServer } = await import('node:http');
  const { CHROMIUM_ARGS } = await import('./lib/chromium.mjs');
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>getUserMedia bench</title>'));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  // --chromium=real: Chromium's real audio devices (PulseAudio, the same server as ours) instead
  // of its fake ones; it has no camera then, so only `{audio: true}` runs.
  const real = args.chromium === 'real';
  const flags = CHROMIUM_ARGS(30).filter((f) => !real || !f.startsWith('--use-fake-device-for-media-stream'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: flags, env: process.env });
  const page = await browser.newPage();
  await page.goto(`http://localhost:${server.address().port}/`);
  // The same loop in the page.
  await page.addScriptTag({ content: `window.timeCalls = ${timeCalls.toString()};` });
  const pairs = Number(args.pairs ?? 3);
  console.log(`getUserMedia p50 (ms), backends \`${backends}\` here against Chromium's ${real ? 'real (PulseAudio)' : 'fake'} devices, ${pairs} interleaved pairs of ${runs} calls (Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
  console.log('| constraints | pair | ours p50 | Chromium p50 | ratio |');
  console.log('|---|---|---|---|---|');
  for (const [name, constraints] of real ? CASES.slice(1, 2) : CASES.slice(0, 3)) {
    for (let pair = 1; pair <= pairs; pair++) {
      const ours = summary(name, await timeCalls(md, constraints, runs));
      const times = await page.evaluate(([constraints, runs]) => window.timeCalls(navigator.mediaDevices, constraints, runs), [constraints, runs]);
      const theirs = summary(name, times);
      console.log(`| \`${name}\` | ${pair} | ${ours.p50.toFixed(3)} | ${theirs.p50.toFixed(3)} | ${(ours.p50 / theirs.p50).toFixed(2)} |`);
    }
  }
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  await browser.close();
  server.close();
}
handle.uninstall();
