// Benchmark of screen capture (getDisplayMedia on X11: ffmpeg x11grab → I420 → VideoFrames), run
// on the build, against a private Xvfb at 1280x720:
//
//   npx tsc -p tsconfig.build.json && node bench/screen.mjs [seconds]
//
// For each case: frames per second delivered to a track sink, and CPU seconds per second of the
// Node process, of ffmpeg and of Xvfb (which serves the grabs). A second part compares the two ways
// to get I420 from x11grab's bgr0: ffmpeg's swscale (what the backend does) or our rgbaToI420.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { installGlobals } from '../dist/index.js';
import { X11DisplayProvider } from '../dist/backends/x11/index.js';
import { attachSink } from '../dist/algorithms/track/sink.js';
import { trackOf } from '../dist/interfaces/MediaStreamTrack.js';
import { rgbaToI420 } from '../dist/media/convert/color.js';
import { i420Image, i420Size, packedImage } from '../dist/media/convert/image.js';

const SECONDS = Number(process.argv[2] ?? 5);
const WIDTH = 1280;
const HEIGHT = 720;
const TICKS = 100; // clock ticks per second of /proc/<pid>/stat (getconf CLK_TCK on Linux)

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds used so far by a process (user + system), from /proc. */
function cpuOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

function nodeCpu() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function startXvfb() {
  for (let n = 180; n < 220; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const proc = spawn('Xvfb', [`:${n}`, '-screen', '0', `${WIDTH}x${HEIGHT}x24`, '-nolisten', 'tcp', '-noreset'], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) await sleep(50);
    await sleep(200);
    if (proc.exitCode === null) return { display: `:${n}`, proc };
  }
  throw new Error('no free display for Xvfb');
}

const xvfb = await startXvfb();
await new Promise((resolve) => spawn('xsetroot', ['-solid', '#336699'], { env: { ...process.env, DISPLAY: xvfb.display } }).on('exit', resolve));

const provider = new X11DisplayProvider({ display: xvfb.display });
const handle = installGlobals(globalThis, { permissions: { onPrompt: () => 'granted' }, displayProviders: [provider] });

/** Captures for SECONDS (after 1 s of warm-up) and measures. */
async function measure(name, video) {
  const called = performance.now();
  const stream = await navigator.mediaDevices.getDisplayMedia({ video });
  const resolvedMs = performance.now() - called;
  const track = stream.getVideoTracks()[0];
  const ffmpeg = provider.openSources[0].pid;
  let frames = 0;
  let size = '';
  const detach = attachSink(trackOf(track), {
    media(frame) {
      frames++;
      size = `${frame.displayWidth}x${frame.displayHeight}`;
      frame.close();
    },
  });
  await sleep(1000);
  const start = { t: performance.now(), frames, node: nodeCpu(), ffmpeg: cpuOf(ffmpeg), xvfb: cpuOf(xvfb.proc.pid) };
  await sleep(SECONDS * 1000);
  const seconds = (performance.now() - start.t) / 1000;
  const row = {
    name,
    size,
    fps: (frames - start.frames) / seconds,
    node: (nodeCpu() - start.node) / seconds,
    ffmpeg: (cpuOf(ffmpeg) - start.ffmpeg) / seconds,
    xvfb: (cpuOf(xvfb.proc.pid) - start.xvfb) / seconds,
    resolvedMs,
  };
  detach();
  track.stop();
  await provider.openSources[0]?.exited;
  await sleep(200);
  return row;
}

/** Runs ffmpeg x11grab → `pixFmt` on a pipe; with `convert`, each bgr0 frame goes through rgbaToI420. */
async function rawGrab(pixFmt, convert) {
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-probesize', '32', '-f', 'x11grab', '-draw_mouse', '0', '-framerate', '30', '-video_size', `${WIDTH}x${HEIGHT}`, '-i', xvfb.display, '-f', 'rawvideo', '-pix_fmt', pixFmt, 'pipe:1'];
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const frameBytes = pixFmt === 'bgr0' ? WIDTH * HEIGHT * 4 : i420Size(WIDTH, HEIGHT);
  const frame = new Uint8Array(frameBytes);
  const out = new Uint8Array(i420Size(WIDTH, HEIGHT));
  let filled = 0;
  let frames = 0;
  child.stdout.on('data', (chunk) => {
    let at = 0;
    while (at < chunk.length) {
      const n = Math.min(frameBytes - filled, chunk.length - at);
      frame.set(chunk.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === frameBytes) {
        filled = 0;
        frames++;
        if (convert) rgbaToI420(packedImage(frame, WIDTH, HEIGHT), i420Image(out, WIDTH, HEIGHT), { order: 'BGRA' });
      }
    }
  });
  await sleep(1000);
  const start = { t: performance.now(), frames, node: nodeCpu(), ffmpeg: cpuOf(child.pid), xvfb: cpuOf(xvfb.proc.pid) };
  await sleep(SECONDS * 1000);
  const seconds = (performance.now() - start.t) / 1000;
  const row = {
    name: convert ? 'x11grab → bgr0, rgbaToI420 in Node' : `x11grab → ${pixFmt} (swscale in ffmpeg), read in Node`,
    size: `${WIDTH}x${HEIGHT}`,
    fps: (frames - start.frames) / seconds,
    node: (nodeCpu() - start.node) / seconds,
    ffmpeg: (cpuOf(child.pid) - start.ffmpeg) / seconds,
    xvfb: (cpuOf(xvfb.proc.pid) - start.xvfb) / seconds,
  };
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return row;
}

const rows = [];
try {
  rows.push(await measure('getDisplayMedia, native 1280x720@30', { cursor: 'never' }));
  rows.push(await measure('getDisplayMedia, cursor drawn', { cursor: 'always' }));
  rows.push(await measure('getDisplayMedia, downscaled to 640x360 (in Node)', { width: 640, cursor: 'never' }));
  rows.push(await measure('getDisplayMedia, frameRate 10 (x11grab grabs at 10 fps)', { frameRate: 10, cursor: 'never' }));
  rows.push(await rawGrab('yuv420p', false));
  rows.push(await rawGrab('bgr0', true));
} finally {
  handle.uninstall();
  xvfb.proc.kill('SIGTERM');
}

const f = (x) => x.toFixed(2);
console.log(`Screen capture, ${SECONDS} s per case, Node ${process.version}, ${process.platform}/${process.arch}`);
console.log('| case | frames | fps | CPU s/s Node | CPU s/s ffmpeg | CPU s/s Xvfb | CPU s/s total | getDisplayMedia resolves |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const resolved = r.resolvedMs === undefined ? '' : `${r.resolvedMs.toFixed(0)} ms`;
  console.log(`| ${r.name} | ${r.size} | ${r.fps.toFixed(1)} | ${f(r.node)} | ${f(r.ffmpeg)} | ${f(r.xvfb)} | ${f(r.node + r.ffmpeg + r.xvfb)} | ${resolved} |`);
}
