/**
 * The scaling thread: a `worker_threads` Worker that runs crop-and-scale jobs (scale-job.ts) for
 * the video adapters of the main thread, in the order they come, and answers each job's id when
 * its pixels are written. The same code as the main thread's inline path (the pyramid, then
 * cropAndScaleI420), so either gives the same bytes.
 */
import { parentPort } from 'node:worker_threads';
import type { I420Image } from '../convert/image.js';
import { cropAndScaleI420 } from '../convert/scale.js';
import { scaleFrom } from './pyramid.js';
import type { ScaleJob, SharedI420 } from './scale-job.js';

/** The source image of the frame being scaled: one object per frame, the pyramid's key. */
let current: { frameKey: number; image: I420Image } | undefined;

function view(shared: SharedI420): I420Image {
  const data = new Uint8Array(shared.buffer, shared.byteOffset, shared.byteLength);
  const [y, u, v] = shared.planes;
  return {
    width: shared.width,
    height: shared.height,
    y: { data, offset: y!.offset, stride: y!.stride },
    u: { data, offset: u!.offset, stride: u!.stride },
    v: { data, offset: v!.offset, stride: v!.stride },
  };
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
