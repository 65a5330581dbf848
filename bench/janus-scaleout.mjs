#!/usr/bin/env node
// Scale-out through an SFU, measured: N capture processes (bench/lib/janus-publisher.mjs), each
// publishing the built-in camera (640x360 at 30 fps by default) and microphone to one Janus
// (Debian's package, the videoroom plugin), and one subscriber (this process) receiving every feed
// in one PeerConnection and reading each frame's number from its pixels, as a recorder of them all
// would decode them.
//
// Per N: CPU per stream of a publisher (its node and ffmpeg processes), of Janus, and of the
// subscriber; end-to-end latency (capture → Janus → decoded in the subscriber, from the frame
// numbers and each publisher's frame clock, on CLOCK_MONOTONIC); frames per second and frames lost
// per stream; the load average. Everything runs in a private network namespace (`unshare -n`,
// root): nothing is sent beyond it.
//
// Usage: npm run build && node bench/janus-scaleout.mjs [N ...] [--seconds 10] [--size 640x360]
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpuBetween, treeUsage } from './lib/proc.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
};
const SECONDS = Number(option('seconds', 10));
const [WIDTH, HEIGHT] = option('size', '640x360').split('x').map(Number);
const FPS = 30;
const WARMUP_MS = 3000;
const COUNTS = args.length > 0 ? args.map(Number) : [1, 2, 4];

if (!process.env.MC_SCALEOUT_INNER) {
  // Into a private network namespace (needs root, like the Janus test).
  const inner = spawnSync('unshare', ['-n', process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, MC_SCALEOUT_INNER: '1' } });
  process.exit(inner.status ?? 1);
}

const { setUpNamespace, startJanus, API, ROOM } = await import('../test/webrtc/fixtures/janus-server.mjs');
setUpNamespace();
const { installGlobals, MediaStreamTrackProcessor, JanusVideoRoom } = await import('../dist/index.js');
const { decodeFrameNumber } = await import('../dist/media/synthetic/frame-code.js');
const PUBLISHER = fileURLToPath(new URL('./lib/janus-publisher.mjs', import.meta.url));
const janus = await startJanus({ publishers: Math.max(...COUNTS) + 1, bitrate: 1_000_000 });
const handle = installGlobals(globalThis, { backends: 'builtin' });
const toMonotonic = () => Number(process.hrtime.bigint()) / 1e6;
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const cores = Number(spawnSync('nproc', { encoding: 'utf8' }).stdout.trim());

console.log(`Janus scale-out: ${WIDTH}x${HEIGHT}@${FPS} + Opus per publisher, ${SECONDS} s measured after ${WARMUP_MS / 1000} s; ${cores} cores; load before: ${loadavg()}`);
const results = [];
try {
  for (const n of COUNTS) results.push(await measure(n));
} finally {
  handle.uninstall();
  await janus.stop();
}
console.log(JSON.stringify(results));

async function measure(n) {
  const publishers = await Promise.all(Array.from({ length: n }, (_, i) => startPublisher(`pub${i}`)));
  const room = await JanusVideoRoom.connect(API, ROOM);
  const pc = new RTCPeerConnection();
  const videos = [];
  pc.ontrack = (e) => e.track.kind === 'video' && videos.push({ mid: e.transceiver.mid, track: e.track });
  const subscriber = await room.subscribe(pc, publishers.map((p) => p.feed));
  const byMid = new Map(subscriber.streams.map((s) => [s.mid, publishers.find((p) => p.feed === s.feed_id)]));
  const readers = [];
  let counting = false;
  await until(() => videos.length === n);
  for (const { mid, track } of videos) readers.push(readFrames(track, byMid.get(mid), () => counting));
  await sleep(WARMUP_MS);

  const exclude = new Set([janus.process.pid, ...publishers.map((p) => p.child.pid)]);
  const before = { janus: treeUsage(janus.process.pid), self: treeUsage(process.pid, { exclude }), pubs: publishers.map((p) => treeUsage(p.child.pid)) };
  const startedAt = performance.now();
  counting = true;
  await sleep(SECONDS * 1000);
  counting = false;
  const wall = (performance.now() - startedAt) / 1000;
  const after = { janus: treeUsage(janus.process.pid), self: treeUsage(process.pid, { exclude }), pubs: publishers.map((p) => treeUsage(p.child.pid)) };
  const load = loadavg();

  const latencies = readers.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  const result = {
    n,
    publisherCpu: publishers.map((_, i) => cpuBetween(before.pubs[i], after.pubs[i]) / wall),
    janusCpu: cpuBetween(before.janus, after.janus) / wall,
    subscriberCpu: cpuBetween(before.self, after.self) / wall,
    latency: { p50: pick(0.5), p90: pick(0.9), max: latencies.at(-1) },
    fps: readers.map((r) => r.counted / wall),
    lost: readers.reduce((sum, r) => sum + r.lost, 0),
    load,
  };
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const f = (x, d = 1) => x.toFixed(d);
  console.log(
    `N=${n}: CPU per stream: publisher ${f(mean(result.publisherCpu), 3)} s/s, Janus ${f(result.janusCpu / n, 3)}, subscriber ${f(result.subscriberCpu / n, 3)}; ` +
      `latency p50 ${f(result.latency.p50)} ms, p90 ${f(result.latency.p90)}, max ${f(result.latency.max)}; ${result.fps.map((x) => f(x)).join('/')} fps, ${result.lost} lost; load ${load}`,
  );

  await subscriber.close();
  for (const p of publishers) p.child.kill('SIGTERM');
  await Promise.all(publishers.map((p) => p.exited));
  await Promise.all(readers.map((r) => r.done));
  await room.close();
  return result;
}

/** Starts a publisher process; resolves with its feed and frame clock once Janus has its stream. */
function startPublisher(display) {
  const child = spawn(process.execPath, [PUBLISHER, String(WIDTH), String(HEIGHT), String(FPS), display], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, exited, ...JSON.parse(line) });
    });
    void exited.then((code) => reject(new Error(`publisher ${display} exited (${code}) before publishing`)));
  });
}

/** Reads a remote video track: frame numbers → latency against the publisher's frame clock. */
function readFrames(track, publisher, counting) {
  const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
  const state = { latencies: [], counted: 0, lost: 0, done: null };
  let last = null;
  state.done = (async () => {
    for (;;) {
      const { value: frame, done } = await reader.read();
      if (done) return;
      const readAt = toMonotonic();
      const bytes = new Uint8Array(frame.allocationSize());
      const [luma] = await frame.copyTo(bytes);
      const number = decodeFrameNumber({ y: bytes.subarray(luma.offset), width: frame.displayWidth, height: frame.displayHeight, stride: luma.stride });
      frame.close();
      if (number === null || !counting()) {
        last = number ?? last;
        continue;
      }
      state.counted++;
      if (last !== null && number > last + 1) state.lost += number - last - 1;
      last = number;
      state.latencies.push(readAt - (publisher.anchor + (number * 1000) / FPS));
    }
  })();
  return state;
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function until(condition) {
  for (let i = 0; i < 200 && !condition(); i++) await sleep(50);
  if (!condition()) throw new Error('timed out');
}
