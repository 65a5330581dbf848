// Benchmark of MediaRecorder on the build (see the "Recording" section of bench/README.md).
//
//   npx tsc -p tsconfig.build.json && node bench/record.mjs [--only=throughput|realtime] [--seconds=60] [--codecs=vp8,h264]
//
// 1. Throughput: 300 frames of the built-in camera's test pattern (1280x720 and 1920x1080), on a
//    virtual clock advanced as fast as the encoder takes the frames, through MediaRecorder (video
//    only, no timeslice), against ffmpeg alone encoding the same frames (rendered by the same
//    TestPattern, written to its stdin) with the same encoder options. Reported: frames per
//    second of each and their ratio (recorder / ffmpeg; target >= 0.9).
// 2. Real time: `seconds` (default 60) of 1280x720@30 video and 48 kHz stereo audio from the
//    built-in devices on the real clock, timeslice 1000 ms. Reported: frames dropped (the
//    recorder's drops and repeats, and gaps in the frame numbers decoded from the file; target 0),
//    CPU of this process and of ffmpeg per second of recording, and the output's duration.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { installGlobals } from '../dist/install.js';
import { MediaRecorder, mediaRecorderInternals } from '../dist/interfaces/MediaRecorder.js';
import { VirtualClock } from '../dist/media/clock/index.js';
import { TestPattern } from '../dist/media/synthetic/test-pattern.js';
import { decodeFrameNumber } from '../dist/media/synthetic/frame-code.js';
import { buildFfmpegArgs } from '../dist/backends/ffmpeg/args.js';
import { RawMatroskaWriter } from '../dist/backends/ffmpeg/raw-matroska.js';
import { threadsFor } from '../dist/backends/ffmpeg/threads.js';
import { availableParallelism, loadavg } from 'node:os';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? true]));
const FRAMES = 300;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const once = (target, type) => new Promise((r) => target.addEventListener(type, r, { once: true }));

const CODECS = {
  vp8: { mimeType: 'video/webm;codecs=vp8', container: 'webm', encoder: 'libvpx' },
  h264: { mimeType: 'video/x-matroska;codecs=avc1', container: 'matroska', encoder: 'libx264' },
};

function camera(width, height) {
  return [{ kind: 'videoinput', id: 'cam', videoModes: [{ width, height, frameRate: 30, pixelFormat: 'I420' }] }, { kind: 'audioinput', id: 'mic' }];
}

/** MediaRecorder: frames/s for FRAMES frames, fed as fast as the encoder takes them. */
async function recorderThroughput(codec, width, height) {
  const clock = new VirtualClock(0);
  const global = {};
  const handle = installGlobals(global, { clock, devices: camera(width, height) });
  const stream = await handle.mediaDevices.getUserMedia({ video: { width, height } });
  const recorder = new MediaRecorder(stream, { mimeType: CODECS[codec].mimeType });
  let bytes = 0;
  recorder.ondataavailable = (e) => (bytes += e.data.size);
  const t0 = performance.now();
  recorder.start();
  const session = mediaRecorderInternals.session(recorder);
  const frameBytes = width * height * 1.5;
  for (let n = 0; n < FRAMES; n++) {
    // Keep two frames in flight: the encoder never waits for us, memory stays small.
    while (session.backlogBytes > 2 * frameBytes) await sleep(1);
    clock.advance(1000 / 30);
    await new Promise((r) => setImmediate(r));
  }
  // The encoder takes the last frames before stop(), which drops what is still queued (real time).
  while (session.backlogBytes > 0) await sleep(1);
  const stopped = once(recorder, 'stop');
  recorder.stop();
  await stopped;
  const seconds = (performance.now() - t0) / 1000;
  handle.uninstall();
  return { fps: FRAMES / seconds, seconds, bytes, dropped: session.droppedFrames, repeated: session.repeatedFrames };
}

/** ffmpeg alone on the same frames, with the encoder options the recorder uses. */
async function ffmpegThroughput(codec, width, height) {
  const config = {
    container: CODECS[codec].container,
    audio: null,
    flushIntervalMs: 250,
    video: { codec, width, height, frameRate: 30, bitsPerSecond: 2_500_000, keyFrameIntervalCount: null, keyFrameIntervalDuration: null, ...(codec === 'h264' ? { h264: { profileIdc: 0x64, levelIdc: width > 1280 ? 40 : 31 } } : {}) },
  };
  // The same input as the recorder's: raw frames in a live Matroska stream (raw-matroska.ts), and
  // the same thread count rule (threads.ts).
  const argv = buildFfmpegArgs(config, { media: 'pipe:0' }, { video: CODECS[codec].encoder }, threadsFor(availableParallelism(), loadavg()[0]));
  const writer = new RawMatroskaWriter({ video: { width, height }, audio: null });
  const pattern = new TestPattern(width, height);
  const t0 = performance.now();
  const child = spawn('ffmpeg', argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  let bytes = 0;
  child.stdout.on('data', (c) => (bytes += c.length));
  const exited = new Promise((r) => child.on('exit', r));
  child.stdin.write(writer.header());
  for (let n = 0; n < FRAMES; n++) {
    const frame = new Uint8Array(pattern.layout.byteLength);
    pattern.render(n, Math.round((n * 1e6) / 30), frame);
    child.stdin.write(writer.blockHeader(writer.videoTrack, (n * 1000) / 30, frame.byteLength));
    if (!child.stdin.write(frame)) await new Promise((r) => child.stdin.once('drain', r));
  }
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`ffmpeg exited with ${code}`);
  const seconds = (performance.now() - t0) / 1000;
  return { fps: FRAMES / seconds, seconds, bytes };
}

function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, clock ticks (100 Hz)
  } catch {
    return NaN;
  }
}

/** Real-time recording of 720p30 + 48 kHz stereo from the built-in devices. */
async function realtime(seconds) {
  const global = {};
  const handle = installGlobals(global, { devices: camera(1280, 720) });
  const stream = await handle.mediaDevices.getUserMedia({ video: { width: 1280, height: 720 }, audio: { channelCount: 2 } });
  const recorder = new MediaRecorder(stream);
  const chunks = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  recorder.start(1000);
  await once(recorder, 'start');
  const session = mediaRecorderInternals.session(recorder);
  const pid = session.pid;
  let peakBacklog = 0;
  const end = t0 + seconds * 1000;
  while (performance.now() < end) {
    await sleep(50);
    peakBacklog = Math.max(peakBacklog, session.backlogBytes);
  }
  const ffmpegCpu = cpuSecondsOf(pid);
  const stopped = once(recorder, 'stop');
  recorder.stop();
  await stopped;
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  handle.uninstall();
  const file = Buffer.from(await new Blob(chunks).arrayBuffer());
  // Frame numbers from the file, read on a downscaled grey picture.
  const gray = execFileSync('ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-map', '0:v', '-vf', 'scale=320:180:flags=area', '-f', 'rawvideo', '-pix_fmt', 'gray', '-fps_mode', 'passthrough', 'pipe:1'], { input: file, maxBuffer: 1 << 30 });
  const size = 320 * 180;
  const numbers = [];
  for (let off = 0; off + size <= gray.length; off += size) numbers.push(decodeFrameNumber({ y: gray.subarray(off, off + size), width: 320, height: 180 }, { sourceAspectRatios: [] }));
  let gaps = 0;
  let repeats = 0;
  for (let i = 1; i < numbers.length; i++) {
    if (numbers[i] === null || numbers[i - 1] === null) continue;
    const d = numbers[i] - numbers[i - 1];
    if (d > 1) gaps += d - 1;
    if (d === 0) repeats++;
  }
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,nb_read_frames', '-count_frames', '-of', 'json', 'pipe:0'], { input: file, encoding: 'utf8' }));
  return {
    seconds: wall,
    frames: numbers.length,
    unreadable: numbers.filter((n) => n === null).length,
    gaps,
    repeats,
    recorderDropped: session.droppedFrames,
    recorderRepeated: session.repeatedFrames,
    nodeCpu: (cpu.user + cpu.system) / 1e6 / wall,
    ffmpegCpu: ffmpegCpu / wall,
    peakBacklogMB: peakBacklog / (1 << 20),
    audioPackets: Number(probe.streams.find((s) => s.codec_type === 'audio')?.nb_read_frames),
    bytes: file.length,
  };
}

const pct = (x) => `${(x * 100).toFixed(0)} %`;

if (args.only !== 'realtime') {
  const codecs = String(args.codecs ?? 'vp8,h264').split(',');
  console.log(`Throughput, ${FRAMES} frames, ${availableParallelism()} CPUs (recorder vs ffmpeg alone, same encoder options):`);
  console.log('| size | codec | MediaRecorder fps | ffmpeg alone fps | ratio |');
  console.log('|---|---|---|---|---|');
  for (const [w, h] of [[1280, 720], [1920, 1080]]) {
    for (const codec of codecs) {
      // Interleaved, best of two, as the machine is shared.
      const rec = [];
      const ff = [];
      for (let i = 0; i < 2; i++) {
        ff.push(await ffmpegThroughput(codec, w, h));
        rec.push(await recorderThroughput(codec, w, h));
      }
      const r = Math.max(...rec.map((x) => x.fps));
      const f = Math.max(...ff.map((x) => x.fps));
      console.log(`| ${w}x${h} | ${codec} | ${r.toFixed(1)} | ${f.toFixed(1)} | ${(r / f).toFixed(2)} |`);
      if (rec.some((x) => x.dropped > 0)) console.log(`  (recorder dropped ${rec.map((x) => x.dropped).join('/')} frames)`);
    }
  }
}

if (args.only !== 'throughput') {
  const seconds = Number(args.seconds ?? 60);
  console.log(`\nReal time: ${seconds} s of 1280x720@30 + 48 kHz stereo, video/webm;codecs=vp8,opus, timeslice 1000 ms:`);
  const r = await realtime(seconds);
  console.log(`  frames in file: ${r.frames} (expected ~${Math.round(r.seconds * 30)}), unreadable ${r.unreadable}`);
  console.log(`  frames dropped: ${r.gaps} gaps in frame numbers, ${r.repeats} repeated; recorder: ${r.recorderDropped} dropped, ${r.recorderRepeated} repeated`);
  console.log(`  CPU per second of recording: node ${pct(r.nodeCpu)}, ffmpeg ${pct(r.ffmpegCpu)} (of one core)`);
  console.log(`  peak encoder backlog ${r.peakBacklogMB.toFixed(1)} MB; audio packets ${r.audioPackets}; ${(r.bytes / 1e6).toFixed(1)} MB`);
}
