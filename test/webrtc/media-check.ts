/**
 * Reading back what came through a peer connection: the test pattern's frame numbers (decoded
 * from the pixels) and the tone's frequency (rising zero crossings), from a remote track.
 */
import { decodeFrameNumber } from '../../src/media/synthetic/frame-code.js';
import { audioDataChannels, videoFramePlanes } from '../../src/webcodecs/internal.js';
import type { AudioData } from '../../src/webcodecs/audio-data.js';
import type { VideoFrame } from '../../src/webcodecs/video-frame.js';

/** The frame number in a test-pattern frame (I420), or null. */
export function frameNumberOf(frame: VideoFrame): number | null {
  const p = videoFramePlanes(frame);
  const y = p.layout[0]!;
  return decodeFrameNumber({ y: p.data.subarray(y.offset), width: p.visibleRect.width, height: p.visibleRect.height, stride: y.stride });
}

/** What {@link readVideo} saw. */
export interface VideoReading {
  frames: number;
  numbers: number[];
  unreadable: number;
  width: number;
  height: number;
}

/** Reads `count` frames from a video track's processor stream. */
export async function readVideo(readable: ReadableStream, count: number): Promise<VideoReading> {
  const reader = readable.getReader();
  const out: VideoReading = { frames: 0, numbers: [], unreadable: 0, width: 0, height: 0 };
  while (out.frames < count) {
    const { value, done } = await reader.read();
    if (done) break;
    const frame = value as VideoFrame;
    out.frames++;
    out.width = frame.displayWidth;
    out.height = frame.displayHeight;
    const n = frameNumberOf(frame);
    if (n === null) out.unreadable++;
    else out.numbers.push(n);
    frame.close();
  }
  reader.releaseLock();
  return out;
}

/** The frequency (Hz) of the first channel of `seconds` of audio read after skipping `skip` seconds, and its RMS. */
export async function readTone(readable: ReadableStream, seconds: number, skip = 0.3): Promise<{ frequency: number; rms: number; sampleRate: number }> {
  const reader = readable.getReader();
  const samples: number[] = [];
  let sampleRate = 48000;
  let skipped = 0;
  while (samples.length < seconds * sampleRate) {
    const { value, done } = await reader.read();
    if (done) break;
    const audio = value as AudioData;
    sampleRate = audio.sampleRate;
    const ch = audioDataChannels(audio)[0]!;
    audio.close();
    if (skipped < skip * sampleRate) {
      skipped += ch.length;
      continue;
    }
    for (const s of ch) samples.push(s);
  }
  reader.releaseLock();
  let crossings = 0;
  let sum = 0;
  for (let i = 1; i < samples.length; i++) {
    if (samples[i - 1]! < 0 && samples[i]! >= 0) crossings++;
    sum += samples[i]! * samples[i]!;
  }
  return { frequency: (crossings * sampleRate) / samples.length, rms: Math.sqrt(sum / samples.length), sampleRate };
}

/** Whether the numbers mostly increase by small steps (frames in order, a few lost). */
export function inOrder(numbers: readonly number[]): boolean {
  let forward = 0;
  for (let i = 1; i < numbers.length; i++) if (numbers[i]! > numbers[i - 1]! && numbers[i]! - numbers[i - 1]! <= 10) forward++;
  return forward >= (numbers.length - 1) * 0.9;
}
