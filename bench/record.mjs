// Benchmark of MediaRecorder on the build (see the "Recording" section of bench/README.md).
//
//   npx tsc -p tsconfig.build.json && node bench/record.mjs [--only=throughput|realtime] [--seconds=60] [--codecs=vp8,h264] [--pairs=3] [--verbose]
//
// 1. Throughput: 300 frames of the built-in camera's test pattern (1280x720 and 1920x1080), on a
//    virtual clock advanced as fast as the encoder takes the frames, through MediaRecorder (video
//    only, no timeslice), against ffmpeg alone encoding the same frames from a file (written
//    before any timing, in the raw Matroska stream the recorder sends its encoder), with the
//    recorder's own command line and spawned the same way (detached). Interleaved pairs
//    (--pairs, default 3); reported: frames per second of each, the ratio per pair (recorder /
//    ffmpeg; target >= 0.9), its median and range.
// 2. Real time: `seconds` (default 60) of 1280x720@30 video and 48 kHz stereo audio from the
//    built-in devices on the real clock, timeslice 1000 ms. Reported: frames dropped (the
//    recorder's drops and repeats, and gaps in the frame numbers decoded from the file; target 0),
//    CPU of this process and of ffmpeg per second of recording, and the output's duration.
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { installGlobals } from '../dist/install.js';
import { MediaRecorder, mediaRecorderInternals } from '../dist/interfaces/MediaRecorder.js';
import { VirtualClock } from '../dist/media/clock/index.js';
import { TestPattern } from '../dist/media/synthetic/test-pattern.js';
import { decodeFrameNumber } from '../dist/media/synthetic/frame-code.js';
import { RawMatroskaWriter } from '../dist/backends/ffmpeg/raw-matroska.js';
import { availableParallelism, loadavg, tmpdir } from 'node:os';

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

/**
 * MediaRecorder: frames/s for FRAMES frames, fed as fast as the encoder takes them, from start()
 * to the `stop` event. Also returns the encoder's command line (from /proc), for ffmpeg alone.
 */
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
  let argv;
  for (let n = 0; n < FRAMES; n++) {
    argv ??= commandLine(session.pid);
    // Keep two frames in flight: the encoder never waits for us, memory stays small.
    while (session.backlogBytes > 2 * frameBytes) await sleep(1);
    clock.advance(1000 / 30);
    await new Promise((r) => setImmediate(r));
  }
  argv ??= commandLine(session.pid);
  // The encoder takes the last frames before stop(), which drops what is still queued (real time).
  while (session.backlogBytes > 0) await sleep(1);
  const stopped = once(recorder, 'stop');
  recorder.stop();
  await stopped;
  const seconds = (performance.now() - t0) / 1000;
  handle.uninstall();
  return { fps: FRAMES / seconds, seconds, bytes, dropped: session.droppedFrames, repeated: session.repeatedFrames, argv };
}

/** The command line of a running process (without the program), or undefined. */
function commandLine(pid) {
  if (pid === undefined) return undefined;
  try {
    const parts = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return parts.slice(1, -1);
  } catch {
    return undefined;
  }
}

/**
 * The recorder's input for FRAMES frames, in a file: the same raw Matroska stream it writes to its
 * encoder (raw-matroska.ts), the same TestPattern frames. Made once per size, before any timing.
 */
function inputFile(width, height) {
  const path = join(tmpdir(), `mc-record-bench-${process.pid}-${width}x${height}.mkv`);
  const writer = new RawMatroskaWriter({ video: { width, height }, audio: null });
  const pattern = new TestPattern(width, height);
  const fd = openSync(path, 'w');
  writeSync(fd, writer.header());
  const frame = new Uint8Array(pattern.layout.byteLength);
  for (let n = 0; n < FRAMES; n++) {
    pattern.render(n, Math.round((n * 1e6) / 30), frame);
    writeSync(fd, writer.blockHeader(writer.videoTrack, (n * 1000) / 30, frame.byteLength));
    writeSync(fd, frame);
  }
  closeSync(fd);
  return path;
}

/**
 * ffmpeg alone: the recorder's very command line (read from /proc while it recorded), its input
 * replaced by the file of the same frames, and a seekable copy (the tee muxer's second output,
 * if any) sent to a file of its own; spawned as the recorder spawns it (`detached`: its own
 * session, so the same scheduling group set-up as the recorder's encoder under autogroup).
 * Frames per second from spawn to exit.
 */
async function ffmpegThroughput(argv, file) {
  const copy = join(tmpdir(), `mc-record-bench-${process.pid}-copy`);
  const args = argv.map((a, i) => (argv[i - 1] === '-i' ? file : a.replace(/\/[^|\]]*mediacapture[^|\]]*(\.(webm|mkv|mp4))/g, `${copy}$1`)));
  const t0 = performance.now();
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  let bytes = 0;
  child.stdout.on('data', (c) => (bytes += c.length));
  const code = await new Promise((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`ffmpeg exited with ${code}: ${args.join(' ')}`);
  const seconds = (performance.now() - t0) / 1000;
  rmSync(`${copy}.mkv`, { force: true });
  rmSync(`${copy}.webm`, { force: true });
  rmSync(`${copy}.mp4`, { force: true });
  return { fps: FRAMES / seconds, seconds, bytes, args };
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

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const stat = (xs, d = 1) => `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;

if (args.only !== 'realtime') {
  const codecs = String(args.codecs ?? 'vp8,h264').split(',');
  const pairs = Number(args.pairs ?? 3);
  console.log(`Throughput, ${FRAMES} frames, ${availableParallelism()} CPUs, ${pairs} interleaved pairs (recorder, and ffmpeg alone from a file with the recorder's command line); load average ${loadavg()[0].toFixed(2)} at the start:`);
  console.log('| size | codec | MediaRecorder fps, per pair | ffmpeg alone fps, per pair | ratio per pair | median ratio (range) |');
  console.log('|---|---|---|---|---|---|');
  for (const [w, h] of [[1280, 720], [1920, 1080]]) {
    const file = inputFile(w, h);
    for (const codec of codecs) {
      const rec = [];
      const ff = [];
      for (let i = 0; i < pairs; i++) {
        // Interleaved, the order alternating; ffmpeg alone takes the command line the recorder
        // ran (the thread count is chosen from the load average when the recording starts).
        const r = await recorderThroughput(codec, w, h);
        if (r.argv === undefined) throw new Error('could not read the encoder\'s command line');
        if (i % 2 === 0) {
          ff.push(await ffmpegThroughput(r.argv, file));
          rec.push(r);
        } else {
          const f = await ffmpegThroughput(r.argv, file);
          rec.push(await recorderThroughput(codec, w, h));
          ff.push(f);
        }
      }
      const ratios = rec.map((r, i) => r.fps / ff[i].fps);
      console.log(`| ${w}x${h} | ${codec} | ${rec.map((x) => x.fps.toFixed(1)).join(' · ')} | ${ff.map((x) => x.fps.toFixed(1)).join(' · ')} | ${ratios.map((x) => x.toFixed(2)).join(' · ')} | ${stat(ratios, 2)} |`);
      if (rec.some((x) => x.dropped > 0)) console.log(`  (recorder dropped ${rec.map((x) => x.dropped).join('/')} frames)`);
      if (args.verbose) console.log(`  ffmpeg alone: ffmpeg ${ff[0].args.join(' ')}`);
    }
    unlinkSync(file);
  }
  console.log(`load average ${loadavg()[0].toFixed(2)} at the end`);
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
