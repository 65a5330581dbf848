/**
 * Small media files for the file, x11 and v4l2 tests, made at test time: frames of the synthetic
 * test pattern (each carrying its frame number in the frame code) encoded by ffmpeg, and tones.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProgram } from '../../src/backends/common/process.js';
import { TestPattern } from '../../src/media/synthetic/index.js';
import { scaled } from '../helpers/wait.js';

/** A fresh temporary directory for one test file's media. */
export function mediaDir(): string {
  return mkdtempSync(join(tmpdir(), 'mediacapture-media-'));
}

export interface PatternFile {
  width: number;
  height: number;
  frames: number;
  fps: number;
  /** ffmpeg output arguments before the output path (codec, format). Default: none (by extension). */
  output?: string[];
}

/**
 * Writes `frames` test-pattern frames (frame numbers 0 … frames-1) to `path`, encoded by ffmpeg
 * according to the extension or `output`.
 */
export async function writePatternFile(path: string, spec: PatternFile): Promise<string> {
  const pattern = new TestPattern(spec.width, spec.height);
  const raw = new Uint8Array(pattern.layout.byteLength * spec.frames);
  for (let i = 0; i < spec.frames; i++) {
    pattern.render(i, (i * 1e6) / spec.fps, raw.subarray(i * pattern.layout.byteLength, (i + 1) * pattern.layout.byteLength));
  }
  const rawPath = `${path}.yuv`;
  writeFileSync(rawPath, raw);
  await runProgram('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${spec.width}x${spec.height}`, '-r', String(spec.fps), '-i', rawPath,
    ...(spec.output ?? []), path,
  ], { timeoutMs: scaled(30_000) });
  return path;
}

/** Writes a sine tone of `frequency` Hz (amplitude 0.5) with ffmpeg's lavfi source. */
export async function writeToneFile(path: string, spec: { frequency: number; sampleRate: number; seconds: number; channels?: number; output?: string[] }): Promise<string> {
  await runProgram('ffmpeg', [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `sine=frequency=${spec.frequency}:sample_rate=${spec.sampleRate}:duration=${spec.seconds}`,
    '-ac', String(spec.channels ?? 1), ...(spec.output ?? []), path,
  ], { timeoutMs: scaled(30_000) });
  return path;
}

/** Frequency of a signal from its rising zero crossings, Hz. */
export function zeroCrossingFrequency(samples: Float32Array, sampleRate: number): number {
  const crossings: number[] = [];
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 && samples[i]! >= 0) crossings.push(i);
  if (crossings.length < 2) return 0;
  return ((crossings.length - 1) * sampleRate) / (crossings[crossings.length - 1]! - crossings[0]!);
}

/** Waits until process `pid` is gone (see test/helpers/proc.ts). */
export { waitGone } from '../helpers/proc.js';
