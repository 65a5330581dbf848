#!/usr/bin/env node
// CPU per stream of the two WebRTC stacks: the built-in camera at 640x360, 30 fps, sent by one
// RTCPeerConnection and received by another in this process (both over the same stack, on
// loopback), the remote track read to the end. CPU is this process's plus its children's
// (ffmpeg encoders and decoders for werift, the host processes for wrtc), over a 10 s window
// after 3 s of warm-up, as % of one core; "camera alone" is the same camera read directly.
// Usage: npm run build && node bench/wrtc-cpu.mjs [seconds]
import { readdirSync, readFileSync } from 'node:fs';
import { installGlobals, MediaStreamTrackProcessor } from '../dist/index.js';

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

async function measure(setup) {
  const { readable, done } = await setup();
  const reader = readable.getReader();
  let frames = 0;
  const reading = (async () => {
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) return;
      frames++;
      value.close();
    }
  })();
  await new Promise((r) => setTimeout(r, 3000));
  const a = ticks();
  const f0 = frames;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const b = ticks();
  const elapsed = (performance.now() - t0) / 1000;
  let used = 0;
  let own = 0;
  for (const [pid, cpu] of b) {
    if (!a.has(pid)) continue;
    used += cpu - a.get(pid);
    if (pid === process.pid) own += cpu - a.get(pid);
  }
  const percent = (t) => Math.round((t / TICK / elapsed) * 1000) / 10;
  const result = { cpu: percent(used), own: percent(own), children: percent(used - own), fps: Math.round(((frames - f0) / elapsed) * 10) / 10 };
  reader.cancel().catch(() => {});
  await done();
  await reading.catch(() => {});
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
      done: async () => {
        pc1.close();
        pc2.close();
        stream.getTracks().forEach((t) => t.stop());
      },
    };
  });
  console.log(`${stack}: ${result.cpu} % of a core (send + receive, camera included; this process ${result.own}, its children ${result.children}), ${result.fps} fps received`);
}
handle.uninstall();
