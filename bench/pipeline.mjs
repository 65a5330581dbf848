// Benchmark of the media pipeline: built-in camera → MediaStreamTrackProcessor, on the build.
//
//   npx tsc -p tsconfig.build.json && node bench/pipeline.mjs [--seconds=15] [--warmup=5] [--settle=10] [--repeat=3] [--only=720p,1080p] [--no-chromium] [--loop-delay]
//
// Each scenario runs in a child process of its own on the real clock, in two phases driven by this
// script over the child's stdin: *idle* (the API imported and installed, nothing captured) and
// *capture* (every reader reads and closes each frame). Before each window the child waits at
// least `warmup` seconds (V8 compiles the per-frame code) and until V8's start-up garbage
// collections are over (`settled`), so that neither window holds them. The same two phases run in headless Chromium (a blank page
// on localhost, then a 1280x720@30 read of its fake camera). Every CPU figure is measured the same
// way from this script: the CPU time (the scheduler's nanosecond run times of every thread,
// /proc/PID/task/TID/schedstat) of the processes this script started, our child or the browser's
// process tree (no Chromium it did not launch), per second of wall time; *net* is the capture
// window's figure less the idle window's, the cost of capturing and reading frames. The one-track
// and ten-clone scenarios and Chromium run side by side (their idle windows at the same time,
// then their capture windows), so that ratios compare figures of the same seconds on a shared
// machine; with --repeat=N all of it runs N times, interleaved, and each ratio is given per repeat
// with its median and range. Frames dropped are gaps in the frames' timestamps (skipped by the
// source or dropped by the processor).
//
// `--warmup` decides what is measured. V8 optimizes the per-frame functions one by one over the
// first 60–90 s of capture (they run 30 times a second; a function is optimized after it has run
// enough bytecode), so the default 5 s measures the first minute, and --warmup=60 the steady
// state of a capture that runs (bench/README.md, "Issue 14 targets", has both).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuBetween, treeCpu } from './lib/proc.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]));
const seconds = Number(args.seconds ?? 15);
const warmup = Number(args.warmup ?? 5);
const settle = Number(args.settle ?? 10);
const maxWait = Number(args['max-wait'] ?? 60);
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

/** The next line the parent writes to this child's stdin. */
const commands = (async function* () {
  let buffered = '';
  for await (const chunk of process.stdin) {
    buffered += chunk;
    for (let i; (i = buffered.indexOf('\n')) >= 0; buffered = buffered.slice(i + 1)) yield buffered.slice(0, i);
  }
})();
const command = async (expected) => {
  const { value } = await commands.next();
  if (value !== expected) throw new Error(`expected "${expected}", got "${value}"`);
};

/**
 * Child process: one scenario in phases. It says "idle" once installed, "reading" once every
 * reader has a frame; "count" starts counting frames, "report" makes it print its figures as
 * JSON and exit. Memory is sampled every 250 ms in both phases (the same small cost in both).
 */
async function child(name) {
  const { installGlobals } = await import('../dist/index.js');
  const { MediaStreamTrackProcessor } = await import('../dist/interfaces/MediaStreamTrackProcessor.js');
  // The built-in devices only: the machine's own cameras (if any) are not what is measured.
  const handle = installGlobals({}, { saltPath: join(tmpdir(), 'mediacapture-bench-salt'), backends: 'builtin' });
  const peak = { rss: 0, heapUsed: 0, arrayBuffers: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]);
  }, 250);
  const { PerformanceObserver, constants } = await import('node:perf_hooks');
  const majors = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors.push(e.startTime);
  }).observe({ entryTypes: ['gc'] });
  /**
   * Waits at least `min` seconds, until `count` major GCs have run in all (three: one or two at
   * start-up, then at least the first of the memory reducer's, which come ~0.6 s apart) and then none for
   * `settle` seconds (at most --max-wait seconds): the start-up heap is shrunk by V8's memory reducer
   * with three mark-compacts 15–45 s after start-up, which must fall in neither window (they
   * made an idle window cost 0.0065 CPU s/s, more than capture, before this wait).
   */
  const settled = async (min, count) => {
    const from = performance.now();
    for (;;) {
      await sleep(250);
      const now = performance.now();
      const quiet = now - (majors.at(-1) ?? 0) >= settle * 1000;
      if (now - from >= maxWait * 1000 || (now - from >= min * 1000 && majors.length >= count && quiet)) return;
    }
  };
  await settled(warmup, 3);
  console.log('idle');
  await command('capture');
  const tracks = await SCENARIOS[name].make(handle.mediaDevices);
  const interval = 1e6 / 30;
  let started = 0;
  let onStarted;
  const allStarted = new Promise((r) => (onStarted = r));
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
        if (r.size === null) {
          r.size = [value.displayWidth, value.displayHeight];
          if (++started === tracks.length) onStarted();
        }
        value.close();
      }
    })();
    return r;
  });
  await allStarted;
  await settled(warmup, 0);
  console.log('reading');
  await command('count');
  for (const r of readers) r.counting = true;
  peak.rss = peak.heapUsed = peak.arrayBuffers = 0;
  // With --loop-delay: how long other work on the main thread would wait, the event loop's delay
  // over the window. Off by default: the monitor's 1 ms timer wakes the loop a thousand times a
  // second, which adds about 0.014 CPU s/s here, as much as a whole 720p track costs.
  const loop = args['loop-delay'] ? monitorEventLoopDelay({ resolution: 1 }) : undefined;
  loop?.enable();
  const start = performance.now();
  await command('report');
  const wall = (performance.now() - start) / 1000;
  loop?.disable();
  clearInterval(sampler);
  for (const r of readers) r.counting = false;
  handle.uninstall();
  console.log(JSON.stringify({
    frames: readers.reduce((n, r) => n + r.frames, 0),
    expected: Math.round(wall * 30) * readers.length,
    dropped: readers.reduce((n, r) => n + r.dropped, 0),
    ...(loop ? { loopDelayP99: loop.percentile(99) / 1e6, loopDelayMax: loop.max / 1e6 } : {}),
    sizes: [...new Set(readers.map((r) => r.size.join('x')))],
    ...peak,
  }));
  process.exit(0);
}

/** Our side-by-side children: their CPU is not Chromium's. */
const ours = new Set();

/**
 * Starts one scenario's child process. Returns its phases as promises and functions: `idle` and
 * `reading` resolve when it reaches them, `send` writes a command, `result` is its report, and
 * `usage` samples its CPU (the same way as Chromium's).
 */
function startChild(name) {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--child=${name}`, `--warmup=${warmup}`, `--settle=${settle}`, `--max-wait=${maxWait}`, ...(args['loop-delay'] ? ['--loop-delay'] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
  ours.add(child.pid);
  let out = '';
  let err = '';
  const waiters = new Map();
  const reached = (line) => new Promise((r) => waiters.set(line, r));
  const idle = reached('idle');
  const reading = reached('reading');
  child.stdout.on('data', (d) => {
    out += d;
    for (const [line, resolve] of waiters) if (out.includes(`${line}\n`)) resolve();
  });
  child.stderr.on('data', (d) => (err += d));
  const result = new Promise((resolve, reject) => {
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`scenario ${name} failed:\n${err}`))));
  });
  return { idle, reading, result, send: (line) => child.stdin.write(`${line}\n`), usage: () => treeCpu(child.pid) };
}

/**
 * Runs scenarios (each a child process) and, if given, Chromium side by side: an idle window and
 * a capture window, each `seconds` long, at the same times for all. Returns per participant the
 * gross CPU s/s of both windows and the net (capture less idle).
 */
async function sideBySide(names, withChromium) {
  const browser = withChromium ? await (await import('./lib/chromium.mjs')).chromiumSession({ frameRate: 30, exclude: ours }) : undefined;
  const children = names.map((n) => startChild(n));
  // Our children settle themselves (see `settled`); the browser gets the warm-up time.
  await Promise.all([...children.map((c) => c.idle), sleep(warmup * 1000)]);
  const sample = () => [...children.map((c) => c.usage()), ...(browser ? [browser.usage()] : [])];
  const window = async () => {
    const before = sample();
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const after = sample();
    const wall = (performance.now() - t0) / 1000;
    return after.map((a, k) => cpuBetween(before[k], a) / wall);
  };
  const idle = await window();
  for (const c of children) c.send('capture');
  await Promise.all([...children.map((c) => c.reading), browser?.startReading({ width: 1280, height: 720 }).then(() => sleep(warmup * 1000))]);
  for (const c of children) c.send('count');
  await browser?.startCounting();
  const rssBefore = browser?.rss();
  const capture = await window();
  for (const c of children) c.send('report');
  const results = await Promise.all(children.map((c) => c.result));
  const out = {};
  names.forEach((n, k) => (out[n] = { ...results[k], idle: idle[k], capture: capture[k], net: capture[k] - idle[k] }));
  if (browser) {
    const k = names.length;
    const stats = await browser.stats();
    out.chromium = {
      idle: idle[k],
      capture: capture[k],
      net: capture[k] - idle[k],
      frames: stats.frames,
      expected: Math.round(seconds * 30),
      dropped: stats.dropped,
      sizes: [stats.size.join('x')],
      frameRateSetting: stats.settings.frameRate,
      processes: browser.processes(),
      rss: Math.max(rssBefore, browser.rss()),
    };
    await browser.close();
  }
  for (const c of children) ours.delete(c.pid);
  return out;
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const fmt = (x) => x.toFixed(4);
const stat = (xs) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
const statRatio = (xs) => `${xs.map((x) => x.toFixed(2)).join(' · ')} (median ${median(xs).toFixed(2)}, ${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;

/** Summed frames and drops, peak memory over the repeats of one participant. */
function summarise(runs) {
  const sum = (k) => runs.reduce((n, r) => n + r[k], 0);
  return {
    frames: sum('frames'),
    expected: sum('expected'),
    dropped: sum('dropped'),
    loopDelayP99: runs[0].loopDelayP99 === undefined ? undefined : Math.max(...runs.map((r) => r.loopDelayP99)),
    loopDelayMax: runs[0].loopDelayMax === undefined ? undefined : Math.max(...runs.map((r) => r.loopDelayMax)),
    rss: Math.max(...runs.map((r) => r.rss)),
    heapUsed: Math.max(...runs.map((r) => r.heapUsed ?? 0)),
    arrayBuffers: Math.max(...runs.map((r) => r.arrayBuffers ?? 0)),
    sizes: runs[0].sizes,
  };
}

/** The scenarios that run side by side (at the same time, each in its own process) in every repeat. */
const SIDE_BY_SIDE = ['720p', '720p-clones10'];

async function main() {
  const only = typeof args.only === 'string' ? args.only.split(',') : Object.keys(SCENARIOS);
  const repeat = Number(args.repeat ?? 3);
  const withChromium = !args['no-chromium'];
  const runs = Object.fromEntries([...only, 'chromium'].map((n) => [n, []]));
  const together = only.filter((n) => SIDE_BY_SIDE.includes(n));
  const alone = only.filter((n) => !SIDE_BY_SIDE.includes(n));
  const loads = [];
  const load = () => loads.push(Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]));
  load();
  // Repeats are interleaved, so that a burst of load from elsewhere on the machine lands on all.
  for (let i = 0; i < repeat; i++) {
    if (together.length > 0 || withChromium) {
      const out = await sideBySide(together, withChromium);
      for (const [n, r] of Object.entries(out)) runs[n].push(r);
    }
    load();
    // The others load a core (ten sizes) or are checked for dropped frames (1080p): alone.
    for (const name of alone) runs[name].push((await sideBySide([name], false))[name]);
    load();
  }
  console.log(`load average (1 min) ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} over the run; ${repeat} repeats of ${seconds} s windows`);
  console.log('| scenario | CPU s/s capture, median (range) | idle | net of idle | frames | dropped | peak RSS, heap, array buffers |');
  console.log('|---|---|---|---|---|---|---|');
  for (const name of [...only, ...(withChromium ? ['chromium'] : [])]) {
    const rs = runs[name];
    const r = summarise(rs);
    const label = name === 'chromium' ? `Chromium 1280x720@${rs[0].frameRateSetting} (fake camera, ${rs[0].processes} processes)` : SCENARIOS[name].label;
    const mem = name === 'chromium' ? `${mib(r.rss)} (tree)` : `${mib(r.rss)}, ${mib(r.heapUsed)}, ${mib(r.arrayBuffers)}`;
    const delay = r.loopDelayP99 === undefined ? '' : `; event-loop delay p99 ${r.loopDelayP99.toFixed(1)} ms (max ${r.loopDelayMax.toFixed(1)})`;
    console.log(`| ${label} | ${stat(rs.map((x) => x.capture))} | ${stat(rs.map((x) => x.idle))} | ${stat(rs.map((x) => x.net))} | ${r.frames}/${r.expected} | ${r.dropped}${delay} | ${mem} |`);
  }
  /** The ratio of two participants, per repeat (same seconds). */
  const ratios = (a, b, k) => runs[a].map((r, i) => r[k] / runs[b][i][k]);
  if (runs['720p']?.length && runs['720p-clones10']?.length) {
    console.log(`ten clones / one track, net: ${statRatio(ratios('720p-clones10', '720p', 'net'))} (target <= 1.15)`);
    console.log(`ten clones / one track, gross: ${statRatio(ratios('720p-clones10', '720p', 'capture'))}`);
  }
  if (withChromium && runs['720p']?.length) {
    console.log(`ours / Chromium at 1280x720@30, net of idle: ${statRatio(ratios('720p', 'chromium', 'net'))} (target <= 0.2)`);
    console.log(`ours / Chromium at 1280x720@30, gross: ${statRatio(ratios('720p', 'chromium', 'capture'))}`);
  }
}

if (typeof args.child === 'string') await child(args.child);
else await main();
