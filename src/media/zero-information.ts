import { audioDataFromBuffer, videoFrameFromPlanes, REC601_COLOR_SPACE } from '../webcodecs/internal.js';
import type { AudioData } from '../webcodecs/audio-data.js';
import type { VideoFrame } from '../webcodecs/video-frame.js';
import { i420Image, i420Size } from './convert/image.js';
import { fillBlackI420 } from './convert/black.js';

/**
 * "Zero-information-content" (mediacapture-main §4.3.1.1): what a disabled track delivers in place
 * of its media. Black frames share one read-only buffer per size; silence is zeros.
 */
const blackBuffers = new Map<string, Uint8Array>();

function blackI420(width: number, height: number): Uint8Array {
  const key = `${width}x${height}`;
  let data = blackBuffers.get(key);
  if (!data) {
    data = new Uint8Array(i420Size(width, height));
    fillBlackI420(i420Image(data, width, height));
    if (blackBuffers.size > 32) blackBuffers.clear();
    blackBuffers.set(key, data);
  }
  return data;
}

/** A black I420 frame with the size and timing of `frame`. */
export function blackLike(frame: VideoFrame): VideoFrame {
  const width = frame.displayWidth;
  const height = frame.displayHeight;
  return videoFrameFromPlanes({
    format: 'I420',
    codedWidth: width,
    codedHeight: height,
    timestamp: frame.timestamp,
    duration: frame.duration,
    data: blackI420(width, height),
    colorSpace: REC601_COLOR_SPACE,
  });
}

/** Silence with the shape and timing of `audio`, as f32-planar. */
export function silenceLike(audio: AudioData): AudioData {
  return audioDataFromBuffer({
    format: 'f32-planar',
    sampleRate: audio.sampleRate,
    numberOfFrames: audio.numberOfFrames,
    numberOfChannels: audio.numberOfChannels,
    timestamp: audio.timestamp,
    data: new Uint8Array(audio.numberOfFrames * audio.numberOfChannels * 4),
  });
}
