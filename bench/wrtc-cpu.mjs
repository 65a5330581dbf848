#!/usr/bin/env node
// CPU per stream of the two WebRTC stacks: the built-in camera at 640x360, 30 fps, sent by one
// RTCPeerConnection and received by another in this process (both over the same stack, on
// loopback), the remote track read to the end. CPU is this process's plus its children's
// (ffmpeg encoders and decoders for werift, the host processes for wrtc), over a 10 s window
// after 3 s of warm-up, as % of one core; "camera alone" is the same camera read directly.
// Latency: each remote frame's number (read from its pixels) against the time the same frame
// reached a reader of the local track, in the same process (median and 95th percentile).
// Usage: npm run build && node bench/wrtc-cpu.mjs [seconds]
import { readdirSync, readFileSync } from 'node:fs';
import { installGlobals, MediaStreamTrackProcessor } from '../dist/index.js';
import { decodeFrameNumber } from '../dist/media/synthetic/frame-code.js';
import { videoFramePlanes } from '../dist/webcodecs/internal.js';

const SECONDS = Number(process.argv[2] ?? 10);
const TICK = 100; // clock ticks per second (getconf CLK_TCK)
process.env.MEDIACAPTURE_ICE_ADDRESSES = '127.0.0.1';

/** CPU ticks of a process and of each live descendant, by pid. */
function ticks() {
  const stats = new Map();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(pid), { ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]) });
    } catch {}
  }
  const mine = new Map();
  const isMine = (pid) => pid === process.pid || (stats.has(pid) && stats.get(pid).ppid !== 0 && isMine(stats.get(pid).ppid));
  for (const [pid, s] of stats) if (isMine(pid)) mine.set(pid, s.cpu);
  return mine;
}

/** The test pattern's frame number of a frame, or null. */
function numberOf(frame) {
  const p = videoFramePlanes(frame);
  const y = p.layout[0];
  return decodeFrameNumber({ y: p.data.subarray(y.offset), width: p.visibleRect.width, height: p.visibleRect.height, stride: y.stride });
}

/** Reads a stream to its end: `each(frame)` for every frame, then closes it. */
function drain(readable, each) {
  const reader = readable.getReader();
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      each(value);
      value.close();
    }
  })();
  return { stop: () => reader.cancel().catch(() => {}), reading };
}

async function measure(setup) {
  const { readable, local, done } = await setup();
  let frames = 0;
  const sent = new Map();
  const latencies = [];
  const localDrain = local ? drain(local, (frame) => sent.set(numberOf(frame), performance.now())) : null;
  const remoteDrain = drain(readable, (frame) => {
    frames++;
    if (!local) return;
    const at = sent.get(numberOf(frame));
    if (at !== undefined) latencies.push(performance.now() - at);
  });
  await new Promise((r) => setTimeout(r, 3000));
  const a = ticks();
  const f0 = frames;
  latencies.length = 0;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const b = ticks();
  const elapsed = (performance.now() - t0) / 1000;
  const measured = latencies.splice(0).sort((x, y) => x - y);
  let used = 0;
  let own = 0;
  for (const [pid, cpu] of b) {
    if (!a.has(pid)) continue;
    used += cpu - a.get(pid);
    if (pid === process.pid) own += cpu - a.get(pid);
  }
  const percent = (t) => Math.round((t / TICK / elapsed) * 1000) / 10;
  const at = (q) => (measured.length ? Math.round(measured[Math.min(measured.length - 1, Math.floor(q * measured.length))]) : null);
  const result = { cpu: percent(used), own: percent(own), children: percent(used - own), fps: Math.round(((frames - f0) / elapsed) * 10) / 10, median: at(0.5), p95: at(0.95) };
  remoteDrain.stop();
  localDrain?.stop();
  await done();
  await Promise.all([remoteDrain.reading, localDrain?.reading].map((r) => r?.catch(() => {})));
  return result;
}

const handle = installGlobals(globalThis, { backends: 'builtin' });
const constraints = { video: { width: 640, height: 360, frameRate: 30 } };

const camera = await measure(async () => {
  const stream = await navigator.mediaDevices.getUserMedia(constraints);
  return { readable: new MediaStreamTrackProcessor({ track: stream.getVideoTracks()[0] }).readable, done: async () => stream.getTracks().forEach((t) => t.stop()) };
});
console.log(`camera alone: ${camera.cpu} % of a core, ${camera.fps} fps`);

for (const stack of ['werift', 'wrtc']) {
  const result = await measure(async () => {
    process.env.MEDIACAPTURE_WEBRTC = stack;
    const stream = await navigator.mediaDevices.getUserMedia(constraints);
    const pc1 = new RTCPeerConnection();
    const pc2 = new RTCPeerConnection();
    pc1.onicecandidate = (e) => e.candidate && pc2.addIceCandidate(e.candidate);
    pc2.onicecandidate = (e) => e.candidate && pc1.addIceCandidate(e.candidate);
    const remote = new Promise((resolve) => (pc2.ontrack = (e) => resolve(e.track)));
    pc1.addTrack(stream.getVideoTracks()[0], stream);
    await pc1.setLocalDescription(await pc1.createOffer());
    await pc2.setRemoteDescription(pc1.localDescription);
    await pc2.setLocalDescription(await pc2.createAnswer());
    await pc1.setRemoteDescription(pc2.localDescription);
    return {
      readable: new MediaStreamTrackProcessor({ track: await remote }).readable,
      local: new MediaStreamTrackProcessor({ track: stream.getVideoTracks()[0] }).readable,
      done: async () => {
        pc1.close();
        pc2.close();
        stream.getTracks().forEach((t) => t.stop());
      },
    };
  });
  console.log(`${stack}: ${result.cpu} % of a core (send + receive, camera included; this process ${result.own}, its children ${result.children}), ${result.fps} fps received, latency ${result.median} ms median, ${result.p95} ms 95th percentile`);
}
handle.uninstall();
