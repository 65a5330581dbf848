import { installGlobals, type MediaStreamTrack } from '../../src/index.js';
import { VirtualClock } from '../../src/media/clock/index.js';
import { decodeFrameNumber } from '../../src/media/synthetic/frame-code.js';
import { videoFramePlanes } from '../../src/webcodecs/internal.js';
import type { VideoFrame } from '../../src/webcodecs/video-frame.js';
import { testSaltPath } from '../core/harness.js';

/** A global of its own with the built-in devices on a virtual clock. */
export function lab() {
  const clock = new VirtualClock();
  const handle = installGlobals({}, { clock, saltPath: testSaltPath });
  return { clock, handle, md: handle.mediaDevices };
}

export async function camera(md: ReturnType<typeof lab>['md'], video: object | true = true): Promise<MediaStreamTrack> {
  return (await md.getUserMedia({ video })).getVideoTracks()[0]!;
}

export async function microphone(md: ReturnType<typeof lab>['md'], audio: object | true = true): Promise<MediaStreamTrack> {
  return (await md.getUserMedia({ audio })).getAudioTracks()[0]!;
}

/** The frame number the built-in camera drew into `frame` (null: none readable). */
export function frameNumber(frame: VideoFrame): number | null {
  const p = videoFramePlanes(frame);
  return decodeFrameNumber({ format: 'I420', width: p.codedWidth, height: p.codedHeight, data: p.data });
}

/** Settles every task queued so far, and the tasks those queue, a few levels deep. */
export async function tasks(n = 4): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** Reads one chunk, failing instead of hanging when none comes within a few task turns. */
export async function readSoon<T>(reader: ReadableStreamDefaultReader<T>, turns = 20): Promise<ReadableStreamReadResult<T>> {
  let settled = false;
  const read = reader.read().finally(() => (settled = true));
  for (let i = 0; i < turns && !settled; i++) await new Promise((r) => setImmediate(r));
  if (!settled) throw new Error('no chunk arrived');
  return read;
}

/** Whether a read is still pending after a few task turns. */
export async function stillPending(promise: Promise<unknown>, turns = 10): Promise<boolean> {
  let settled = false;
  void promise.finally(() => (settled = true)).catch(() => {});
  for (let i = 0; i < turns && !settled; i++) await new Promise((r) => setImmediate(r));
  return !settled;
}

/** The largest and the mean absolute difference between two byte arrays of one length. */
export function difference(a: Uint8Array, b: Uint8Array): { max: number; mean: number } {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    sum += d;
    if (d > max) max = d;
  }
  return { max, mean: sum / a.length };
}
