/**
 * Behaviour of Xvfb (21.1) and ffmpeg's x11grab (5.1) that the x11 backend works around. Each
 * test shows the quirk still exists; when one fails, the workaround it names can go.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { procState } from '../helpers/proc.js';
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
  const state = { bytes: 0, firstAt: 0, started: performance.now() };
  child.stdout!.on('data', (c: Buffer) => {
    if (state.bytes === 0) state.firstAt = performance.now();
    state.bytes += c.length;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, state, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
    await sleep(500);
    await x.stop();
    await sleep(300);
    const before = g.state.bytes;
    await sleep(500);
    expect(procState(g.child.pid!)).toBe('running');
    expect(g.state.bytes).toBeGreaterThan(before);
  });

  it('x11grab with the cursor drawn exits when the X server dies, with status 0 (the backend ends the source on any exit)', async () => {
    const x = await startXvfb({ size: '64x48x24' });
    servers.push(x);
    const g = grab(x.display, ['-probesize', '32', '-draw_mouse', '1']);
    await sleep(500);
    await x.stop();
    expect(await g.exited).toBe(0);
  });

  it('x11grab holds back its first frame to probe the stream unless -probesize is tiny (the backend passes -probesize 32)', async () => {
    const x = await startXvfb({ size: '320x240x24' });
    servers.push(x);
    const slow = grab(x.display, ['-draw_mouse', '0']);
    const fast = grab(x.display, ['-probesize', '32', '-draw_mouse', '0']);
    const deadline = performance.now() + 5000;
    while ((slow.state.bytes === 0 || fast.state.bytes === 0) && performance.now() < deadline) await sleep(20);
    // At 10 fps and 300 KiB a raw frame, the default 5 MB probe waits for about 16 frames.
    expect(slow.state.firstAt - slow.state.started).toBeGreaterThan(1000);
    expect(fast.state.firstAt - fast.state.started).toBeLessThan(700);
  });
});
