/**
 * Behaviour of Xvfb (21.1) and ffmpeg's x11grab (5.1) that the x11 backend works around. Each
 * test shows the quirk still exists; when one fails, the workaround it names can go.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { procState } from '../helpers/proc.js';
import { until } from '../helpers/wait.js';
import { startXvfb, type Xvfb } from './xvfb.js';

let servers: Xvfb[] = [];
let children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const s of servers) await s.stop();
  servers = [];
  children = [];
});

/** Runs ffmpeg with x11grab; returns the bytes written so far and a promise of its exit. */
function grab(display: string, args: string[], output: string[] = []) {
  const child = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args, '-f', 'x11grab', '-framerate', '10', '-i', display, ...output, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const arrivals: [at: number, bytes: number][] = [];
  const state = {
    bytes: 0,
    firstAt: 0,
    started: performance.now(),
    exited: false,
    /** How many bytes had arrived at `time` (performance.now()). */
    bytesAt: (time: number) => arrivals.filter(([at]) => at <= time).at(-1)?.[1] ?? 0,
  };
  child.stdout!.on('data', (c: Buffer) => {
    const now = performance.now();
    if (state.bytes === 0) state.firstAt = now;
    state.bytes += c.length;
    arrivals.push([now, state.bytes]);
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      state.exited = true;
      resolve(code);
    }),
  );
  return { child, state, exited };
}

/** Grabs at 10 fps: frames are this far apart, ms. */
const GRAB_INTERVAL = 100;

describe('Xvfb and x11grab quirks', () => {
  it('Xvfb without -noreset resets when its last client leaves, undoing xsetroot (tests start it with -noreset)', async () => {
    const x = await startXvfb({ size: '64x48x24', noreset: false });
    servers.push(x);
    await x.paint('#ff0000');
    const g = grab(x.display, ['-probesize', '32', '-draw_mouse', '0'], ['-frames:v', '1']);
    const chunks: Buffer[] = [];
    g.child.stdout!.on('data', (c: Buffer) => chunks.push(c));
    await g.exited;
    // Y of black is 16; of red, 81.
    expect(Buffer.concat(chunks)[0]).toBe(16);
  });

  it('x11grab with -draw_mouse 0 keeps writing frames after the X server died (the backend watches its own X connection)', async () => {
    const x = await startXvfb({ size: '64x48x24' });
    servers.push(x);
    const g = grab(x.display, ['-probesize', '32', '-draw_mouse', '0']);
    await until(() => g.state.bytes > 0 || g.state.exited, 'the first frame');
    await x.stop();
    // The server is gone (reaped); frames keep coming: three more frames' worth of bytes.
    const frameBytes = 64 * 48 * 1.5;
    const before = g.state.bytes;
    await until(() => g.state.bytes >= before + 3 * frameBytes || g.state.exited, 'three more frames, or the exit');
    expect(procState(g.child.pid!)).toBe('running');
    expect(g.state.bytes).toBeGreaterThan(before);
  });

  it('x11grab with the cursor drawn exits when the X server dies, with status 0 (the backend ends the source on any exit)', async () => {
    const x = await startXvfb({ size: '64x48x24' });
    servers.push(x);
    const g = grab(x.display, ['-probesize', '32', '-draw_mouse', '1']);
    await until(() => g.state.bytes > 0 || g.state.exited, 'the first frame');
    await x.stop();
    expect(await g.exited).toBe(0);
  });

  it('x11grab holds back its first frame to probe the stream unless -probesize is tiny (the backend passes -probesize 32)', async () => {
    const x = await startXvfb({ size: '320x240x24' });
    servers.push(x);
    const slow = grab(x.display, ['-draw_mouse', '0']);
    const fast = grab(x.display, ['-probesize', '32', '-draw_mouse', '0']);
    await until(() => slow.state.bytes > 0 && fast.state.bytes > 0, 'a frame from each');
    // At 10 fps and 300 KiB a raw frame, the default 5 MB probe waits for about 16 frames: more
    // than 10 grab intervals pass before its first frame (a busy machine only adds to that).
    expect(slow.state.firstAt - slow.state.started).toBeGreaterThan(10 * GRAB_INTERVAL);
    // The one with the tiny probe, started at the same moment, gave its first frame while the
    // other was still probing, and had given several by the time the other gave its first.
    expect(fast.state.firstAt).toBeLessThan(slow.state.firstAt);
    expect(fast.state.bytesAt(slow.state.firstAt)).toBeGreaterThanOrEqual(5 * 320 * 240 * 1.5);
  });
});
