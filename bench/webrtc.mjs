// Benchmark of the WebRTC media path, ours beside Chromium's: a 30 fps camera → RTCPeerConnection
// → RTCPeerConnection over loopback → decoded VideoFrames read by a MediaStreamTrackProcessor, at
// 640x360 and 1280x720, on the build.
//
//   npx tsc -p tsconfig.build.json && node bench/webrtc.mjs [--pairs=3] [--seconds=10] [--warmup=5] [--idle=2]
//       [--sizes=640x360,1280x720] [--split] [--no-chromium]
//
// ours: the built-in camera → our RTCPeerConnection (werift, ffmpeg libvpx VP8 encoder) → our
//   RTCPeerConnection (ffmpeg VP8 decoder) in the same Node process, or with --split in a second
//   one. Each run is a fresh child process (or two) of this script.
// Chromium: headless Chromium (/usr/bin/chromium through playwright-core, launched afresh for
//   each run) with one page holding two RTCPeerConnections: our test pattern, drawn by the same
//   TestPattern code in the page and written as I420 VideoFrames into a MediaStreamTrackGenerator
//   on the same schedule as our camera, sent as VP8 (codec preferences) at ours' bitrate cap
//   (maxBitrate) and at full size (degradationPreference 'maintain-resolution').
//
// Measured in a window of `seconds` after `warmup` seconds of media:
// - latency per frame: from the frame's capture time (the end of its frame interval, when the
//   camera hands it on) to the moment the receiving side's reader gets the decoded frame. The
//   frame is recognised by the number the test pattern encodes in its pixels (decodeFrameNumber
//   on the luma of the top third, copied out with VideoFrame.copyTo({rect}) on both sides). The
//   two times are on one clock: in one process (ours, and Chromium's page) performance.now();
//   across two processes (--split) CLOCK_MONOTONIC, which is one clock for the whole machine
//   (process.hrtime), each process mapping its performance.now() onto it.
// - CPU seconds per second (user + system) of only the processes this script started: our child
//   (Node and its ffmpeg children), or the Chromium tree playwright launched, read from /proc with
//   the CPU of their reaped children. Also their CPU while idle (`idle` seconds before the
//   connection is made, after as many seconds to settle: Node with the package loaded; Chromium
//   with the page open), for netting.
// - received frames per second (distinct frame numbers), frames lost (numbers missing between the
//   first and last received), bitrate (RTP payload bytes received, from getStats).
// - ours only: whether the child process exits by itself after close() on both ends, and how
//   long it takes (no process.exit() in the child).
// Runs are interleaved in pairs (ours, Chromium; the next pair Chromium first), for each size;
// medians and ranges over the pairs, and the load average, are printed.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const FRAME_RATE = 30;

/** Ours' VP8 bitrate at this size (src/webrtc/rtp-encoder.ts: about 0.08 bits per pixel at 30 fps, 150 kbit/s to 2.5 Mbit/s): Chromium's cap. */
const bitrateFor = (width, height) => Math.min(2_500_000, Math.max(150_000, Math.round(width * height * 30 * 0.08)));

// ---------------------------------------------------------------------------------------------
// Child processes (ours). Roles: "both" (sender and receiver in one process), "send", "recv".
// The parent drives them over IPC: {connect}, {window: 'start'}, {stop} (replies {result}), {window: 'close'}.

async function child(role) {
  const { installGlobals, MediaStreamTrackProcessor } = await import('../dist/index.js');
  const { RTCPeerConnection } = await import('../dist/webrtc/index.js');
  const { decodeFrameNumber } = await import('../dist/media/synthetic/frame-code.js');
  const { livePids } = await import('../dist/backends/common/process.js');
  const { LatencyWindow, readFrameCodes } = await import('./lib/latency.mjs');
  const [width, height] = String(args.size).split('x').map(Number);
  // performance.now() → CLOCK_MONOTONIC (ms), the clock every process on the machine shares.
  const toMonotonic = Number(process.hrtime.bigint()) / 1e6 - performance.now();
  // The camera's one native mode is the size measured, so that it draws the test pattern at that
  // size, as the page does (its default modes are 640x480, 1280x720 and 1920x1080: 640x360 would be
  // cropped from 640x480 on the scaling thread, a cost the page's path does not have).
  const handle = installGlobals(globalThis, { backends: 'builtin', devices: [{ kind: 'videoinput', videoModes: [{ width, height, frameRate: FRAME_RATE, pixelFormat: 'I420' }] }] });
  const send = (m) => process.send(m);
  // Messages wait here until someone asks for their key.
  const messages = [];
  const waiters = new Set();
  process.on('message', (m) => {
    messages.push(m);
    for (const wake of [...waiters]) wake();
  });
  const next = async (key) => {
    for (;;) {
      const i = messages.findIndex((m) => key in m);
      if (i >= 0) return messages.splice(i, 1)[0][key];
      await new Promise((r) => {
        const wake = () => waiters.delete(wake) && r();
        waiters.add(wake);
      });
    }
  };
  send({ ready: true });
  await next('connect');

  let stream = null;
  let capture = null; // { n0, at0 }: frame n0 was captured at at0 (CLOCK_MONOTONIC ms)
  const pcs = [];
  if (role !== 'recv') {
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: { exact: width }, height: { exact: height }, frameRate: { exact: FRAME_RATE } } });
    // One frame read from a clone ties frame numbers to the camera's clock: frame n covers
    // [timestamp, timestamp + interval) and is handed on at its end (src/backends/builtin/source.ts).
    const clone = stream.getVideoTracks()[0].clone();
    const reader = new MediaStreamTrackProcessor({ track: clone }).readable.getReader();
    const { value: frame } = await reader.read();
    const y = new Uint8Array(frame.allocationSize());
    await frame.copyTo(y);
    capture = { n0: decodeFrameNumber({ y, width, height }), at0: (frame.timestamp + 1e6 / FRAME_RATE) / 1000 + toMonotonic };
    frame.close();
    reader.releaseLock();
    clone.stop();
  }
  const latency = new LatencyWindow((n) => capture.at0 + ((n - capture.n0) * 1000) / FRAME_RATE);
  let firstFrame;
  const arrived = new Promise((r) => (firstFrame = r));
  const receive = (pc) => {
    pc.ontrack = (e) =>
      readFrameCodes(e.track, { width, height, decode: decodeFrameNumber, now: () => performance.now() + toMonotonic, onFrame: (...a) => latency.frame(...a), onFirst: firstFrame });
  };
  if (role === 'both') {
    const [pc1, pc2] = [new RTCPeerConnection(), new RTCPeerConnection()];
    pcs.push(pc1, pc2);
    pc1.onicecandidate = (e) => e.candidate && pc2.addIceCandidate(e.candidate);
    pc2.onicecandidate = (e) => e.candidate && pc1.addIceCandidate(e.candidate);
    pc1.addTrack(stream.getVideoTracks()[0], stream);
    receive(pc2);
    await pc1.setLocalDescription(await pc1.createOffer());
    await pc2.setRemoteDescription(pc1.localDescription);
    await pc2.setLocalDescription(await pc2.createAnswer());
    await pc1.setRemoteDescription(pc2.localDescription);
  } else {
    // Signalling through the parent, which relays {signal} messages between the two children.
    const pc = new RTCPeerConnection();
    pcs.push(pc);
    pc.onicecandidate = (e) => send({ signal: { candidate: e.candidate?.toJSON() ?? null } });
    void (async () => {
      for (;;) {
        const s = await next('signal');
        if (s.candidate !== undefined) await pc.addIceCandidate(s.candidate ?? undefined);
        else if (s.capture) capture = s.capture;
        else if (s.description.type === 'offer') {
          await pc.setRemoteDescription(s.description);
          await pc.setLocalDescription(await pc.createAnswer());
          send({ signal: { description: pc.localDescription.toJSON() } });
        } else await pc.setRemoteDescription(s.description);
      }
    })();
    if (role === 'send') {
      pc.addTrack(stream.getVideoTracks()[0], stream);
      send({ signal: { capture } });
      await pc.setLocalDescription(await pc.createOffer());
      send({ signal: { description: pc.localDescription.toJSON() } });
    } else receive(pc);
  }
  if (role !== 'send') await arrived;
  send({ connected: true });

  /** Payload bytes the receiving connection has received so far (RTCInboundRtpStreamStats.bytesReceived). */
  const bytesReceived = async () => {
    let bytes = 0;
    for (const s of (await pcs[pcs.length - 1].getStats()).values()) if (s.type === 'inbound-rtp' && s.kind === 'video') bytes += s.bytesReceived ?? 0;
    return bytes;
  };
  for (;;) {
    const m = await next('window');
    if (m === 'close') break;
    if (role === 'send') {
      await next('stop');
      send({ result: {} });
      continue;
    }
    latency.reset();
    latency.counting = true;
    const startedAt = performance.now();
    const bytes0 = await bytesReceived();
    await next('stop');
    latency.counting = false;
    const wall = (performance.now() - startedAt) / 1000;
    const bitrate = ((await bytesReceived()) - bytes0) * 8 / wall;
    send({ result: { ...latency.summary(wall), bitrate, wall } });
  }

  // close() on both ends: then nothing of ours may keep this process alive.
  for (const pc of pcs) pc.close();
  for (const t of stream?.getTracks() ?? []) t.stop();
  await Promise.all(pcs.map((pc) => RTCPeerConnection.closed(pc)));
  handle.uninstall();
  send({ closed: { livePids: livePids(), resources: process.getActiveResourcesInfo() } });
  process.disconnect();
}

// ---------------------------------------------------------------------------------------------
// The parent: runs ours and Chromium, measures CPU from /proc.

const { treeUsage, cpuBetween } = await import('./lib/proc.mjs');

/** CPU seconds used so far by the trees under `roots` (with their reaped children's). */
function usage(roots, options) {
  const cpu = new Map();
  for (const root of roots) for (const [pid, s] of treeUsage(root, { ...options, reaped: true }).cpu) cpu.set(pid, s);
  return { cpu };
}

/** CPU s/s between two samples by kind of process: Node, the ffmpeg VP8 encoders, the ffmpeg decoders. */
function cpuParts(before, after, wall) {
  const parts = { node: 0, encode: 0, decode: 0 };
  for (const [pid, seconds] of after.cpu) {
    let kind = 'node';
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.startsWith('ffmpeg') || cmdline.includes('/ffmpeg\0')) kind = cmdline.includes('libvpx') ? 'encode' : 'decode';
    } catch {
      continue;
    }
    parts[kind] += (seconds - (before.cpu.get(pid) ?? 0)) / wall;
  }
  return parts;
}

/** The next IPC message of `proc` that has `key`. */
function message(proc, key) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (!(key in m)) return;
      proc.off('message', onMessage);
      proc.off('exit', onExit);
      resolve(m[key]);
    };
    const onExit = (code) => reject(new Error(`child exited (${code}) before '${key}'`));
    proc.on('message', onMessage);
    proc.once('exit', onExit);
  });
}

/** Measures CPU of `roots` over `ms` (s/s). */
async function cpuOver(roots, ms, options) {
  const before = usage(roots, options);
  const t0 = performance.now();
  await sleep(ms);
  return cpuBetween(before, usage(roots, options)) / ((performance.now() - t0) / 1000);
}

async function runOurs(width, height, { seconds, warmup, idle, split }) {
  const spawnChild = (role) => {
    const proc = fork(fileURLToPath(import.meta.url), [`--child=${role}`, `--size=${width}x${height}`], {
      env: { ...process.env, MEDIACAPTURE_ICE_ADDRESSES: '127.0.0.1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    proc.exitedAt = new Promise((resolve) => proc.once('exit', (code) => resolve({ code, at: performance.now() })));
    return proc;
  };
  const procs = split ? [spawnChild('send'), spawnChild('recv')] : [spawnChild('both')];
  try {
    await Promise.all(procs.map((p) => message(p, 'ready')));
    const roots = procs.map((p) => p.pid);
    // Idle: after start-up has settled.
    await sleep(idle * 1000);
    const idleCpu = await cpuOver(roots, idle * 1000);
    if (split) {
      // Relay the signalling.
      procs[0].on('message', (m) => m.signal && procs[1].connected && procs[1].send(m));
      procs[1].on('message', (m) => m.signal && procs[0].connected && procs[0].send(m));
    }
    const connected = Promise.all(procs.map((p) => message(p, 'connected')));
    for (const p of procs) p.send({ connect: true });
    await connected;
    await sleep(warmup * 1000);
    const before = usage(roots);
    const t0 = performance.now();
    for (const p of procs) p.send({ window: 'start' });
    await sleep(seconds * 1000);
    const results = Promise.all(procs.map((p) => message(p, 'result')));
    for (const p of procs) p.send({ stop: true });
    const after = usage(roots);
    const wall = (performance.now() - t0) / 1000;
    const cpu = cpuBetween(before, after) / wall;
    // While the processes are there to be named.
    const parts = cpuParts(before, after, wall);
    const result = (await results)[procs.length - 1];
    const closed = Promise.all(procs.map((p) => message(p, 'closed')));
    const closeAt = performance.now();
    for (const p of procs) p.send({ window: 'close' });
    const leftovers = await closed;
    // Each child must now exit by itself.
    const deadline = sleep(15_000).then(() => null);
    const exits = await Promise.all(procs.map((p) => Promise.race([p.exitedAt, deadline])));
    const exit = exits.every((e) => e && e.code === 0) ? { ok: true, ms: Math.max(...exits.map((e) => e.at - closeAt)) } : { ok: false, exits, leftovers };
    return { ...result, cpu, idleCpu, parts, exit, leftovers };
  } finally {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
  }
}

/** Serves dist/ and bench/lib/ (the page's modules) and the page on 127.0.0.1. */
async function startServer() {
  const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html' };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>webrtc bench</title><script type="module" src="/bench/lib/webrtc-page.mjs"></script>');
    if (!path.startsWith('/dist/') && !path.startsWith('/bench/lib/')) return res.writeHead(404).end();
    try {
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(join(ROOT, path)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

async function runChromium(width, height, { seconds, warmup, idle, server }) {
  const { chromium } = await import('playwright-core');
  const { CHROMIUM_ARGS } = await import('./lib/chromium.mjs');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    // Loopback candidates (left out by default) with plain addresses, not mDNS names.
    args: [...CHROMIUM_ARGS(FRAME_RATE), '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'],
  });
  try {
    // Playwright starts Chromium as a child of this process: the browser is every process below this one.
    const options = { includeRoot: false };
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => typeof window.startBench === 'function');
    const roots = [process.pid];
    // Idle: after start-up has settled.
    await sleep(idle * 1000);
    const idleCpu = await cpuOver(roots, idle * 1000, options);
    await page.evaluate((o) => window.startBench(o), { width, height, frameRate: FRAME_RATE, maxBitrate: bitrateFor(width, height) });
    await sleep(warmup * 1000);
    await page.evaluate(() => window.windowStart());
    const before = usage(roots, options);
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const cpu = cpuBetween(before, usage(roots, options)) / ((performance.now() - t0) / 1000);
    const result = await page.evaluate(() => window.windowStop());
    await page.evaluate(() => window.closeBench());
    return { ...result, cpu, idleCpu, processes: before.cpu.size };
  } finally {
    await browser.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (x, d = 1) => (x === null || x === undefined ? '–' : x.toFixed(d));
const stat = (xs, d = 1) => `${f(median(xs), d)} (${f(Math.min(...xs), d)}–${f(Math.max(...xs), d)})`;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

async function main() {
  const pairs = Number(args.pairs ?? 3);
  const options = { seconds: Number(args.seconds ?? 10), warmup: Number(args.warmup ?? 5), idle: Number(args.idle ?? 2), split: Boolean(args.split) };
  const sizes = String(args.sizes ?? '640x360,1280x720').split(',').map((s) => s.split('x').map(Number));
  const withChromium = !args['no-chromium'];
  const server = withChromium ? await startServer() : null;
  const runs = new Map(sizes.map(([w, h]) => [`${w}x${h}`, { ours: [], chromium: [] }]));
  const loads = [load()];
  console.log(`load average at start: ${loads[0]}`);
  try {
    for (let i = 0; i < pairs; i++) {
      for (const [w, h] of sizes) {
        const key = `${w}x${h}`;
        const order = withChromium ? (i % 2 === 0 ? ['ours', 'chromium'] : ['chromium', 'ours']) : ['ours'];
        for (const who of order) {
          const r = who === 'ours' ? await runOurs(w, h, options) : await runChromium(w, h, { ...options, server });
          r.load = load();
          runs.get(key)[who].push(r);
          console.log(`pair ${i + 1} ${key} ${who}${who === 'ours' && options.split ? ' (two processes)' : ''}: latency p50 ${f(r.latency.p50)} ms (p90 ${f(r.latency.p90)}, max ${f(r.latency.max)}), CPU ${f(r.cpu, 3)} s/s (idle ${f(r.idleCpu, 3)}), ${f(r.fps)} fps, ${r.lost} lost, ${r.unreadable} unreadable, ${f(r.bitrate / 1000, 0)} kbit/s, sizes ${r.sizes.join(' ')}` +
            (r.exit ? (r.exit.ok ? `, exited by itself ${f(r.exit.ms, 0)} ms after close` : `, DID NOT EXIT: ${JSON.stringify(r.exit)}`) : '') +
            (r.parts ? ` (Node ${f(r.parts.node, 3)}, ffmpeg encoder ${f(r.parts.encode, 3)}, decoder ${f(r.parts.decode, 3)})` : '') +
            (r.encoder ? `, sent ${r.encoder.frameWidth}x${r.encoder.frameHeight}, quality limited by ${r.encoder.qualityLimitationReason}` : '') + `; load ${r.load}`);
        }
      }
    }
  } finally {
    server?.close();
  }
  loads.push(load());
  console.log(`\nload average at end: ${loads[1]}`);
  console.log(`median (range) of ${pairs} interleaved pairs, ${options.seconds} s windows after ${options.warmup} s warm-up${options.split ? '; ours in two processes' : ''}:`);
  for (const [key, r] of runs) {
    for (const who of withChromium ? ['ours', 'chromium'] : ['ours']) {
      const rs = r[who];
      console.log(`${key} ${who.padEnd(8)} latency p50 ${stat(rs.map((x) => x.latency.p50))} ms, p90 ${stat(rs.map((x) => x.latency.p90))} ms; CPU ${stat(rs.map((x) => x.cpu), 3)} s/s, net of idle ${stat(rs.map((x) => x.cpu - x.idleCpu), 3)}; ${stat(rs.map((x) => x.fps))} fps; lost ${stat(rs.map((x) => x.lost), 0)}; ${stat(rs.map((x) => x.bitrate / 1000), 0)} kbit/s`);
    }
    if (withChromium) {
      const ratio = (g) => r.ours.map((x, k) => g(x) / g(r.chromium[k]));
      console.log(`${key} ours/Chromium per pair: CPU ${ratio((x) => x.cpu).map((x) => f(x, 2)).join(' · ')} (median ${f(median(ratio((x) => x.cpu)), 2)}), latency p50 ${ratio((x) => x.latency.p50).map((x) => f(x, 2)).join(' · ')} (median ${f(median(ratio((x) => x.latency.p50)), 2)})`);
    }
  }
}

if (typeof args.child === 'string') await child(args.child);
else await main();
