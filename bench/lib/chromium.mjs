// Reads a camera track with MediaStreamTrackProcessor in headless Chromium (its fake camera), in
// phases (idle page, then capture), for bench/pipeline.mjs to measure the browser's process tree.
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';
import { processTree, treeCpu, treeUsage } from './proc.mjs';

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
 * A headless Chromium with a blank page on http://localhost (a secure context), driven in phases
 * so that its idle cost can be measured before its capture cost, at the same times as other
 * processes': `usage()` gives the CPU seconds so far of each process the browser launched (browser,
 * zygotes, GPU, utility and renderer processes: the tree under this Node process, less the trees
 * under the pids in `exclude`, our own side-by-side children), from the threads' nanosecond run
 * times; Chromium processes on the machine that this script did not start are not in it.
 */
export async function chromiumSession({ frameRate, exclude = new Set() }) {
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>pipeline bench</title>'));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS(frameRate) });
  const page = await browser.newPage();
  await page.goto(`http://localhost:${server.address().port}/`);
  return {
    usage: () => treeCpu(process.pid, { includeRoot: false, exclude }),
    processes: () => processTree(process.pid, exclude).length - 1,
    rss: () => treeUsage(process.pid, { includeRoot: false, exclude }).rss,
    startReading: (size) => page.evaluate(startReading, { ...size, frameRate }),
    startCounting: () => page.evaluate(() => Object.assign(window.stats, { counting: true, frames: 0, dropped: 0 })),
    stats: () => page.evaluate(() => window.stats),
    async close() {
      await browser.close();
      server.close();
    },
  };
}
