// Benchmark of the media pipeline: built-in camera → MediaStreamTrackProcessor, on the build.
//
//   npx tsc -p tsconfig.build.json && node bench/pipeline.mjs [--seconds=10] [--warmup=5] [--repeat=3] [--only=720p,1080p] [--no-chromium] [--loop-delay]
//
// Each scenario runs in a child process of its own on the real clock: `warmup` seconds (V8
// compiles the per-frame code while it runs), then `seconds` of capture while every reader reads
// and closes each frame. Reported: CPU seconds per second of capture (process.cpuUsage over wall
// time, all threads), frames read, frames dropped (gaps in the frames' timestamps: skipped by the
// source or dropped by the processor), and peak memory. The same 1280x720@30 read runs in headless
// Chromium with its fake camera, and the CPU of its whole process tree is measured the same way.
// The one-track and ten-clone scenarios run side by side with Chromium (all three at the same
// time), so that the two target ratios compare figures of the same seconds on a shared machine;
// the other scenarios run alone. With --repeat=N all of it runs N times, interleaved, and the
// median CPU and the median of the per-repeat ratios are reported.
import { spawn, spawnSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]));
const seconds = Number(args.seconds ?? 10);
const warmup = Number(args.warmup ?? 5);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const SIZES = [
  [1920, 1080], [1600, 900], [1280, 720], [960, 540], [854, 480],
  [640, 360], [480, 270], [426, 240], [320, 180], [160, 90],
];

/** The tracks each scenario reads. */
const SCENARIOS = {
  '720p': { label: '1280x720@30, one track', make: (md) => open(md, 1280, 720).then((t) => [t]) },
  '1080p': { label: '1920x1080@30, one track', make: (md) => open(md, 1920, 1080).then((t) => [t]) },
  '720p-clones10': {
    label: '1280x720@30, ten clones of one track',
    make: async (md) => {
      const t = await open(md, 1280, 720);
      return [t, ...Array.from({ length: 9 }, () => t.clone())];
    },
  },
  '1080p-sizes10': {
    label: '1920x1080@30 source, ten tracks of different sizes',
    make: async (md) => {
      const t = await open(md, 1920, 1080);
      const tracks = [t, ...Array.from({ length: 9 }, () => t.clone())];
      await Promise.all(tracks.map((track, i) => track.applyConstraints({ width: { exact: SIZES[i][0] }, height: { exact: SIZES[i][1] } })));
      return tracks;
    },
  },
};

async function open(md, width, height) {
  const stream = await md.getUserMedia({ video: { width: { exact: width }, height: { exact: height }, frameRate: { exact: 30 } } });
  return stream.getVideoTracks()[0];
}

/** Child process: runs one scenario and prints its figures as JSON. */
async function child(name) {
  const { installGlobals } = await import('../dist/index.js');
  const { MediaStreamTrackProcessor } = await import('../dist/interfaces/MediaStreamTrackProcessor.js');
  // The built-in devices only: the machine's own cameras (if any) are not what is measured.
  const handle = installGlobals({}, { saltPath: join(tmpdir(), 'mediacapture-bench-salt'), backends: 'builtin' });
  const tracks = await SCENARIOS[name].make(handle.mediaDevices);
  const interval = 1e6 / 30;
  const readers = tracks.map((track) => {
    const r = { frames: 0, dropped: 0, last: null, counting: false, size: null };
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (r.counting) {
          r.frames++;
          if (r.last !== null && value.timestamp - r.last > 1.5 * interval) r.dropped += Math.round((value.timestamp - r.last) / interval) - 1;
        }
        r.last = value.timestamp;
        // Once per reader: the bench's own bookkeeping should not allocate per frame.
        if (r.size === null) r.size = [value.displayWidth, value.displayHeight];
        value.close();
      }
    })();
    return r;
  });
  await sleep(warmup * 1000);
  for (const r of readers) r.counting = true;
  // With --loop-delay: how long other work on the main thread would wait, the event loop's delay
  // over the window. Off by default: the monitor's 1 ms timer wakes the loop a thousand times a
  // second, which adds about 0.014 CPU s/s here, as much as a whole 720p track costs.
  const loop = args['loop-delay'] ? monitorEventLoopDelay({ resolution: 1 }) : undefined;
  loop?.enable();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const peak = { rss: 0, heapUsed: 0, arrayBuffers: 0 };
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    await sleep(Math.min(250, end - performance.now()));
    const m = process.memoryUsage();
    for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]);
  }
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - start) / 1000;
  loop?.disable();
  for (const r of readers) r.counting = false;
  handle.uninstall();
  console.log(JSON.stringify({
    cpuPerSecond: (cpu.user + cpu.system) / 1e6 / wall,
    frames: readers.reduce((n, r) => n + r.frames, 0),
    expected: Math.round(wall * 30) * readers.length,
    dropped: readers.reduce((n, r) => n + r.dropped, 0),
    ...(loop ? { loopDelayP99: loop.percentile(99) / 1e6, loopDelayMax: loop.max / 1e6 } : {}),
    sizes: [...new Set(readers.map((r) => r.size.join('x')))],
    ...peak,
  }));
  process.exit(0);
}

function runChild(name) {
  const out = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--child=${name}`, `--seconds=${seconds}`, `--warmup=${warmup}`, ...(args['loop-delay'] ? ['--loop-delay'] : [])], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`scenario ${name} failed:\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop());
}

/** Our children that run side by side with Chromium: their CPU is not Chromium's. */
const sideBySide = new Set();

/** Runs one scenario's child process without blocking, so that others can run at the same time. */
function runChildAsync(name) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--child=${name}`, `--seconds=${seconds}`, `--warmup=${warmup}`, ...(args['loop-delay'] ? ['--loop-delay'] : [])]);
    sideBySide.add(child.pid);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`scenario ${name} failed:\n${err}`))));
  });
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median CPU, summed frames and drops, peak memory over the repeats of one scenario. */
function summarise(runs) {
  const sum = (k) => runs.reduce((n, r) => n + r[k], 0);
  const cpus = runs.map((r) => r.cpuPerSecond);
  return {
    cpuPerSecond: median(cpus),
    cpuRange: [Math.min(...cpus), Math.max(...cpus)],
    frames: sum('frames'),
    expected: sum('expected'),
    dropped: sum('dropped'),
    loopDelayP99: runs[0].loopDelayP99 === undefined ? undefined : Math.max(...runs.map((r) => r.loopDelayP99)),
    loopDelayMax: runs[0].loopDelayMax === undefined ? undefined : Math.max(...runs.map((r) => r.loopDelayMax)),
    rss: Math.max(...runs.map((r) => r.rss ?? r.rssMax)),
    heapUsed: Math.max(...runs.map((r) => r.heapUsed ?? 0)),
    arrayBuffers: Math.max(...runs.map((r) => r.arrayBuffers ?? 0)),
    sizes: runs[0].sizes ?? [runs[0].size?.join('x')],
    frameRateSetting: runs[0].frameRateSetting,
    processes: runs[0].processes,
  };
}

const cpuText = (r) => `${r.cpuPerSecond.toFixed(3)} CPU s/s` + (r.cpuRange[0] !== r.cpuRange[1] ? ` (median; ${r.cpuRange[0].toFixed(3)}–${r.cpuRange[1].toFixed(3)})` : '');

/** The scenarios that run side by side (at the same time, each in its own process) in every repeat. */
const SIDE_BY_SIDE = ['720p', '720p-clones10'];

async function main() {
  const only = typeof args.only === 'string' ? args.only.split(',') : Object.keys(SCENARIOS);
  const repeat = Number(args.repeat ?? 1);
  const chromiumCapture = args['no-chromium'] ? undefined : (await import('./lib/chromium.mjs')).chromiumCapture;
  const runs = Object.fromEntries([...only, 'chromium'].map((n) => [n, []]));
  const together = only.filter((n) => SIDE_BY_SIDE.includes(n));
  const alone = only.filter((n) => !SIDE_BY_SIDE.includes(n));
  // Repeats are interleaved, so that a burst of load from elsewhere on the machine lands on all.
  for (let i = 0; i < repeat; i++) {
    // The one-track and ten-clone reads and Chromium's read run at the same time (about 2 %, 2 %
    // and 5 % of a core): the ratios are taken between figures of the same seconds on this shared
    // machine. Chromium starts first; our processes start once its page reads frames, so that the
    // warm-ups and the measured windows coincide.
    let ours;
    const start = () => (ours = Promise.all(together.map((n) => runChildAsync(n))));
    if (chromiumCapture) {
      runs.chromium.push(await chromiumCapture({ width: 1280, height: 720, frameRate: 30, seconds, warmup, onReading: start, exclude: sideBySide }));
    } else {
      start();
    }
    (await ours).forEach((r, k) => runs[together[k]].push(r));
    // The others load a core (ten sizes) or are checked for dropped frames (1080p): alone.
    for (const name of alone) runs[name].push(runChild(name));
  }
  const results = {};
  for (const name of only) {
    const r = (results[name] = summarise(runs[name]));
    console.log(`${SCENARIOS[name].label}: ${cpuText(r)}, ${r.frames}/${r.expected} frames, ${r.dropped} dropped${r.loopDelayP99 === undefined ? '' : `, event-loop delay p99 ${r.loopDelayP99.toFixed(1)} ms (max ${r.loopDelayMax.toFixed(1)})`}, sizes ${r.sizes.join(' ')}, peak RSS ${mib(r.rss)}, heap ${mib(r.heapUsed)}, array buffers ${mib(r.arrayBuffers)}`);
  }
  /** The ratio of two scenarios, per repeat (same seconds) and their median. */
  const ratios = (a, b) => {
    const each = runs[a].map((r, k) => r.cpuPerSecond / runs[b][k].cpuPerSecond);
    return `${median(each).toFixed(2)}` + (each.length > 1 ? ` (median of ${each.length} side-by-side runs: ${each.map((x) => x.toFixed(2)).join(', ')})` : '');
  };
  if (results['720p'] && results['720p-clones10']) console.log(`ten clones / one track: ${ratios('720p-clones10', '720p')}x (target <= 1.2x)`);
  if (results['720p'] && results['1080p-sizes10']) {
    console.log(`ten sizes from a 1080p source / one 720p track: ${(results['1080p-sizes10'].cpuPerSecond / results['720p'].cpuPerSecond).toFixed(2)}x`);
  }
  if (chromiumCapture) {
    const c = summarise(runs.chromium);
    console.log(`Chromium 1280x720@${c.frameRateSetting} (fake camera, ${c.processes} processes): ${cpuText(c)}, ${c.frames}/${c.expected} frames, ${c.dropped} dropped, size ${c.sizes.join(' ')}, peak RSS ${mib(c.rss)}`);
    if (results['720p']) console.log(`ours / Chromium at 1280x720@30: ${ratios('720p', 'chromium')} (target <= 0.5)`);
  }
}

if (typeof args.child === 'string') await child(args.child);
else await main();
