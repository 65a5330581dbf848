// `mediacapture preview` as a user runs it (the built CLI, a child process) with the built-in
// camera, microphone and screen, its page opened in headless Chromium (the system's
// /usr/bin/chromium through playwright-core, with no WebRTC flags, as a user's browser): the
// pictures arrive (frame numbers read back from screenshots of the video elements), a
// constraint typed into the page changes the picture's size, the microphone's meter shows the
// tone, and neither closing the page nor Ctrl-C leaves a process or a listening socket behind.
import { request } from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrameNumber } from '../../src/media/synthetic/frame-code.js';
import { childrenNamed, waitNotRunning } from '../helpers/proc.js';
import { scaled, until } from '../helpers/wait.js';
import { childEnv, onPath, runCli, startCli, tempDir } from './helpers.js';

const CHROMIUM = process.env.MC_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const haveFfmpeg = onPath('ffmpeg');
if (!haveChromium) console.warn(`skipping the preview page tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set MC_CHROMIUM)`);
if (!haveFfmpeg) console.warn('skipping the preview page tests: no ffmpeg on PATH (the video encoder)');

type Page = import('playwright-core').Page;

/** The frame number in a PNG screenshot of the test pattern, or null. */
async function frameNumberIn(png: Buffer): Promise<{ frame: number | null; width: number; height: number }> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const image = await loadImage(png);
  const ctx = createCanvas(image.width, image.height).getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data, width, height } = ctx.getImageData(0, 0, image.width, image.height);
  return { frame: decodeFrameNumber({ format: 'RGBA', width, height, data }), width, height };
}

/** Waits in the page until `predicate(arg)` holds (a condition, polled by Chromium). */
async function pageUntil<A>(page: Page, predicate: (arg: A) => unknown, arg: A, timeoutMs = 20_000): Promise<void> {
  await page.waitForFunction(predicate as never, arg, { timeout: scaled(timeoutMs) });
}

/** Waits until the video of the tile of `kind` plays (its clock has moved). */
function playing(page: Page, kind: string): Promise<void> {
  return pageUntil(page, (k) => ((document.querySelector(`section[data-kind=${k}] video`) as HTMLVideoElement | null)?.currentTime ?? 0) > 0, kind);
}

/** Types constraints into a tile's box, applies them, and waits for the page to show the outcome. */
async function applyInPage(page: Page, kind: string, constraints: unknown): Promise<{ outcome: string; text: string }> {
  const tile = page.locator(`section[data-kind=${kind}]`);
  await tile.locator('textarea').fill(JSON.stringify(constraints));
  await tile.locator('button').click();
  const result = tile.locator('output.result[data-outcome]');
  await result.waitFor({ timeout: scaled(10_000) });
  return { outcome: (await result.getAttribute('data-outcome'))!, text: (await result.textContent())! };
}

/** A screenshot's size, give or take the pixel that an element at a fractional position straddles. */
function expectSize(shot: { width: number; height: number }, width: number, height: number): void {
  expect(Math.abs(shot.width - width), `width ${shot.width}`).toBeLessThanOrEqual(1);
  expect(Math.abs(shot.height - height), `height ${shot.height}`).toBeLessThanOrEqual(1);
}

function videoState(page: Page, kind: string): Promise<{ width: number; height: number; time: number }> {
  return page.evaluate((k) => {
    const v = document.querySelector(`section[data-kind=${k}] video`) as HTMLVideoElement;
    return { width: v.videoWidth, height: v.videoHeight, time: v.currentTime };
  }, kind);
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('mediacapture preview', () => {
  it('refuses a port that is not a number, with a usage error', async () => {
    const r = await runCli(['preview', '--port', 'web'], childEnv(tempDir('preview-usage')));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port must be a port number');
  });

  it("opens the URL with xdg-open where there is a display, and only prints it where there is none", async () => {
    const dir = tempDir('preview-open');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    // A stand-in for the desktop's xdg-open: it writes down what it was asked to open.
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${join(dir, 'opened')}.tmp' && mv '${join(dir, 'opened')}.tmp' '${join(dir, 'opened')}'\n`, { mode: 0o755 });
    const path = `${bin}${delimiter}${process.env.PATH}`;
    for (const display of [':99', undefined]) {
      const cli = startCli(['preview'], childEnv(dir, { PATH: path, DISPLAY: display, WAYLAND_DISPLAY: undefined, MEDIACAPTURE_DEVICES: '[]' }));
      let stderr = '';
      cli.child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
      await until(() => stderr.includes('Ctrl-C'), 'the preview to start');
      const url = /http:\S+\//.exec(stderr)![0];
      if (display) {
        expect(stderr).toContain(`at ${url}, opened in the browser`);
        expect(await until(() => existsSync(join(dir, 'opened')) && readFileSync(join(dir, 'opened'), 'utf8'), 'xdg-open to be run')).toBe(url);
      } else {
        expect(stderr).toContain(`at ${url}; press Ctrl-C`);
      }
      process.kill(-cli.child.pid!, 'SIGINT');
      const result = await cli.result;
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(url);
    }
  });
});

describe.skipIf(!haveChromium || !haveFfmpeg)('mediacapture preview in headless Chromium', () => {
  const dir = tempDir('preview');
  let cli: ReturnType<typeof startCli>;
  let url: URL;
  let browser: import('playwright-core').Browser;
  let page: Page;

  beforeAll(async () => {
    cli = startCli(['preview', '--no-open'], childEnv(dir, { MEDIACAPTURE_BACKENDS: 'builtin,builtin-screen' }));
    let stdout = '';
    cli.child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    url = new URL(await until(() => /^http:\/\/\S+/m.exec(stdout)?.[0], { what: 'the preview to print its URL', timeoutMs: 20_000 }));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage();
    await page.goto(url.href);
  });

  afterAll(async () => {
    await browser?.close();
    if (cli?.child.exitCode === null) process.kill(-cli.child.pid!, 'SIGKILL');
  });

  it('listens on 127.0.0.1 only, answers to its own address only, and takes no POST from another site', async () => {
    expect(url.hostname).toBe('127.0.0.1');
    const status = (method: string, path: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        request({ host: '127.0.0.1', port: url.port, method, path, headers }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        })
          .on('error', reject)
          .end(method === 'POST' ? '{"width":320}' : undefined);
      });
    // DNS rebinding: a name of the attacker's that resolves to 127.0.0.1.
    expect(await status('GET', '/sources', { host: `attacker.example:${url.port}` })).toBe(421);
    expect(await status('GET', '/sources', { host: url.host })).toBe(200);
    expect(await status('POST', '/sources/s0/constraints', { host: url.host, origin: 'https://attacker.example' })).toBe(403);
  });

  it('shows the camera live: two screenshots of its video carry increasing frame numbers', async () => {
    await playing(page, 'camera');
    const video = page.locator('section[data-kind=camera] video');
    const first = await frameNumberIn(await video.screenshot());
    const { time } = await videoState(page, 'camera');
    // The picture moves on: wait for the element's own clock, then look again.
    await pageUntil(page, (t) => (document.querySelector('section[data-kind=camera] video') as HTMLVideoElement).currentTime > t + 0.5, time);
    const second = await frameNumberIn(await video.screenshot());
    expect(first.frame).not.toBeNull();
    expect(second.frame).not.toBeNull();
    // 0.5 s of a 30 fps camera: about 15 frames later (fewer if the encoder skipped some).
    expect(second.frame!).toBeGreaterThan(first.frame! + 3);
    expect(await page.locator('section[data-kind=camera] .size').textContent()).toBe('640×480');
  });

  it('shows the screen live as well', async () => {
    await playing(page, 'screen');
    const { width, height } = await videoState(page, 'screen');
    expect([width, height]).toEqual([1280, 720]);
    const shot = await frameNumberIn(await page.locator('section[data-kind=screen] video').screenshot());
    expect(shot.frame).not.toBeNull();
  });

  it('a constraint typed into the box changes the picture size, and the page shows what SelectSettings chose', async () => {
    const small = await applyInPage(page, 'camera', { width: { exact: 320 }, height: { exact: 240 } });
    expect(small.outcome).toBe('applied');
    expect(small.text).toContain('"width":320');
    await pageUntil(page, () => (document.querySelector('section[data-kind=camera] video') as HTMLVideoElement).videoWidth === 320, null);
    const shotSmall = await frameNumberIn(await page.locator('section[data-kind=camera] video').screenshot());
    expectSize(shotSmall, 320, 240);
    expect(shotSmall.frame).not.toBeNull();

    const wide = await applyInPage(page, 'camera', { width: 640, height: 360, resizeMode: 'crop-and-scale' });
    expect(wide.outcome).toBe('applied');
    expect(wide.text).toContain('"height":360');
    await pageUntil(page, () => (document.querySelector('section[data-kind=camera] video') as HTMLVideoElement).videoHeight === 360, null);
    const shotWide = await frameNumberIn(await page.locator('section[data-kind=camera] video').screenshot());
    expectSize(shotWide, 640, 360);
    expect(shotWide.frame).not.toBeNull();
    expect(shotWide.frame!).toBeGreaterThan(shotSmall.frame!);
    expect(await page.locator('section[data-kind=camera] pre.settings').textContent()).toContain('"height": 360');
  });

  it('an impossible constraint shows the OverconstrainedError and leaves the picture as it was', async () => {
    const result = await applyInPage(page, 'camera', { width: { exact: 100_000 } });
    expect(result.outcome).toBe('error');
    expect(result.text).toContain('OverconstrainedError (constraint "width")');
    expect(await videoState(page, 'camera')).toMatchObject({ width: 640, height: 360 });
  });

  it("shows the microphone's level: the meter rises from silence to the tone", async () => {
    const meter = 'section[data-kind=microphone] meter.level';
    // The built-in microphone plays a tone at -12 dBFS.
    await pageUntil(page, (sel) => (document.querySelector(sel) as HTMLMeterElement).value > -20, meter);
    expect(await page.locator(meter).evaluate((m) => (m as HTMLMeterElement).value)).toBeCloseTo(-12, 0);
    expect(await page.locator('section[data-kind=microphone] .db').textContent()).toMatch(/-1\d\.\d dBFS/);
  });

  it('closing the page ends its encoders; Ctrl-C ends the preview with no process or socket left', async () => {
    const encoders = childrenNamed('ffmpeg', cli.child.pid!);
    expect(encoders.length).toBeGreaterThanOrEqual(2); // the camera's and the screen's
    await page.close();
    await until(() => childrenNamed('ffmpeg', cli.child.pid!).length === 0, { what: "the closed page's encoders to end" });
    for (const pid of encoders) expect(await waitNotRunning(pid)).not.toBe('running');

    // A page again, then Ctrl-C (to the process group, as a terminal sends it) while it plays.
    page = await browser.newPage();
    await page.goto(url.href);
    await playing(page, 'camera');
    const again = childrenNamed('ffmpeg', cli.child.pid!);
    expect(again.length).toBeGreaterThanOrEqual(2);
    process.kill(-cli.child.pid!, 'SIGINT');
    const signalled = performance.now();
    const result = await cli.result;
    // Ctrl-C ends it promptly (well under a second here): nothing, not even a WebRTC timer, holds the process.
    expect(performance.now() - signalled).toBeLessThan(scaled(5000));
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Stopping the preview.');
    for (const pid of again) expect(await waitNotRunning(pid)).not.toBe('running');
    expect(await listening(Number(url.port))).toBe(false);
    await pageUntil(page, () => document.getElementById('status')!.textContent!.startsWith('Disconnected'), null);
  });
});
