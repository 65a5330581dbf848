/**
 * What every fault test checks when a device's server or the device itself goes away while a
 * recorder records its tracks: one queued `ended` per track, the recorder's spec sequence, a file
 * that plays, and no process left behind.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachSink } from '../../src/algorithms/track/sink.js';
import { onProcessStart, type OwnedProcess } from '../../src/backends/common/process.js';
import { trackOf, type MediaStreamTrack } from '../../src/interfaces/MediaStreamTrack.js';
import type { MediaRecorder } from '../../src/interfaces/MediaRecorder.js';
import type { BlobEvent } from '../../src/interfaces/BlobEvent.js';
import { probeRecording } from '../../src/cli/ffmpeg.js';
import { decodeErrors, probe } from '../cli/helpers.js';
import { scaled } from '../helpers/wait.js';

/** The `ended` events of a track: how many, and the track's readyState as each fired. */
export interface EndedLog {
  count: number;
  states: string[];
  /** Resolves at the first one. */
  readonly first: Promise<void>;
}

export function watchEnded(track: MediaStreamTrack): EndedLog {
  let resolve!: () => void;
  const log: EndedLog = { count: 0, states: [], first: new Promise<void>((r) => (resolve = r)) };
  track.addEventListener('ended', () => {
    log.count++;
    log.states.push(track.readyState);
    resolve();
  });
  return log;
}

/** Resolves once `ms` of media (by the frames' and chunks' durations) has reached a sink of `track`. */
export function mediaFor(track: MediaStreamTrack, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let micros = 0;
    const detach = attachSink(trackOf(track)!, {
      media(media) {
        micros += media.duration ?? 0;
        media.close();
        if (micros >= ms * 1000) {
          queueMicrotask(detach);
          resolve();
        }
      },
    });
  });
}

/** What a recorder fired, in order, and its data. */
export interface RecorderLog {
  readonly events: string[];
  readonly blobs: Blob[];
  readonly errors: string[];
  /** Resolves at `stop`. */
  readonly stopped: Promise<void>;
}

export function watchRecorder(recorder: MediaRecorder): RecorderLog {
  let resolve!: () => void;
  const log: RecorderLog = { events: [], blobs: [], errors: [], stopped: new Promise<void>((r) => (resolve = r)) };
  for (const type of ['start', 'dataavailable', 'error', 'stop']) {
    recorder.addEventListener(type, (event) => {
      log.events.push(type);
      if (type === 'dataavailable') log.blobs.push((event as BlobEvent).data);
      if (type === 'error') log.errors.push(String((event as Event & { error?: { name?: string } }).error?.name));
      if (type === 'stop') resolve();
    });
  }
  return log;
}

/** The recorder's events with the timeslice `dataavailable`s before the end folded into one. */
export function sequence(events: readonly string[]): string[] {
  return events.filter((e, i) => e !== 'dataavailable' || events[i + 1] !== 'dataavailable');
}

const dir = mkdtempSync(join(tmpdir(), 'mediacapture-faults-'));
let files = 0;

/**
 * The blobs as one file, read back: ffprobe's view, its duration (a streamed file has none in its
 * header: the end of its last packet) and ffmpeg's decoding errors (none for a file that plays).
 */
export async function playable(blobs: Blob[], ext: string): Promise<{ path: string; info: Awaited<ReturnType<typeof probe>>; durationMs: number; errors: string }> {
  const path = join(dir, `recording-${files++}.${ext}`);
  writeFileSync(path, Buffer.from(await new Blob(blobs).arrayBuffer()));
  const info = await probe(path);
  return { path, info, durationMs: (await probeRecording(process.env, path))?.durationMs ?? Number.NaN, errors: await decodeErrors(path) };
}

/** Every child process started from now on, until `stop()`. */
export function processesStarted(): { readonly list: OwnedProcess[]; stop(): void } {
  const list: OwnedProcess[] = [];
  const stop = onProcessStart((proc) => list.push(proc));
  return { list, stop };
}

/** Resolves once every process of `list` has exited and been reaped; rejects naming those that have not after `timeoutMs`. */
export async function allReaped(list: readonly OwnedProcess[], timeoutMs = scaled(10_000)): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running: ${list.filter((p) => p.running).map((p) => `${p.program} ${p.pid}`).join(', ')}`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.all(list.map((p) => p.exited)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
