// Benchmark of PulseAudio capture (parec → AudioData → MediaStreamTrackProcessor), run on the build
// against the private PulseAudio of scripts/services.sh:
//
//   scripts/services.sh start && eval "$(scripts/services.sh env)"
//   npx tsc -p tsconfig.build.json && node bench/pulse.mjs [bursts] [cpuSeconds]
//
// 1. Capture latency, by timing a tone edge. We capture the monitor of the null sink mc_null through
//    the public API, then, for each burst, start `pacat` on mc_null, wait until its stream exists,
//    note the monotonic time t0 and write 100 ms of a 1 kHz tone into it. The first captured sample
//    whose magnitude passes 0.1 is the edge. Reported, relative to t0:
//     - arrival: when the AudioData holding the edge was read from the processor;
//     - timestamp: the AudioData's timestamp plus the edge's offset in it (what the track claims as
//       the edge's capture time).
//    t0 is when the samples were handed to the playback client, so the figures include the playback
//    side (pacat → server → null sink render) as well as the capture side: an upper bound on the
//    capture latency, the way a loopback test in a browser measures it.
// 2. CPU per second of 48 kHz capture: the same monitor (s16le stereo 48 kHz, silent) read for N
//    seconds through a processor; Node's process.cpuUsage() plus parec's utime+stime from /proc.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { installGlobals, MediaStreamTrackProcessor, PulseProvider } from '../dist/index.js';

const BURSTS = Number(process.argv[2] ?? 20);
const CPU_SECONDS = Number(process.argv[3] ?? 10);
const MONITOR = 'mc_null.monitor';
const RATE = 48000;
const TICKS = 100; // clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK on Linux)
const THRESHOLD = 0.1;

if (!process.env.PULSE_SERVER) {
  console.error('PULSE_SERVER is not set: run `eval "$(scripts/services.sh env)"` first (scripts/services.sh start).');
  process.exit(2);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

function cpuOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function nodeCpu() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** 100 ms of a 1 kHz tone at half scale, s16le stereo 48 kHz. */
function burst() {
  const frames = RATE / 10;
  const buf = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    const v = Math.round(16384 * Math.sin((2 * Math.PI * 1000 * i) / RATE));
    buf.writeInt16LE(v, i * 4);
    buf.writeInt16LE(v, i * 4 + 2);
  }
  return buf;
}

/**
 * Starts pacat on mc_null, and once its stream is created (pacat -v: "Stream successfully
 * created."), writes `data` and closes stdin. Resolves with t0 (ms, performance.now()) and the
 * playback buffer pacat was granted; the process exits after playing.
 */
function play(data) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'pacat',
      ['-v', '--playback', '--raw', '--device=mc_null', '--format=s16le', `--rate=${RATE}`, '--channels=2', '--latency-msec=10', '--client-name=mediacapture-bench'],
      { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    );
    let stderr = '';
    let metrics;
    let done = false;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const m = /Buffer metrics: maxlength=\d+, tlength=(\d+)/.exec(stderr);
      if (m) metrics = Number(m[1]) / 4 / RATE;
      if (!done && stderr.includes('Stream successfully created')) {
        done = true;
        const t0 = now();
        child.stdin.end(data);
        resolve({ t0, tlength: metrics, exited: new Promise((r) => child.once('exit', r)) });
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!done) reject(new Error(`pacat exited (${code}) before its stream was created: ${stderr}`));
    });
  });
}

const provider = new PulseProvider();
const handle = installGlobals({}, { backends: [], providers: [provider], permissions: { microphone: 'granted', onPrompt: () => 'granted' } });
// Labels and ids are exposed once a capture has been allowed (Media Capture §9.2, "device information can be exposed").
const first = await handle.mediaDevices.getUserMedia({ audio: true });
const devices = await handle.mediaDevices.enumerateDevices();
first.getTracks().forEach((t) => t.stop());
const monitor = devices.find((d) => d.kind === 'audioinput' && d.label === 'Monitor of Virtual Speaker');
if (!monitor) throw new Error(`no "${MONITOR}" among ${devices.map((d) => d.label).join(', ')}`);
const stream = await handle.mediaDevices.getUserMedia({ audio: { deviceId: { exact: monitor.deviceId } } });
const [track] = stream.getAudioTracks();
const source = provider.openSources.find((s) => s.device.rawId === MONITOR);
const settings = track.getSettings();

// The reader: every AudioData, with the time it was read.
const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
let watcher; // (data, arrivalMs) → void
let chunks = 0;
const reading = (async () => {
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const arrival = now();
    chunks++;
    watcher?.(value, arrival);
    value.close();
  }
})();

/** Waits for the first sample over THRESHOLD in data read after `after` (ms). */
function nextEdge(after, timeoutMs = 3000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => ((watcher = undefined), reject(new Error('no edge within 3 s'))), timeoutMs);
    watcher = (data, arrival) => {
      if (arrival < after) return;
      const n = data.numberOfFrames;
      const plane = new Float32Array(n);
      data.copyTo(plane, { planeIndex: 0, format: 'f32-planar' });
      for (let i = 0; i < n; i++) {
        if (Math.abs(plane[i]) > THRESHOLD) {
          clearTimeout(timer);
          watcher = undefined;
          resolve({ arrival, timestampMs: data.timestamp / 1000 + (i / data.sampleRate) * 1000 });
          return;
        }
      }
    };
  });
}

// A null-sink monitor delivers its first samples up to 2 s after the stream connects (source.ts).
const warm = now();
while (chunks === 0 && now() - warm < 5000) await sleep(20);
await sleep(500);

const tone = burst();
const arrivals = [];
const stamps = [];
let tlength;
for (let b = 0; b < BURSTS; b++) {
  await sleep(200 + Math.random() * 100); // silence between bursts, not in step with the 10 ms chunks
  const edge = nextEdge(now());
  const played = await play(tone);
  tlength = played.tlength;
  const { arrival, timestampMs } = await edge;
  arrivals.push(arrival - played.t0);
  stamps.push(timestampMs - played.t0);
  await played.exited;
}
watcher = undefined;

// CPU per second of capture (the same stream, silent now).
await sleep(500);
const parec = source.pid;
const start = { t: now(), node: nodeCpu(), parec: cpuOf(parec), chunks };
await sleep(CPU_SECONDS * 1000);
const seconds = (now() - start.t) / 1000;
const cpu = { node: (nodeCpu() - start.node) / seconds, parec: (cpuOf(parec) - start.parec) / seconds, chunksPerSecond: (chunks - start.chunks) / seconds };

track.stop();
await reading;
await source.closed;
handle.uninstall();
provider.close();

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${quantile(s, 0.5).toFixed(1)} ms, p90 ${quantile(s, 0.9).toFixed(1)} ms, min ${s[0].toFixed(1)}, max ${s[s.length - 1].toFixed(1)}`;
};
console.log(`PulseAudio capture, Node ${process.version}, ${process.platform}/${process.arch}, ${MONITOR} (${settings.sampleRate} Hz, ${settings.channelCount} ch)`);
console.log(`granted capture latency (parec fragsize): ${(source.grantedLatency * 1000).toFixed(1)} ms; track latency setting ${(settings.latency * 1000).toFixed(1)} ms; pacat playback tlength ${(tlength * 1000).toFixed(1)} ms`);
console.log(`tone edge, ${BURSTS} bursts, write into pacat → AudioData read: ${stats(arrivals)}`);
console.log(`tone edge, ${BURSTS} bursts, write into pacat → edge's timestamp: ${stats(stamps)}`);
console.log(`CPU over ${seconds.toFixed(1)} s of capture: Node ${(cpu.node * 1000).toFixed(1)} ms/s, parec ${(cpu.parec * 1000).toFixed(1)} ms/s, total ${((cpu.node + cpu.parec) * 1000).toFixed(1)} ms/s; ${cpu.chunksPerSecond.toFixed(1)} AudioData/s`);
