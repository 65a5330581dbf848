/**
 * ffmpeg for the command line: finding it (MEDIACAPTURE_FFMPEG, else `ffmpeg` on PATH) before a
 * command opens any device, encoding one still image as JPEG, and making a recording seekable.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FFMPEG_ENV } from '../backends/ffmpeg/probe.js';
import { noFfmpeg } from './exit.js';
import { clearTimeout, monotonicNow, setTimeout } from '../platform/timers.js';

/** The ffmpeg program the command line and the recorder use: $MEDIACAPTURE_FFMPEG, else "ffmpeg". */
export function ffmpegProgram(env: NodeJS.ProcessEnv): string {
  return env[FFMPEG_ENV] || 'ffmpeg';
}

/** ffprobe: the one beside $MEDIACAPTURE_FFMPEG when there is one, else "ffprobe" on PATH. */
export function ffprobeProgram(env: NodeJS.ProcessEnv): string {
  const ffmpeg = env[FFMPEG_ENV];
  if (ffmpeg?.includes('/')) {
    const beside = join(dirname(ffmpeg), 'ffprobe');
    if (existsSync(beside)) return beside;
  }
  return 'ffprobe';
}

interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * Runs `program` with `args` (an argv array, no shell), writes `input` to its stdin, and waits for
 * it to exit. Rejects when it cannot be started. The caller owns the child until it has exited;
 * `timeoutMs` kills it if it hangs.
 */
function run(program: string, args: readonly string[], input: Uint8Array | undefined, env: NodeJS.ProcessEnv, timeoutMs: number, stdout?: Buffer[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: [input ? 'pipe' : 'ignore', stdout ? 'pipe' : 'ignore', 'pipe'] });
    const stderr: Buffer[] = [];
    child.stderr!.on('data', (b: Buffer) => stderr.push(b));
    child.stdout?.on('data', (b: Buffer) => stdout!.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr: Buffer.concat(stderr).toString('utf8') });
    });
    if (input) {
      // ffmpeg closing its input early (a bad argument) is reported by its exit status, not EPIPE.
      child.stdin!.on('error', () => {});
      child.stdin!.end(input);
    }
  });
}

/** Checks that ffmpeg starts; a CliError (exit status "no ffmpeg") saying how to get it otherwise. */
export async function requireFfmpeg(env: NodeJS.ProcessEnv): Promise<string> {
  const program = ffmpegProgram(env);
  let result: RunResult;
  try {
    result = await run(program, ['-hide_banner', '-version'], undefined, env, 10_000);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const where = env[FFMPEG_ENV] ? `${FFMPEG_ENV}=${program}` : `"${program}" on PATH`;
    throw noFfmpeg(`${where}: ${code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : (e as Error).message}`);
  }
  if (result.code !== 0) throw noFfmpeg(`${program} -version exited with ${result.code ?? result.signal}`);
  return program;
}

/** Encodes one RGBA image as JPEG (quality `q` on ffmpeg's 2–31 scale, lower is better) into `path`. */
export async function writeJpeg(env: NodeJS.ProcessEnv, path: string, rgba: Uint8Array, width: number, height: number, q = 2): Promise<void> {
  const program = ffmpegProgram(env);
  const args = [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${width}x${height}`, '-i', 'pipe:0',
    '-frames:v', '1', '-q:v', String(q), '-pix_fmt', 'yuvj420p', '-f', 'image2', '-update', '1', '-y', path,
  ];
  let result: RunResult;
  try {
    result = await run(program, args, rgba, env, 30_000);
  } catch (e) {
    throw noFfmpeg((e as Error).message);
  }
  if (result.code !== 0) throw new Error(`ffmpeg could not write ${path} (exit ${result.code ?? result.signal}): ${result.stderr.trim().split('\n').pop() ?? ''}`);
}

/** The ffmpeg muxer that makes a seekable file of a recording's MIME type, and its extra options; null for Ogg (it has no index). */
function seekableMuxer(mimeType: string): string[] | null {
  const essence = mimeType.split(';')[0]!.trim().toLowerCase();
  if (essence === 'video/webm' || essence === 'audio/webm') return ['-f', 'webm'];
  if (essence === 'video/x-matroska' || essence === 'audio/x-matroska') return ['-f', 'matroska'];
  if (essence === 'video/mp4' || essence === 'audio/mp4') return ['-movflags', '+faststart', '-f', 'mp4'];
  return null;
}

/**
 * Rewrites a streamed recording in place as a seekable one, copying the streams (no re-encoding):
 * WebM and Matroska get their index (Cues) and Duration, MP4 its sample tables up front. This is
 * what MediaRecorder does when it makes the whole file in one blob; a recording written to disk
 * as it goes (start(timeslice)) is rewritten after the fact. The streamed file stays where it is
 * until the rewritten one is complete. Resolves to false when the format needs nothing or the
 * rewrite failed or took longer than `timeoutMs` (the streamed file is valid either way).
 */
export async function makeSeekable(env: NodeJS.ProcessEnv, path: string, mimeType: string, timeoutMs = 120_000): Promise<boolean> {
  const muxer = seekableMuxer(mimeType);
  if (muxer === null) return false;
  const temporary = join(dirname(path), `.${basename(path)}.seekable-${process.pid}`);
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-i', path, '-map', '0', '-c', 'copy', ...muxer, '-y', temporary];
  try {
    const result = await run(ffmpegProgram(env), args, undefined, env, timeoutMs);
    if (result.code !== 0) return false;
    await rename(temporary, path);
    return true;
  } catch {
    return false;
  } finally {
    await rm(temporary, { force: true });
  }
}

/** What a recorded file holds, as ffprobe reads it. */
export interface RecordedFile {
  /** Its duration, ms: the container's, else the end of its last packet. */
  readonly durationMs: number;
  /** Video frames in it (packets of its video stream), or undefined without video. */
  readonly videoFrames: number | undefined;
}

interface ProbeJson {
  readonly format?: { readonly duration?: string };
  readonly streams?: readonly { readonly codec_type?: string; readonly nb_read_packets?: string }[];
  readonly packets?: readonly { readonly pts_time?: string; readonly duration_time?: string }[];
}

/**
 * Reads a recording with ffprobe: its real duration and how many video frames it holds (packets
 * counted, nothing decoded). Null when ffprobe cannot run or read it within `timeoutMs`.
 */
export async function probeRecording(env: NodeJS.ProcessEnv, path: string, timeoutMs = 30_000): Promise<RecordedFile | null> {
  const deadline = monotonicNow() + timeoutMs;
  const ffprobe = async (args: string[]): Promise<ProbeJson | null> => {
    const out: Buffer[] = [];
    try {
      const result = await run(ffprobeProgram(env), ['-v', 'error', ...args, '-of', 'json', path], undefined, env, Math.max(1, deadline - monotonicNow()), out);
      return result.code === 0 ? (JSON.parse(Buffer.concat(out).toString('utf8')) as ProbeJson) : null;
    } catch {
      return null;
    }
  };
  const info = await ffprobe(['-count_packets', '-show_entries', 'format=duration:stream=codec_type,nb_read_packets']);
  if (!info) return null;
  const video = info.streams?.find((s) => s.codec_type === 'video');
  const videoFrames = video ? Number(video.nb_read_packets ?? 0) : undefined;
  let seconds = Number(info.format?.duration);
  if (!Number.isFinite(seconds)) {
    // A streamed file (not made seekable) may carry no duration: the end of its last packet.
    const packets = (await ffprobe(['-show_entries', 'packet=pts_time,duration_time']))?.packets ?? [];
    let first = Number.POSITIVE_INFINITY;
    let end = Number.NEGATIVE_INFINITY;
    for (const p of packets) {
      const pts = Number(p.pts_time);
      if (!Number.isFinite(pts)) continue;
      first = Math.min(first, pts);
      end = Math.max(end, pts + (Number(p.duration_time) || 0));
    }
    if (!Number.isFinite(first)) return null;
    seconds = end - first;
  }
  return { durationMs: seconds * 1000, videoFrames };
}
