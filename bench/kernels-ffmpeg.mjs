// Our pixel kernels side by side with ffmpeg's swscale (native code, x86 SIMD) on the same frames:
//
//   npm run build && node bench/kernels-ffmpeg.mjs [pairs=5] [frames=600]
//
// - RGBA → I420 at 1280x720 (BT.601 limited range on all sides: swscale's default for yuv420p),
//   against `ffmpeg -vf format=yuv420p` and against libyuv (native, x86 SIMD), called in this
//   process through @roamhq/wrtc's `nonstandard.rgbaToI420` (a dev dependency; skipped when it is
//   not installed) on the same frames read the same way.
// - I420 1920x1080 → 640x360, against `ffmpeg -vf scale=640:360:flags=area` (and the default
//   bicubic, for scale).
//
// The frames: 20 distinct frames of the built-in test pattern plus noise (so no two frames, and no
// two runs of a row, are alike), written once to a raw file that ffmpeg reads with -stream_loop,
// and read by both sides the same way. Cost per frame, CPU time (user + system), each side netted
// against its own pass-through, so that both convert a frame that was just read (and is still
// in the cache, as a frame just captured is):
// - ffmpeg: its rusage (bash's `times` after it exits, so only the process this script started),
//   minus the rusage of the same command with the conversion replaced by a pass-through
//   (`format=rgba`, `null`), so reading the file, ffmpeg's start-up and frame handling cancel out;
// - ours: process.cpuUsage() around reading each frame from the same file (readSync into one
//   buffer, as ffmpeg reads it) and converting it, minus the same loop that only reads. The
//   buffers are in the kernels' memory (`residentBytes`), as the sources' and scalers' frame pools
//   take them; a second figure reads into ordinary buffers (planes copied in and out in strips).
// Each pair runs ours and both ffmpeg commands back to back, pairs interleaved; the table gives the
// median and range of the pairs, and the load average when the run started and ended (other jobs
// on the machine slow both sides of a pair alike, so the ratio holds better than the figures).
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { rgbaToI420 } from '../dist/media/convert/color.js';
import { i420Image, i420Size, packedImage } from '../dist/media/convert/image.js';
import { cropAndScaleI420 } from '../dist/media/convert/scale.js';
import { activeKernels, residentBytes, setKernels } from '../dist/media/kernels/wasm.js';
import { TestPattern } from '../dist/media/synthetic/index.js';

/** libyuv through @roamhq/wrtc, when installed (its prebuilt binary ships as an optional package). */
const libyuv = (() => {
  try {
    return createRequire(import.meta.url)('@roamhq/wrtc').nonstandard;
  } catch {
    return undefined;
  }
})();

const pairs = Number(process.argv[2] ?? 5);
const frames = Number(process.argv[3] ?? 600);
const DISTINCT = 20;
const dir = mkdtempSync(join(tmpdir(), 'mc-kernels-bench-'));

/** A deterministic noise source. */
let seed = 12345;
function noise() {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed >>> 28;
}

/** DISTINCT RGBA frames (test pattern, frame n, plus a little noise) of width × height. */
function rgbaFrames(width, height) {
  const pattern = new TestPattern(width, height);
  const yuv = new Uint8Array(pattern.layout.byteLength);
  const out = [];
  for (let n = 0; n < DISTINCT; n++) {
    pattern.render(n * 7, n * 233_333, yuv);
    // The pattern renders I420; RGBA from it with the (separately tested) reference is fine.
    const rgba = new Uint8Array(width * height * 4);
    const image = i420Image(yuv, width, height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const l = image.y.data[y * width + x];
        const i = (y * width + x) * 4;
        rgba[i] = Math.min(255, l + noise() + ((x * 3) & 63));
        rgba[i + 1] = Math.min(255, l + noise());
        rgba[i + 2] = Math.min(255, (l ^ (y & 255)) + noise());
        rgba[i + 3] = 255;
      }
    }
    out.push(rgba);
  }
  return out;
}

/** DISTINCT I420 frames of width × height: the test pattern with noise in every plane. */
function i420Frames(width, height) {
  const pattern = new TestPattern(width, height);
  const out = [];
  for (let n = 0; n < DISTINCT; n++) {
    const yuv = new Uint8Array(i420Size(width, height));
    pattern.render(n * 7, n * 233_333, yuv);
    for (let i = 0; i < yuv.length; i++) yuv[i] = Math.min(255, yuv[i] + noise());
    out.push(yuv);
  }
  return out;
}

function writeFrames(name, list) {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  for (const f of list) writeSync(fd, f);
  closeSync(fd);
  return path;
}

/** CPU seconds (user + system) of one ffmpeg run, from bash's `times` after it exits. */
function ffmpegCPU(args) {
  const out = execFileSync('bash', ['-c', '"$@" </dev/null >/dev/null 2>&1 || exit 1; times', 'bash', 'ffmpeg', ...args], { encoding: 'utf8' });
  // `times` prints the shell's user/system, then its children's: "0m1.234s 0m0.056s".
  const line = out.trim().split('\n').at(-1);
  const [user, system] = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return user + system;
}

function ffmpegArgs(input, pixFmt, size, filter) {
  const loops = Math.ceil(frames / DISTINCT) - 1;
  return ['-hide_banner', '-nostdin', '-threads', '1', '-filter_threads', '1', '-f', 'rawvideo', '-pix_fmt', pixFmt, '-s', size,
    '-stream_loop', String(loops), '-i', input, '-frames:v', String(frames), '-vf', filter, '-f', 'null', '-'];
}

/**
 * CPU ms per frame of reading frames from `file` (`bytes` each) into `buffer` and calling `fn()`
 * on each, minus the same loop without `fn` (the read alone), the two runs back to back.
 */
function oursFromFile(file, bytes, buffer, fn) {
  const run = (convert) => {
    const fd = openSync(file, 'r');
    const start = process.cpuUsage();
    for (let i = 0; i < frames; i++) {
      readSync(fd, buffer, 0, bytes, (i % DISTINCT) * bytes);
      if (convert) fn();
    }
    const used = process.cpuUsage(start);
    closeSync(fd);
    return (used.user + used.system) / 1000 / frames;
  };
  run(true);
  return run(true) - run(false);
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  return `${median.toFixed(3)} (${sorted[0].toFixed(3)}–${sorted.at(-1).toFixed(3)})`;
}

const cases = [];
{
  const [w, h] = [1280, 720];
  const list = rgbaFrames(w, h);
  const file = writeFrames('rgba720.raw', list);
  const dst = i420Image(residentBytes(i420Size(w, h)), w, h);
  const plainDst = i420Image(new Uint8Array(i420Size(w, h)), w, h);
  const buffer = residentBytes(w * h * 4);
  const plain = new Uint8Array(w * h * 4);
  cases.push({
    name: 'RGBA → I420 1280x720',
    file,
    bytes: buffer.length,
    buffer,
    plain,
    fromFile: () => rgbaToI420(packedImage(buffer, w, h), dst),
    plainFromFile: () => rgbaToI420(packedImage(plain, w, h), plainDst),
    anchors: [['swscale (libswscale, format=yuv420p)', ffmpegArgs(file, 'rgba', `${w}x${h}`, 'format=yuv420p'), ffmpegArgs(file, 'rgba', `${w}x${h}`, 'format=rgba')]],
    inProcess: libyuv && (() => {
      const rgba = { width: w, height: h, data: plain };
      const i420 = { width: w, height: h, data: new Uint8Array(i420Size(w, h)) };
      return ['libyuv (@roamhq/wrtc nonstandard.rgbaToI420)', () => libyuv.rgbaToI420(rgba, i420)];
    })(),
  });
}
{
  const [w, h] = [1920, 1080];
  const list = i420Frames(w, h);
  const file = writeFrames('i420-1080.raw', list);
  const dst = i420Image(residentBytes(i420Size(640, 360)), 640, 360);
  const plainDst = i420Image(new Uint8Array(i420Size(640, 360)), 640, 360);
  const base = ffmpegArgs(file, 'yuv420p', `${w}x${h}`, 'null');
  const buffer = residentBytes(i420Size(w, h));
  const plain = new Uint8Array(i420Size(w, h));
  cases.push({
    name: 'I420 1920x1080 → 640x360',
    file,
    bytes: buffer.length,
    buffer,
    plain,
    fromFile: () => cropAndScaleI420(i420Image(buffer, w, h), dst),
    plainFromFile: () => cropAndScaleI420(i420Image(plain, w, h), plainDst),
    anchors: [
      ['swscale area', ffmpegArgs(file, 'yuv420p', `${w}x${h}`, 'scale=640:360:flags=area'), base],
      ['swscale bicubic (default)', ffmpegArgs(file, 'yuv420p', `${w}x${h}`, 'scale=640:360'), base],
    ],
  });
}

const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`Node ${process.version}; ${execFileSync('ffmpeg', ['-hide_banner', '-version'], { encoding: 'utf8' }).split('\n')[0]}`);
console.log(`${pairs} interleaved pairs of ${frames} frames; kernels: ${activeKernels()}; load average at start ${loadBefore}`);
const rows = [];
for (const c of cases) {
  const ours = [];
  const copied = [];
  const js = [];
  const anchors = c.anchors.map(() => []);
  const native = [];
  for (let p = 0; p < pairs; p++) {
    ours.push(oursFromFile(c.file, c.bytes, c.buffer, c.fromFile));
    copied.push(oursFromFile(c.file, c.bytes, c.plain, c.plainFromFile));
    c.anchors.forEach(([, args, baseArgs], a) => {
      const with_ = ffmpegCPU(args);
      const without = ffmpegCPU(baseArgs);
      anchors[a].push(((with_ - without) * 1000) / frames);
    });
    // A native library in this process, reading into an ordinary buffer (as it would be given one).
    if (c.inProcess) native.push(oursFromFile(c.file, c.bytes, c.plain, c.inProcess[1]));
    // The scalar reference, in the same pair.
    setKernels('js');
    js.push(oursFromFile(c.file, c.bytes, c.plain, c.plainFromFile));
    setKernels('wasm');
  }
  rows.push([c.name, 'ours, WebAssembly SIMD, frame in the kernels\' memory', summary(ours), '']);
  rows.push([c.name, 'ours, WebAssembly SIMD, frame in an ordinary buffer (copied in)', summary(copied), '']);
  rows.push([c.name, 'ours, scalar JavaScript', summary(js), '']);
  c.anchors.forEach(([label], a) => {
    const ratios = ours.map((o, i) => o / anchors[a][i]);
    rows.push([c.name, `ffmpeg ${label}`, summary(anchors[a]), `ours/ffmpeg ${summary(ratios)}`]);
  });
  if (c.inProcess) {
    rows.push([c.name, c.inProcess[0], summary(native), `ours/libyuv ${summary(ours.map((o, i) => o / native[i]))}`]);
  }
}
console.log(`load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('| kernel | implementation | CPU ms per frame, median (range) | ratio per pair, median (range) |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
rmSync(dir, { recursive: true, force: true });
