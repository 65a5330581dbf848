/**
 * How many threads the video encoder gets: the cores that are free now, not all of them.
 *
 * libvpx's multi-threaded VP8 encoder waits for its threads by spinning. On a machine whose cores
 * are taken by other work, two encoder threads then burn CPU waiting for each other and for the
 * capture: measured on a busy 2-core machine (load 3.4), 300 frames of 720p VP8 took 25 CPU-seconds
 * at 11.7 fps with `-threads 2`, and 2.1 CPU-seconds at 127 fps with `-threads 1`
 * (bench/recorder-load.mjs measures it again). So the count follows the load: the cores minus the
 * runnable tasks (1-minute load average), rounded, at least 1 and at most 8.
 */
import { availableParallelism, loadavg } from 'node:os';

/** The most threads a real-time encode of one stream gets. */
const MAX_THREADS = 8;

/** Threads for `cores` cores with `load` runnable tasks on average (pure). */
export function threadsFor(cores: number, load: number): number {
  const free = Math.round(cores - Math.max(0, load));
  return Math.max(1, Math.min(MAX_THREADS, cores, free));
}

/** Threads for the video encoder of a recording that starts now. */
export function encoderThreads(): number {
  return threadsFor(availableParallelism(), loadavg()[0] ?? 0);
}
