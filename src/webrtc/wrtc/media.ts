/**
 * Our media in the form wrtc takes and gives: I420 pictures, and 10 ms chunks of interleaved
 * signed 16-bit samples (what `RTCAudioSource.onData` accepts and `RTCAudioSink` delivers).
 *
 * Sending: {@link toVideoRecord} (a frame's I420 bytes at its display size, its own memory when it
 * is already tightly packed I420) and {@link AudioChunker} (any rate and layout → 48 kHz s16, cut
 * into 10 ms). Receiving: {@link fromRecord} makes a `VideoFrame` or `AudioData` of a record, with
 * a timestamp on our monotonic clock (wrtc's sinks give none): video at its arrival, audio by
 * counting samples from the first chunk (again from the arrival time after a gap).
 */
import { AudioConverter, i420Bytes } from '../../algorithms/recorder/raw-media.js';
import { monotonicNow } from '../../platform/timers.js';
import type { AudioData } from '../../webcodecs/audio-data.js';
import { REC601_COLOR_SPACE, audioDataFromBuffer, videoFrameFromPlanes } from '../../webcodecs/internal.js';
import type { VideoFrame } from '../../webcodecs/video-frame.js';
import { type MediaRecord, MediaType } from './protocol.js';

/** The rate our audio is sent at (libwebrtc's Opus runs at 48 kHz). */
export const SEND_RATE = 48000;
/** Frames in 10 ms at {@link SEND_RATE}. */
const CHUNK_FRAMES = SEND_RATE / 100;
/** A received audio timeline that lags its arrival by more than this (µs) starts again from arrival. */
const AUDIO_RESYNC_US = 200_000;

/** The I420 bytes of `frame` at its display size; `borrowed` when they are the frame's own. */
export function toVideoRecord(frame: VideoFrame): { width: number; height: number; data: Uint8Array; borrowed: boolean } {
  const width = frame.displayWidth;
  const height = frame.displayHeight;
  return { width, height, ...i420Bytes(frame, width, height) };
}

/** Cuts a track's audio into 10 ms chunks of 48 kHz s16 (mono or stereo, as the track is). */
export class AudioChunker {
  #converter: AudioConverter | null = null;
  #pending = new Float32Array(0);

  /** The complete chunks `audio` finishes (the rest waits for the next call). */
  push(audio: AudioData): { channels: number; data: Buffer }[] {
    const channels = Math.min(2, audio.numberOfChannels);
    if (this.#converter?.channels !== channels) {
      this.#converter = new AudioConverter(SEND_RATE, channels);
      this.#pending = new Float32Array(0);
    }
    const { data } = this.#converter.convert(audio);
    const samples = new Float32Array(data.buffer, data.byteOffset, data.byteLength >> 2);
    const all = new Float32Array(this.#pending.length + samples.length);
    all.set(this.#pending);
    all.set(samples, this.#pending.length);
    const size = CHUNK_FRAMES * channels;
    const chunks: { channels: number; data: Buffer }[] = [];
    let at = 0;
    for (; at + size <= all.length; at += size) {
      const out = Buffer.allocUnsafeSlow(size * 2);
      for (let i = 0; i < size; i++) out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(all[at + i]! * 32767))), i * 2);
      chunks.push({ channels, data: out });
    }
    this.#pending = all.slice(at);
    return chunks;
  }
}

/** Frames per chunk sent (for the record header). */
export const SEND_CHUNK_FRAMES = CHUNK_FRAMES;

/** Turns the records of one receiver into our media. */
export class RecordDecoder {
  /** The next audio timestamp (µs), or null before the first chunk. */
  #audioTime: number | null = null;

  decode(record: MediaRecord): VideoFrame | AudioData | null {
    const now = Math.round(monotonicNow() * 1000);
    if (record.type === MediaType.video) {
      return videoFrameFromPlanes({ format: 'I420', codedWidth: record.a, codedHeight: record.b, timestamp: now, data: record.payload, colorSpace: REC601_COLOR_SPACE });
    }
    if (record.type !== MediaType.audio || record.c === 0) return null;
    if (this.#audioTime === null || now - this.#audioTime > AUDIO_RESYNC_US) this.#audioTime = now;
    const timestamp = Math.round(this.#audioTime);
    this.#audioTime += (record.c * 1e6) / record.a;
    return audioDataFromBuffer({ format: 's16', sampleRate: record.a, numberOfFrames: record.c, numberOfChannels: record.b, timestamp, data: record.payload });
  }
}
