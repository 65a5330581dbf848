// The scaling thread (src/media/adapt/scaler-thread.ts) runs only from the compiled package (its
// Worker loads dist/media/adapt/scale-worker.js), so these tests use the build that `npm test`
// makes first. Under Vitest the sources scale inline; the other media tests cover that path.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mediaDir, writePatternFile } from '../file/media.js';
import { scaled } from '../helpers/wait.js';

const dist = new URL('../../dist/', import.meta.url);
const built = existsSync(fileURLToPath(new URL('media/adapt/scale-worker.js', dist)));
/* eslint-disable @typescript-eslint/no-explicit-any */
const load = (path: string): Promise<any> => import(new URL(path, dist).href);

/**
 * Reads `count` frames of `track` through a MediaStreamTrackProcessor (of the build), checking
 * each one's size; returns their decoded frame numbers and how many jobs the scaling thread did
 * meanwhile.
 */
async function readScaled(track: any, count: number, width: number, height: number): Promise<{ numbers: number[]; jobs: number }> {
  const { decodeFrameNumber } = await load('index.js');
  const { MediaStreamTrackProcessor } = await load('interfaces/MediaStreamTrackProcessor.js');
  const { scalerThreadJobsDone } = await load('media/adapt/scaler-thread.js');
  const { videoFramePlanes } = await load('webcodecs/internal.js');
  const before = scalerThreadJobsDone();
  const reader = new MediaStreamTrackProcessor({ track, maxBufferSize: 30 }).readable.getReader();
  const numbers: number[] = [];
  while (numbers.length < count) {
    const { value } = await reader.read();
    const p = videoFramePlanes(value);
    expect([value.displayWidth, value.displayHeight]).toEqual([width, height]);
    numbers.push(decodeFrameNumber({ format: 'I420', width: p.codedWidth, height: p.codedHeight, data: p.data }));
    value.close();
  }
  reader.releaseLock();
  return { numbers, jobs: scalerThreadJobsDone() - before };
}

describe.runIf(built)('scaling on the scaling thread (compiled package)', () => {
  it('gives the same bytes as scaling inline, for each size from one frame', async () => {
    const { VideoAdapter } = await load('media/adapt/video-adapter.js');
    const { scalerThreadAvailable, scalerThreadJobsDone } = await load('media/adapt/scaler-thread.js');
    const { TestPattern } = await load('media/synthetic/test-pattern.js');
    const { i420Size } = await load('media/convert/image.js');
    const { videoFrameFromPlanes, videoFramePlanes, videoFrameResource } = await load('webcodecs/internal.js');
    expect(scalerThreadAvailable()).toBe(true);

    const data = new Uint8Array(new SharedArrayBuffer(i420Size(1920, 1080)));
    new TestPattern(1920, 1080).render(7, 233_333, data);
    const frame = videoFrameFromPlanes({ format: 'I420', codedWidth: 1920, codedHeight: 1080, timestamp: 233_333, duration: 33_333, data });
    const sizes = [[1280, 720], [854, 480], [640, 480], [320, 180], [161, 91]];
    const before = scalerThreadJobsDone();
    const resource = videoFrameResource(frame);
    const jobs = sizes.map(([width, height]) => new Promise<any>((resolve) => {
      const target = { kind: 'video', width, height, frameRate: 30 };
      const inline = new VideoAdapter(target).process(frame);
      expect(new VideoAdapter(target).processOffThread(frame, (off: any) => resolve({ inline, off }))).toBe(true);
    }));
    // Each job holds the source frame open (a clone) until the thread has read it.
    expect(resource.referenceCount).toBe(1 + sizes.length);
    frame.close();
    const results = await Promise.all(jobs);
    expect(resource.released).toBe(true);
    expect(scalerThreadJobsDone() - before).toBe(sizes.length);
    for (const [i, { inline, off }] of results.entries()) {
      expect([off.codedWidth, off.codedHeight, off.timestamp, off.duration]).toEqual([sizes[i]![0], sizes[i]![1], 233_333, 33_333]);
      expect(Buffer.compare(videoFramePlanes(off).data, videoFramePlanes(inline).data)).toBe(0);
      inline.close();
      off.close();
    }
  });

  it('leaves frames that need no scaling, or are not on shared memory, to the inline path', async () => {
    const { VideoAdapter } = await load('media/adapt/video-adapter.js');
    const { videoFrameFromPlanes } = await load('webcodecs/internal.js');
    const shared = videoFrameFromPlanes({ format: 'I420', codedWidth: 64, codedHeight: 36, timestamp: 0, data: new Uint8Array(new SharedArrayBuffer(64 * 36 * 3 / 2)) });
    const plain = videoFrameFromPlanes({ format: 'I420', codedWidth: 64, codedHeight: 36, timestamp: 0, data: new Uint8Array(64 * 36 * 3 / 2) });
    const never = () => expect.unreachable();
    expect(new VideoAdapter({ kind: 'video', width: 64, height: 36, frameRate: 30 }).processOffThread(shared, never)).toBe(false);
    expect(new VideoAdapter({ kind: 'video', width: 32, height: 18, frameRate: 30 }).processOffThread(plain, never)).toBe(false);
    shared.close();
    plain.close();
  });

  it('a camera track scaled on the thread gives every frame, in order, with its picture', async () => {
    const { installGlobals } = await load('index.js');
    const handle = installGlobals({}, { backends: 'builtin' });
    try {
      const stream = await handle.mediaDevices.getUserMedia({ video: { width: { exact: 1280 }, height: { exact: 720 }, frameRate: 30 } });
      const [track] = stream.getVideoTracks();
      const small = track.clone();
      await small.applyConstraints({ width: { exact: 480 }, height: { exact: 270 } });
      const { numbers, jobs } = await readScaled(small, 15, 480, 270);
      // In order; one after another, unless this machine was too busy for the camera or the
      // thread (both drop a late frame, as a camera does): the virtual-clock tests check every one.
      expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)).toBe(true);
      expect(numbers.filter((n, i) => i > 0 && n === numbers[i - 1]! + 1).length).toBeGreaterThanOrEqual(10);
      expect(jobs).toBeGreaterThanOrEqual(15);
      expect(small.getSettings()).toMatchObject({ width: 480, height: 270 });
      track.stop();
      small.stop();
    } finally {
      handle.uninstall();
    }
  });

  it('a file played as a camera on the real clock is scaled there too (the ffmpeg-fed sources)', async () => {
    const { installGlobals } = await load('index.js');
    const path = join(mediaDir(), 'scaler-thread.y4m');
    await writePatternFile(path, { width: 640, height: 480, frames: 30, fps: 30 });
    const handle = installGlobals({}, { backends: `file:${path}` });
    try {
      const stream = await handle.mediaDevices.getUserMedia({ video: { width: { exact: 320 }, height: { exact: 240 } } });
      const [track] = stream.getVideoTracks();
      const { numbers, jobs } = await readScaled(track, 5, 320, 240);
      expect(numbers.every((n) => Number.isInteger(n))).toBe(true);
      expect(jobs).toBeGreaterThanOrEqual(5);
      track.stop();
    } finally {
      handle.uninstall();
    }
  });
});

describe('quirk of Node (v20): a Worker unref()ed before its first "message" listener is ref()ed again by it', () => {
  // scaler-thread.ts unrefs its worker after adding the listeners, or an idle worker keeps Node alive.
  const script = (order: string) => `
    const { Worker } = require('node:worker_threads');
    const w = new Worker('setInterval(() => {}, 1000)', { eval: true });
    ${order}`;
  /** Whether Node exits by itself within `ms` (killed after that). */
  const exitsWithin = (order: string, ms: number) => spawnSync(process.execPath, ['-e', script(order)], { timeout: ms }).status === 0;

  it('still holds: unref() then on("message") keeps the process alive; the other order lets it exit', () => {
    expect(exitsWithin('w.unref(); w.on("message", () => {});', 2000)).toBe(false);
    expect(exitsWithin('w.on("message", () => {}); w.unref();', scaled(15_000))).toBe(true);
  }, scaled(30_000));
});
