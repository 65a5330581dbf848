/**
 * Helpers for the MediaRecorder tests: built-in devices on a virtual clock, recording until an
 * event, and reading the recorded file back with ffprobe and ffmpeg.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installGlobals, type InstallOptions, type MediaCaptureHandle } from '../../src/index.js';
import { MediaRecorder, mediaRecorderInternals } from '../../src/interfaces/MediaRecorder.js';
import type { MediaStream } from '../../src/interfaces/MediaStream.js';
import type { BlobEvent } from '../../src/interfaces/BlobEvent.js';
import { VirtualClock } from '../../src/media/clock/index.js';
import { decodeFrameNumber } from '../../src/media/synthetic/frame-code.js';
import { testSaltPath } from '../core/harness.js';

export { MediaRecorder, mediaRecorderInternals };

/** A global object with the API installed and the built-in devices on a virtual clock. */
export interface Studio {
  clock: VirtualClock;
  handle: MediaCaptureHandle;
  getUserMedia(constraints: unknown): Promise<MediaStream>;
  close(): void;
}

export function openStudio(options: InstallOptions = {}): Studio {
  const clock = new VirtualClock(1_000_000);
  const global: Record<string, unknown> = {};
  const handle = installGlobals(global, { saltPath: testSaltPath, clock, ...options });
  return {
    clock,
    handle,
    getUserMedia: (c) => handle.mediaDevices.getUserMedia(c as never),
    close: () => handle.uninstall(),
  };
}

/** What a recorder fired, in order, with the data of every dataavailable. */
export interface RecorderLog {
  events: string[];
  blobs: Blob[];
  timecodes: number[];
  /** The recorder's recorded media time (ms) when each dataavailable was queued. */
  errors: unknown[];
}

export function watch(recorder: MediaRecorder): RecorderLog {
  const log: RecorderLog = { events: [], blobs: [], timecodes: [], errors: [] };
  for (const type of ['start', 'stop', 'dataavailable', 'pause', 'resume', 'error']) {
    recorder.addEventListener(type, (e) => {
      log.events.push(type);
      if (type === 'dataavailable') {
        log.blobs.push((e as BlobEvent).data);
        log.timecodes.push((e as BlobEvent).timecode);
      }
      if (type === 'error') log.errors.push((e as Event & { error?: unknown }).error);
    });
  }
  return log;
}

/** Resolves with the next event of this type. */
export function next(target: EventTarget, type: string, timeoutMs = 20_000): Promise<Event> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeoutMs} ms`)), timeoutMs);
    target.addEventListener(
      type,
      (e) => {
        clearTimeout(timer);
        resolve(e);
      },
      { once: true },
    );
  });
}

/**
 * Waits until the recorder's encoder has taken everything written to it, and a timeslice that is
 * due has got the encoder's media (a Blob is handed out once it holds some).
 */
export async function drained(recorder: MediaRecorder): Promise<void> {
  const session = mediaRecorderInternals.session(recorder);
  while (session && (session.backlogBytes > 0 || session.cutPending) && !session.ended) await new Promise((r) => setTimeout(r, 2));
}

/** One frame interval at 30 fps, ms: the step of {@link advance}. */
export const FRAME_STEP_MS = 1000 / 30;

/**
 * Advances the virtual clock by `ms` in steps of a frame, letting the encoder take each step's
 * media before the next, as real time would. The recorder keeps only a short queue for the encoder
 * (about 100 ms: a real-time recorder drops frames when the encoder falls behind), so a test that
 * checks every frame must not hand it more at once.
 */
export async function advance(studio: Studio, recorder: MediaRecorder, ms: number, stepMs = FRAME_STEP_MS): Promise<void> {
  // Steps end at whole microseconds from where this advance started, the last one exactly at `ms`.
  const start = studio.clock.now();
  const steps = Math.max(1, Math.round(ms / stepMs));
  for (let k = 1; k <= steps; k++) {
    studio.clock.advanceTo(start + Math.round((k * ms * 1000) / steps));
    await new Promise((r) => setImmediate(r));
    await drained(recorder);
  }
}

/** Waits until `condition()` holds, looking again after each turn of I/O (for counters the recorder keeps). */
export async function until(condition: () => boolean, what = 'the condition', timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/**
 * A MediaRecorder for a recording on the virtual clock. Such a recording is not real time (the
 * test decides when time passes), so the encoder is given as long as it needs after stop() (the
 * stop deadline is for real-time recordings and has tests of its own): what the test checks then
 * does not depend on how busy the machine is.
 */
export function virtualClockRecorder(stream: MediaStream, options?: Record<string, unknown>): MediaRecorder {
  const recorder = new MediaRecorder(stream, options);
  mediaRecorderInternals.setStopDeadline(recorder, 60_000);
  return recorder;
}

/** Concatenates blobs into one buffer. */
export async function concat(blobs: Blob[]): Promise<Buffer> {
  return Buffer.from(await new Blob(blobs).arrayBuffer());
}

const tmp = mkdtempSync(join(tmpdir(), 'mediacapture-rec-test-'));
let fileCount = 0;

/** Writes bytes to a temporary file and returns its path. */
export function tempFile(bytes: Uint8Array, ext: string): string {
  const path = join(tmp, `rec-${fileCount++}.${ext}`);
  writeFileSync(path, bytes);
  return path;
}

export function cleanupTemp(): void {
  rmSync(tmp, { recursive: true, force: true });
}

export interface ProbeStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  sample_rate?: string;
  channels?: number;
  nb_read_frames?: string;
  duration?: string;
  start_time?: string;
  codec_tag_string?: string;
  profile?: string;
}

export interface Probe {
  streams: ProbeStream[];
  format: { format_name: string; duration?: string };
}

/** `ffprobe -show_streams -show_format -count_frames` of a file. */
export function ffprobe(path: string): Probe {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-count_frames', '-of', 'json', path], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out) as Probe;
}

/** Whether ffprobe finds an index (Cues / a seekable moov) and a duration in the header, without reading the whole file. */
export function headerDuration(path: string): number | null {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path], { encoding: 'utf8' }).trim();
  return out === '' || out === 'N/A' ? null : Number(out);
}

/** Decodes the video of a file to raw I420 frames at its size. */
export function decodeVideo(path: string, width: number, height: number): Uint8Array[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:v:0', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-fps_mode', 'passthrough', 'pipe:1'], { maxBuffer: 1 << 30 });
  const size = width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);
  const frames: Uint8Array[] = [];
  for (let off = 0; off + size <= raw.length; off += size) frames.push(raw.subarray(off, off + size));
  return frames;
}

/** The frame numbers of the test pattern in each decoded frame (null where unreadable). */
export function frameNumbers(path: string, width: number, height: number): (number | null)[] {
  return decodeVideo(path, width, height).map((f) => decodeFrameNumber({ y: f.subarray(0, width * height), width, height }, { sourceAspectRatios: [] }));
}

/** Decodes the audio of a file to mono f32 samples at its rate. */
export function decodeAudio(path: string, sampleRate: number): Float32Array {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:a:0', '-f', 'f32le', '-ac', '1', '-ar', String(sampleRate), 'pipe:1'], { maxBuffer: 1 << 30 });
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

/** Whether a process with this pid exists (a zombie counts as existing). */
export function processExists(pid: number): boolean {
  try {
    execFileSync('test', ['-e', `/proc/${pid}`]);
    return true;
  } catch {
    return false;
  }
}

/** Options of {@link recordFor}. */
export interface RecordOptions {
  video?: boolean | Record<string, unknown>;
  audio?: boolean | Record<string, unknown>;
  mimeType?: string;
  timeslice?: number;
  ms?: number;
  /** Called after each 100 ms step with the elapsed recording time (ms). */
  during?: (elapsedMs: number, recorder: MediaRecorder, stream: MediaStream) => void;
  /** Called after each 100 ms step with the built-in devices (interrupt, resume, unplug). */
  control?: (elapsedMs: number, devices: MediaCaptureHandle['devices']) => void;
  install?: InstallOptions;
  recorderOptions?: Record<string, unknown>;
}

/** Records the built-in devices for `ms` of virtual time and returns what came out. */
export async function recordFor(options: RecordOptions) {
  const studio = openStudio(options.install);
  try {
    const constraints = {
      video: options.video === undefined ? { width: 320, height: 240 } : options.video,
      audio: options.audio === undefined ? { channelCount: 1 } : options.audio,
    };
    const stream = await studio.getUserMedia(constraints);
    const recorder = virtualClockRecorder(stream, { ...(options.mimeType === undefined ? {} : { mimeType: options.mimeType }), ...options.recorderOptions });
    const log = watch(recorder);
    const stopped = next(recorder, 'stop', 60_000);
    recorder.start(options.timeslice);
    const ms = options.ms ?? 2000;
    for (let t = 0; t < ms; t += 100) {
      await advance(studio, recorder, 100);
      options.during?.(t + 100, recorder, stream);
      options.control?.(t + 100, studio.handle.devices);
    }
    if (recorder.state !== 'inactive') recorder.stop();
    await stopped;
    const bytes = await concat(log.blobs);
    return { log, bytes, recorder, stream, mimeType: log.blobs[0]?.type ?? '' };
  } finally {
    studio.close();
  }
}

/** The byte offset of a 4-byte MP4 box type or an EBML id in a file, or -1. */
export function indexOfBytes(bytes: Uint8Array, pattern: number[] | string): number {
  const p = typeof pattern === 'string' ? Buffer.from(pattern, 'latin1') : Buffer.from(pattern);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(p);
}
