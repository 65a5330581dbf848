// Reads a camera track with MediaStreamTrackProcessor in headless Chromium (its fake camera), and
// measures the CPU time of the browser's whole process tree while it does.
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { cpuBetween, treeUsage } from './proc.mjs';

/**
 * The launch flags. The fake camera runs at 20 fps unless told otherwise (`fps=`), so it is told
 * the frame rate we compare at.
 */
export const CHROMIUM_ARGS = (frameRate) => [
  `--use-fake-device-for-media-stream=fps=${frameRate}`,
  '--use-fake-ui-for-media-stream',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The page's reader: counts frames and timestamp gaps (dropped frames) once `counting` is set. */
async function startReading({ width, height, frameRate }) {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width, height, frameRate } });
  const track = stream.getVideoTracks()[0];
  const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
  const interval = 1e6 / frameRate;
  const stats = (window.stats = { frames: 0, dropped: 0, counting: false, last: null, size: null, settings: track.getSettings() });
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (stats.counting) {
        stats.frames++;
        if (stats.last !== null && value.timestamp - stats.last > 1.5 * interval) stats.dropped += Math.round((value.timestamp - stats.last) / interval) - 1;
      }
      stats.last = value.timestamp;
      stats.size = [value.displayWidth, value.displayHeight];
      value.close();
    }
  })();
}

/**
 * Runs the capture for `seconds` after `warmup` seconds and returns CPU seconds per second of the
 * browser's process tree, frames read, frames dropped, and the tree's resident memory.
 * `onReading` is called once the page reads frames, just before the warm-up starts (to start
 * something that runs side by side with the same timing); the processes under the pids in
 * `exclude` (other children of this process) are not counted as the browser's.
 */
export async function chromiumCapture({ width, height, frameRate, seconds, warmup = 2, onReading = () => {}, exclude = new Set() }) {
  // getUserMedia needs a secure context: http://localhost is one.
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>pipeline bench</title>'));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS(frameRate) });
  try {
    // Playwright starts Chromium as a child of this process, which otherwise only waits: the
    // browser is every process below this one.
    const usage = () => treeUsage(process.pid, { includeRoot: false, exclude });
    const page = await browser.newPage();
    await page.goto(`http://localhost:${server.address().port}/`);
    await page.evaluate(startReading, { width, height, frameRate });
    onReading();
    await sleep(warmup * 1000);
    await page.evaluate(() => Object.assign(window.stats, { counting: true, frames: 0, dropped: 0 }));
    const before = usage();
    const start = performance.now();
    let rssMax = before.rss;
    const end = start + seconds * 1000;
    while (performance.now() < end) {
      await sleep(Math.min(500, end - performance.now()));
      rssMax = Math.max(rssMax, usage().rss);
    }
    const after = usage();
    const wall = (performance.now() - start) / 1000;
    const stats = await page.evaluate(() => window.stats);
    return {
      cpuPerSecond: cpuBetween(before, after) / wall,
      frames: stats.frames,
      expected: Math.round(wall * frameRate),
      dropped: stats.dropped,
      size: stats.size,
      frameRateSetting: stats.settings.frameRate,
      processes: after.cpu.size,
      rssMax,
    };
  } finally {
    await browser.close();
    server.close();
  }
}
