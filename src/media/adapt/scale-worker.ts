/**
 * The scaling thread: a `worker_threads` Worker that runs crop-and-scale jobs (scale-job.ts) for
 * the video adapters of the main thread, in the order they come, and answers each job's id when
 * its pixels are written. The same code as the main thread's inline path (the pyramid, then
 * cropAndScaleI420), so either gives the same bytes.
 */
import { parentPort } from 'node:worker_threads';
import { i420FromLayout, type I420Image } from '../convert/image.js';
import { cropAndScaleI420 } from '../convert/scale.js';
import { scaleFrom } from './pyramid.js';
import type { ScaleJob, SharedI420 } from './scale-job.js';

/** The source image of the frame being scaled: one object per frame, the pyramid's key. */
let current: { frameKey: number; image: I420Image } | undefined;

function view(shared: SharedI420): I420Image {
  return i420FromLayout(new Uint8Array(shared.buffer, shared.byteOffset, shared.byteLength), shared.width, shared.height, shared.planes);
}

function run(job: ScaleJob): void {
  if (current?.frameKey !== job.frameKey) current = { frameKey: job.frameKey, image: view(job.source) };
  const { width, height } = job.destination;
  const from = scaleFrom(current, current.image, job.crop, width, height);
  cropAndScaleI420(from.image, view(job.destination), from.crop);
}

parentPort!.on('message', (jobs: ScaleJob[]) => {
  for (const job of jobs) {
    run(job);
    parentPort!.postMessage(job.id);
  }
});
