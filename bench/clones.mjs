// Ten readers against one, side by side, to split the cost of the ten-clones scenario of
// bench/pipeline.mjs (ten clones of a 1280x720@30 camera track, each read by a
// MediaStreamTrackProcessor) into its parts:
//
// - processors: ten clones of one built-in camera track against one track, each read by a
//   MediaStreamTrackProcessor (what bench/pipeline.mjs measures, without its bookkeeping).
// - pipeline: the same ten clones of one built-in camera track against one track, each read by a sink
//   attached to the track's media directly (src/algorithms/track/sink.ts), without a ReadableStream:
//   routing, one shared frame per distinct setting, a clone (a reference) per reader.
// - streams: no media at all. Ten plain ReadableStreams against one, set up as a processor's is
//   (highWaterMark 0, a pull that counts the read, a chunk enqueued in a task queued 30 times a
//   second), each read by `await reader.read()` in a loop: the cost of Node's own web-streams
//   read cycle at a camera's rate, which every MediaStreamTrackProcessor read pays on top of the
//   pipeline's.
//
// In every pair the one-reader and the ten-reader process run at the same time, so both see the
// same seconds of a shared machine. Each process warms up (V8 compiles the per-frame code) before
// its window.
//
//   npx tsc -p tsconfig.build.json && node bench/clones.mjs [--seconds=15] [--warmup=5] [--pairs=3] [--only=pipeline,streams]
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { setImmediate } from 'node:timers';
import { readdirSync, readFileSync } from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const seconds = Number(args.seconds ?? 20);
const warmup = Number(args.warmup ?? 10);
const pairs = Number(args.pairs ?? 3);
const settle = Number(args.settle ?? 10);
const maxWarmup = Number(args['max-warmup'] ?? 90);
// Major GCs to wait for: one or two at start-up (the import), then the memory reducer's three
// (~0.6 s apart), whose round comes 15–45 s after start-up here (later the more the process
// allocates); with the 10 s without one that follow, the round is over.
const settleMajors = Number(args['settle-majors'] ?? 3);
const distUrl = (dir) => pathToFileURL(`${resolve(dir)}/`).href;
const dist = args.dist ? distUrl(args.dist) : new URL('../dist/', import.meta.url).href;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A 1280x720@30 built-in camera track and n - 1 clones of it. */
async function cameraClones(n) {
  const { installGlobals } = await import(new URL('index.js', dist).href);
  const tab = installGlobals({}, { backends: 'builtin' });
  const [track] = (await tab.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 30 } })).getVideoTracks();
  return [track, ...Array.from({ length: n - 1 }, () => track.clone())];
}

/** Starts `n` readers; returns a function giving how many chunks they have read. */
const READERS = {
  async pipeline(n) {
    const { attachSink } = await import(new URL('algorithms/track/sink.js', dist).href);
    const { trackOf } = await import(new URL('interfaces/MediaStreamTrack.js', dist).href);
    const tracks = await cameraClones(n);
    let frames = 0;
    for (const t of tracks) attachSink(trackOf(t), { media(f) { frames++; f.close(); } });
    return () => frames;
  },
  async processors(n) {
    const { MediaStreamTrackProcessor } = await import(new URL('interfaces/MediaStreamTrackProcessor.js', dist).href);
    const tracks = await cameraClones(n);
    let frames = 0;
    for (const t of tracks) {
      const reader = new MediaStreamTrackProcessor({ track: t }).readable.getReader();
      void (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          frames++;
          value.close();
        }
      })();
    }
    return () => frames;
  },
  async streams(n) {
    let chunks = 0;
    const sources = Array.from({ length: n }, () => {
      const source = { pending: 0, queue: [], controller: null };
      const readable = new ReadableStream(
        { start: (c) => void (source.controller = c), pull: () => void source.pending++ },
        { highWaterMark: 0 },
      );
      const reader = readable.getReader();
      void (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          chunks++;
          value.read = true;
        }
      })();
      return source;
    });
    let tick = 0;
    setInterval(() => {
      tick++;
      for (const s of sources) s.queue.push({ tick });
      setImmediate(() => {
        for (const s of sources) {
          while (s.queue.length > 0 && s.pending > 0) {
            s.pending--;
            s.controller.enqueue(s.queue.shift());
          }
          s.queue.length = 0;
        }
      });
    }, 1000 / 30);
    return () => chunks;
  },
};

/**
 * CPU seconds of each thread of this process so far, by thread name (the main thread is the
 * process's name, V8's GC helpers "V8 DefaultWorke", libuv's pool "libuv-worker"), from the
 * nanosecond run times of /proc/self/task/TID/schedstat.
 */
function threadTimes() {
  const out = {};
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      const name = tid === String(process.pid) ? 'main' : readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      out[name] = (out[name] ?? 0) + ns / 1e9;
    } catch {
      // The thread ended.
    }
  }
  return out;
}

/**
 * The child: starts its readers, warms up, says "ready" and waits for "go" on stdin, so that the
 * two processes of a pair measure the same seconds. Warm-up is at least --warmup seconds, until
 * --settle-majors major GCs have run and then none for --settle seconds (at most --max-warmup):
 * V8 compiles the per-frame code over the first seconds, and its memory reducer shrinks the
 * start-up heap with three mark-compacts 15–45 s after start-up (later the more a process
 * allocates), 30–100 ms of CPU that, falling in one window of a pair and not the other, decided
 * the ratio of a 10 s window by itself. After them a 200 s trace showed scavenges only (39 with
 * one reader, 97 with ten). What a long capture pays for its clones is that steady state.
 */
async function child() {
  const count = await READERS[args.child](Number(args.n));
  const { PerformanceObserver, constants } = await import('node:perf_hooks');
  const gcs = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ at: e.startTime, ms: e.duration, major: e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR });
  }).observe({ entryTypes: ['gc'] });
  const started = performance.now();
  for (;;) {
    await sleep(250);
    const now = performance.now();
    const lastMajor = gcs.findLast((g) => g.major)?.at ?? started;
    if (now - started >= maxWarmup * 1000) break;
    const majors = gcs.filter((g) => g.major).length;
    if (now - started >= warmup * 1000 && majors >= settleMajors && now - lastMajor >= settle * 1000) break;
  }
  const warmed = (performance.now() - started) / 1000;
  console.log('ready');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const c0 = process.cpuUsage();
  const th0 = threadTimes();
  if (args.mark) console.error('--- window');
  const t0 = performance.now();
  const n0 = count();
  await sleep(seconds * 1000);
  const c = process.cpuUsage(c0);
  const dt = (performance.now() - t0) / 1000;
  const th1 = threadTimes();
  const helpers = Object.entries(th1).reduce((sum, [k, v]) => (k === 'main' ? sum : sum + v - (th0[k] ?? 0)), 0);
  const inWindow = gcs.filter((g) => g.at >= t0);
  console.log(JSON.stringify({
    cpu: (c.user + c.system) / 1e6 / dt,
    read: count() - n0,
    main: (th1.main - th0.main) / dt,
    helpers: helpers / dt,
    warmed,
    minor: inWindow.filter((g) => !g.major).length,
    major: inWindow.filter((g) => g.major).length,
  }));
  process.exit(0);
}
if (args.child) await child();

/** Starts a child; resolves with { ready, result } promises and its stdin. */
function start(mode, n, build) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), `--child=${mode}`, `--n=${n}`, `--seconds=${seconds}`, `--warmup=${warmup}`, `--settle=${settle}`, `--max-warmup=${maxWarmup}`, `--settle-majors=${settleMajors}`, ...(build ? [`--dist=${build}`] : [])]);
  let out = '';
  let onReady;
  const ready = new Promise((r) => (onReady = r));
  child.stdout.on('data', (d) => {
    out += d;
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr.on('data', (d) => process.stderr.write(d));
  const result = new Promise((resolve, reject) => {
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.slice('ready\n'.length))) : reject(new Error(`${mode} x${n} failed`))));
  });
  return { ready, result, go: () => child.stdin.write('go\n') };
}

/**
 * One pair per build (this tree's dist, and --before's if given): all the processes warm up,
 * then measure the same window.
 */
async function pairs_(mode) {
  const builds = args.before ? [undefined, args.before] : [undefined];
  const started = builds.map((build) => [start(mode, 1, build), start(mode, 10, build)]);
  await Promise.all(started.flat().map((c) => c.ready));
  for (const c of started.flat()) c.go();
  return Promise.all(started.map((pair) => Promise.all(pair.map((c) => c.result))));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const range = (xs, d = 2) => `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;
const modes = typeof args.only === 'string' ? args.only.split(',') : Object.keys(READERS);
const load = () => (readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
console.log(`load average ${load()} at the start; windows of ${seconds} s after ≥ ${warmup} s of warm-up and ${settle} s without a major GC`);
console.log('| what | build | pair | one reader: CPU s/s (main + helper threads), GCs minor/major | ten readers: same | ratio | per extra read |');
console.log('|---|---|---|---|---|---|---|');
const summary = [];
const cell = (r) => `${r.cpu.toFixed(4)} (${r.main.toFixed(4)} + ${r.helpers.toFixed(4)}), ${r.minor}/${r.major} GC, ${r.read} read`;
for (const mode of modes) {
  const ratios = [[], []];
  const mainRatios = [[], []];
  const perRead = [[], []];
  for (let i = 0; i < pairs; i++) {
    const results = await pairs_(mode);
    results.forEach(([one, ten], b) => {
      // The nine extra readers' CPU over their reads: microseconds of CPU per extra read.
      const extra = ((ten.cpu - one.cpu) * seconds * 1e6) / (ten.read - one.read);
      ratios[b].push(ten.cpu / one.cpu);
      mainRatios[b].push(ten.main / one.main);
      perRead[b].push(extra);
      console.log(`| ${mode} | ${b === 0 ? 'this' : 'before'} | ${i + 1} | ${cell(one)} | ${cell(ten)} | ${(ten.cpu / one.cpu).toFixed(2)}× | ${extra.toFixed(1)} µs |`);
    });
  }
  ratios.forEach((r, b) => {
    if (r.length > 0) summary.push(`${mode}${args.before ? (b === 0 ? ' (this build)' : ' (before)') : ''}: ratio ${range(r)}×, main thread only ${range(mainRatios[b])}×, ${range(perRead[b], 1)} µs of CPU per extra read`);
  });
}
console.log(`load average ${load()} at the end`);
for (const line of summary) console.log(line);
