/**
 * The main thread's side of the scaling thread (scale-worker.ts). Crop-and-scale is the one
 * per-frame job of the pipeline that takes milliseconds (about 7 ms for 1080p → 720p here), and
 * on the main thread it delays everything else the program does; with frames on
 * SharedArrayBuffers it can run on another core, and the main thread only posts jobs and wraps
 * the results. One Worker for the whole process, started on first use; it keeps Node alive only
 * while jobs are out (`ref()` / `unref()`); jobs posted in one turn go in one message.
 *
 * Where the worker cannot run (the package runs from its TypeScript sources, as under Vitest, so
 * there is no compiled worker file; or the Worker failed), `scalerThreadAvailable()` is false and
 * adapters scale inline. A worker that dies fails its pending jobs: their frames are dropped, and
 * scaling goes inline from then on.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScaleJob } from './scale-job.js';

// The compiled worker beside this file. The CommonJS build (scripts/build-cjs.mjs) compiles this
// line too, where TypeScript rejects `import.meta` (TS1343); it rewrites it to `__filename`'s URL.
// biome-ignore lint/suspicious/noTsIgnore: the error exists in the CommonJS build only, so @ts-expect-error would fail the ESM one.
// @ts-ignore TS1343
const WORKER_URL = new URL('./scale-worker.js', import.meta.url);

interface Pending {
  done(): void;
  failed(): void;
}

/** undefined: not started yet; null: not available. */
let worker: Worker | null | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;
let batch: ScaleJob[] = [];
let completed = 0;
/** The worker has started and runs jobs (until then, the first jobs wait in its queue). */
let online = false;

/** Whether jobs can go to the scaling thread (starts it the first time). */
export function scalerThreadAvailable(): boolean {
  if (worker === undefined) start();
  return worker !== null;
}

/**
 * Whether the scaling thread is running: it takes some 20–60 ms to start, and the jobs of that
 * time wait for it (an adapter does not count them as the thread falling behind).
 */
export function scalerThreadOnline(): boolean {
  return online;
}

/** Jobs the scaling thread has finished so far in this process (for tests and benchmarks). */
export function scalerThreadJobsDone(): number {
  return completed;
}

/**
 * Posts a job; `done` runs (in a later task) once its pixels are written, or `failed` if the
 * scaling thread died first. Call only when `scalerThreadAvailable()` is true.
 */
export function scaleOnThread(job: Omit<ScaleJob, 'id'>, done: () => void, failed: () => void): void {
  const id = nextId++;
  // While jobs are out the worker keeps Node alive, as the frames it is making are awaited.
  if (pending.size === 0) worker?.ref();
  pending.set(id, { done, failed });
  batch.push({ ...job, id });
  // A promise reaction, not queueMicrotask, which test frameworks' fake timers may replace.
  if (batch.length === 1) void Promise.resolve().then(flush);
}

function flush(): void {
  const jobs = batch;
  batch = [];
  if (worker) worker.postMessage(jobs);
  else for (const job of jobs) settle(job.id, false);
}

function settle(id: number, ok: boolean): void {
  const p = pending.get(id);
  if (p === undefined) return;
  pending.delete(id);
  if (pending.size === 0) worker?.unref();
  if (ok) {
    completed++;
    p.done();
  } else {
    p.failed();
  }
}

function start(): void {
  // A module URL that is not a file (Vitest, inlining the package under jsdom, gives an http: one)
  // has no worker file beside it either.
  if (WORKER_URL.protocol !== 'file:' || !existsSync(fileURLToPath(WORKER_URL))) {
    worker = null;
    return;
  }
  try {
    const w = new Worker(WORKER_URL);
    w.on('online', () => (online = true));
    w.on('message', (id: number) => settle(id, true));
    w.on('error', () => stop(w));
    w.on('exit', () => stop(w));
    // After the listeners: a 'message' listener added to an unref()ed worker refs it again (a quirk
    // of Node; test/media/scaler-thread.test.ts checks it still holds).
    w.unref();
    worker = w;
  } catch {
    worker = null;
  }
}

function stop(w: Worker): void {
  if (worker !== w) return;
  worker = null;
  online = false;
  for (const id of [...pending.keys()]) settle(id, false);
}
