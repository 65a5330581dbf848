/**
 * Telling what script wrote into a generator: one of our VideoFrame / AudioData objects, a
 * VideoFrame or AudioData of another implementation (a runtime's global one, a polyfill), or
 * something else. Ours are passed on by reference; foreign ones are copied once, through their
 * public `copyTo()`, into one of ours.
 */
import type { AudioData } from '../../webcodecs/audio-data.js';
import type { AudioSampleFormat } from '../../webcodecs/audio-sample-format.js';
import { audioDataFromBuffer, audioDataResource, videoFrameFromPlanes, videoFrameResource } from '../../webcodecs/internal.js';
import type { PlaneLayout } from '../../webcodecs/layout.js';
import type { VideoColorSpaceInit } from '../../webcodecs/video-color-space.js';
import type { VideoFrame } from '../../webcodecs/video-frame.js';
import type { VideoPixelFormat } from '../../webcodecs/video-pixel-format.js';

/** The public surface of any WebCodecs VideoFrame that we read. */
interface ForeignVideoFrame {
  readonly format: string | null;
  readonly codedWidth: number;
  readonly codedHeight: number;
  readonly visibleRect: { x: number; y: number; width: number; height: number } | null;
  readonly displayWidth: number;
  readonly displayHeight: number;
  readonly timestamp: number;
  readonly duration: number | null;
  readonly rotation?: number;
  readonly flip?: boolean;
  readonly colorSpace?: { toJSON?(): VideoColorSpaceInit };
  allocationSize(options?: object): number;
  copyTo(destination: Uint8Array, options?: object): Promise<PlaneLayout[]>;
  close(): void;
}

/** The public surface of any WebCodecs AudioData that we read. */
interface ForeignAudioData {
  readonly format: string | null;
  readonly sampleRate: number;
  readonly numberOfFrames: number;
  readonly numberOfChannels: number;
  readonly timestamp: number;
  allocationSize(options: object): number;
  copyTo(destination: Uint8Array, options: object): void;
  close(): void;
}

/** What a written chunk is: ours (`own`), another implementation's (`foreign`), or not media (null). */
export type Classified<Own, Foreign> = { own: Own } | { foreign: Foreign } | null;

/** Classifies `value` as a VideoFrame. */
export function classifyVideoFrame(value: unknown): Classified<VideoFrame, ForeignVideoFrame> {
  if (typeof value !== 'object' || value === null) return null;
  try {
    videoFrameResource(value as VideoFrame);
    return { own: value as VideoFrame };
  } catch {
    // Not one of ours.
  }
  const v = value as Record<string, unknown>;
  const looksLikeFrame =
    typeof v.copyTo === 'function' && typeof v.allocationSize === 'function' && typeof v.close === 'function' &&
    'codedWidth' in v && 'displayWidth' in v && 'format' in v && 'timestamp' in v && !('numberOfFrames' in v);
  return looksLikeFrame ? { foreign: value as ForeignVideoFrame } : null;
}

/** Classifies `value` as an AudioData. */
export function classifyAudioData(value: unknown): Classified<AudioData, ForeignAudioData> {
  if (typeof value !== 'object' || value === null) return null;
  try {
    audioDataResource(value as AudioData);
    return { own: value as AudioData };
  } catch {
    // Not one of ours.
  }
  const v = value as Record<string, unknown>;
  const looksLikeAudio =
    typeof v.copyTo === 'function' && typeof v.allocationSize === 'function' && typeof v.close === 'function' &&
    'numberOfFrames' in v && 'sampleRate' in v && 'numberOfChannels' in v && 'format' in v;
  return looksLikeAudio ? { foreign: value as ForeignAudioData } : null;
}

/** Whether a classified chunk is closed ("[[Detached]]"): ours by its slots, foreign by its null format. */
export function isDetached(chunk: { own: VideoFrame | AudioData } | { foreign: ForeignVideoFrame | ForeignAudioData }): boolean {
  return 'own' in chunk ? chunk.own.format === null : chunk.foreign.format === null;
}

/** A new VideoFrame of ours holding a copy of a foreign frame's visible pixels. */
export async function copyForeignVideoFrame(frame: ForeignVideoFrame): Promise<VideoFrame> {
  const rect = frame.visibleRect!;
  const data = new Uint8Array(frame.allocationSize());
  const layout = await frame.copyTo(data);
  return videoFrameFromPlanes({
    format: frame.format as VideoPixelFormat,
    codedWidth: rect.width,
    codedHeight: rect.height,
    layout,
    data,
    timestamp: frame.timestamp,
    duration: frame.duration,
    displayWidth: frame.displayWidth,
    displayHeight: frame.displayHeight,
    rotation: frame.rotation ?? 0,
    flip: frame.flip ?? false,
    ...(frame.colorSpace?.toJSON ? { colorSpace: frame.colorSpace.toJSON() } : {}),
  });
}

/** A new f32-planar AudioData of ours holding a copy of a foreign AudioData's samples. */
export function copyForeignAudioData(audio: ForeignAudioData): AudioData {
  const { numberOfFrames, numberOfChannels } = audio;
  const data = new Uint8Array(numberOfFrames * numberOfChannels * 4);
  for (let planeIndex = 0; planeIndex < numberOfChannels; planeIndex++) {
    audio.copyTo(data.subarray(planeIndex * numberOfFrames * 4, (planeIndex + 1) * numberOfFrames * 4), { planeIndex, format: 'f32-planar' });
  }
  return audioDataFromBuffer({
    format: 'f32-planar' satisfies AudioSampleFormat,
    sampleRate: audio.sampleRate,
    numberOfFrames,
    numberOfChannels,
    timestamp: audio.timestamp,
    data,
  });
}
