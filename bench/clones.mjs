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
import { fileURLToPath } from 'node:url';
import { setImmediate } from 'node:timers';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const seconds = Number(args.seconds ?? 15);
const warmup = Number(args.warmup ?? 5);
const pairs = Number(args.pairs ?? 3);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A 1280x720@30 built-in camera track and n - 1 clones of it. */
async function cameraClones(n) {
  const { installGlobals } = await import('../dist/index.js');
  const tab = installGlobals({}, { backends: 'builtin' });
  const [track] = (await tab.mediaDevices.getUserMedia({ video: { width: 1280, height: 720, frameRate: 30 } })).getVideoTracks();
  return [track, ...Array.from({ length: n - 1 }, () => track.clone())];
}

/** Starts `n` readers; returns a function giving how many chunks they have read. */
const READERS = {
  async pipeline(n) {
    const { attachSink } = await import('../dist/algorithms/track/sink.js');
    const { trackOf } = await import('../dist/interfaces/MediaStreamTrack.js');
    const tracks = await cameraClones(n);
    let frames = 0;
    for (const t of tracks) attachSink(trackOf(t), { media(f) { frames++; f.close(); } });
    return () => frames;
  },
  async processors(n) {
    const { MediaStreamTrackProcessor } = await import('../dist/interfaces/MediaStreamTrackProcessor.js');
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

if (args.child) {
  const count = await READERS[args.child](Number(args.n));
  await sleep(warmup * 1000);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const n0 = count();
  await sleep(seconds * 1000);
  const c = process.cpuUsage(c0);
  const dt = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ cpu: (c.user + c.system) / 1e6 / dt, read: count() - n0 }));
  process.exit(0);
}

function run(mode, n) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), `--child=${mode}`, `--n=${n}`, `--seconds=${seconds}`, `--warmup=${warmup}`]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${mode} x${n} failed`))));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const modes = typeof args.only === 'string' ? args.only.split(',') : Object.keys(READERS);
console.log('| what | pair | one reader (CPU s/s) | ten readers (CPU s/s) | ratio | per extra read |');
console.log('|---|---|---|---|---|---|');
const summary = [];
for (const mode of modes) {
  const ratios = [];
  const perRead = [];
  for (let i = 0; i < pairs; i++) {
    const [one, ten] = await Promise.all([run(mode, 1), run(mode, 10)]);
    // The nine extra readers' CPU over their reads: microseconds of CPU per extra read.
    const extra = ((ten.cpu - one.cpu) * seconds * 1e6) / (ten.read - one.read);
    ratios.push(ten.cpu / one.cpu);
    perRead.push(extra);
    console.log(`| ${mode} | ${i + 1} | ${one.cpu.toFixed(4)} (${one.read} read) | ${ten.cpu.toFixed(4)} (${ten.read} read) | ${(ten.cpu / one.cpu).toFixed(2)}× | ${extra.toFixed(1)} µs |`);
  }
  summary.push(`${mode}: median ${median(ratios).toFixed(2)}×, ${median(perRead).toFixed(1)} µs of CPU per extra read`);
}
for (const line of summary) console.log(line);
