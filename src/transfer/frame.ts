/**
 * Moving VideoFrame and AudioData objects between threads (WebCodecs § 9.4.7 and § 9.2.6
 * "Transfer and Serialization", https://w3c.github.io/webcodecs/#videoframe-transfer-serialization).
 *
 * Node's `postMessage` cannot carry our class instances, so transfer is two explicit steps:
 * `serializeVideoFrame(frame)` runs the transfer steps (it closes `frame`) and returns plain data
 * plus the list of buffers to transfer; the receiving thread runs the transfer-receiving steps
 * with `deserializeVideoFrame(data)`.
 *
 * @example
 * // sender
 * const { data, transfer } = serializeVideoFrame(frame);
 * worker.postMessage(data, transfer);
 * // worker
 * parentPort.on('message', (data) => { const frame = deserializeVideoFrame(data); … });
 *
 * Copies: none when the frame holds the only reference to its pixels and they fill a whole
 * ArrayBuffer (a frame read from a processor usually does): that buffer is moved. Otherwise the
 * pixels are copied once into a new ArrayBuffer, which `postMessage` then moves.
 */
import type { TransferListItem } from 'node:worker_threads';
import type { AudioData } from '../webcodecs/audio-data.js';
import type { AudioSampleFormat } from '../webcodecs/audio-sample-format.js';
import { audioDataBuffer, audioDataFromBuffer, audioDataResource, videoFrameFromPlanes, videoFramePlanes, videoFrameResource } from '../webcodecs/internal.js';
import type { PlaneLayout } from '../webcodecs/layout.js';
import type { VideoColorSpaceInit } from '../webcodecs/video-color-space.js';
import type { VideoFrame } from '../webcodecs/video-frame.js';
import type { VideoPixelFormat } from '../webcodecs/video-pixel-format.js';

/** What to post, and what to pass as `postMessage`'s transfer list. */
export interface TransferRecord<T> {
  readonly data: T;
  readonly transfer: TransferListItem[];
}

/** A VideoFrame's slots as plain data ("dataHolder"). */
export interface SerializedVideoFrame {
  readonly type: 'VideoFrame';
  readonly format: VideoPixelFormat;
  readonly codedWidth: number;
  readonly codedHeight: number;
  readonly visibleRect: { x: number; y: number; width: number; height: number };
  readonly displayWidth: number;
  readonly displayHeight: number;
  readonly rotation: number;
  readonly flip: boolean;
  readonly timestamp: number;
  readonly duration: number | null;
  readonly colorSpace: VideoColorSpaceInit;
  readonly metadata: Record<string, unknown>;
  /** Where each plane lies in `data`. */
  readonly layout: readonly PlaneLayout[];
  /** The pixels: on an ArrayBuffer (moved by postMessage) or a SharedArrayBuffer (shared). */
  readonly data: Uint8Array;
}

/** An AudioData's slots as plain data. */
export interface SerializedAudioData {
  readonly type: 'AudioData';
  readonly format: AudioSampleFormat;
  readonly sampleRate: number;
  readonly numberOfFrames: number;
  readonly numberOfChannels: number;
  readonly timestamp: number;
  readonly data: Uint8Array;
}

function dataCloneError(message: string): DOMException {
  return new DOMException(message, 'DataCloneError');
}

/**
 * The VideoFrame transfer steps: returns the frame's slots and pixels as data to post, and closes
 * `frame`. Throws a TypeError for something that is not one of our VideoFrames and a
 * DataCloneError DOMException for a closed one.
 */
export function serializeVideoFrame(frame: VideoFrame): TransferRecord<SerializedVideoFrame> {
  let resource;
  try {
    resource = videoFrameResource(frame);
  } catch {
    throw new TypeError('serializeVideoFrame: the argument is not a VideoFrame of this implementation.');
  }
  // 1. If value's [[Detached]] is true, throw a DataCloneError DOMException.
  if (resource === null) throw dataCloneError('serializeVideoFrame: the VideoFrame is closed.');
  // 2. For all VideoFrame internal slots in value, assign the value of each to a field in dataHolder.
  const planes = videoFramePlanes(frame);
  const bytes = planes.data;
  const whole = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  // The resource moves with the data holder: its bytes are detached here (so no pool can hand
  // them out again), unless someone else still holds them, and then they are copied.
  const data = whole && resource.referenceCount === 1 ? new Uint8Array(structuredClone(bytes.buffer, { transfer: [bytes.buffer as ArrayBuffer] })) : bytes.slice();
  const serialized = describeVideoFrame(frame, planes.layout, data);
  // 3. Run the Close VideoFrame algorithm with value.
  frame.close();
  return { data: serialized, transfer: [data.buffer as ArrayBuffer] };
}

/** The VideoFrame transfer-receiving steps: a new VideoFrame from what `serializeVideoFrame` returned. */
export function deserializeVideoFrame(data: SerializedVideoFrame): VideoFrame {
  if (data?.type !== 'VideoFrame') throw new TypeError('deserializeVideoFrame: the argument is not a serialized VideoFrame.');
  return videoFrameFrom(data);
}

/** The AudioData transfer steps; closes `audio`. Copies the samples once unless it holds the only reference to a whole ArrayBuffer. */
export function serializeAudioData(audio: AudioData): TransferRecord<SerializedAudioData> {
  let resource;
  try {
    resource = audioDataResource(audio);
  } catch {
    throw new TypeError('serializeAudioData: the argument is not an AudioData of this implementation.');
  }
  // 1. If value's [[Detached]] is true, throw a DataCloneError DOMException.
  if (resource === null) throw dataCloneError('serializeAudioData: the AudioData is closed.');
  // 2. For all AudioData internal slots in value, assign each to a field in dataHolder.
  const b = audioDataBuffer(audio);
  const whole = b.data.buffer instanceof ArrayBuffer && b.data.byteOffset === 0 && b.data.byteLength === b.data.buffer.byteLength;
  const data = whole && resource.referenceCount === 1 ? new Uint8Array(structuredClone(b.data.buffer, { transfer: [b.data.buffer as ArrayBuffer] })) : b.data.slice();
  const serialized: SerializedAudioData = {
    type: 'AudioData', format: b.format, sampleRate: b.sampleRate, numberOfFrames: b.numberOfFrames,
    numberOfChannels: b.numberOfChannels, timestamp: b.timestamp, data,
  };
  // 3. Run the Close AudioData algorithm with value.
  audio.close();
  return { data: serialized, transfer: [data.buffer as ArrayBuffer] };
}

/** The AudioData transfer-receiving steps. */
export function deserializeAudioData(data: SerializedAudioData): AudioData {
  if (data?.type !== 'AudioData') throw new TypeError('deserializeAudioData: the argument is not a serialized AudioData.');
  const { format, sampleRate, numberOfFrames, numberOfChannels, timestamp } = data;
  return audioDataFromBuffer({ format, sampleRate, numberOfFrames, numberOfChannels, timestamp, data: data.data });
}

/** Package-internal: `frame`'s slots with `data` (laid out as `layout`) as its pixels. */
export function describeVideoFrame(frame: VideoFrame, layout: readonly PlaneLayout[], data: Uint8Array): SerializedVideoFrame {
  const v = frame.visibleRect!;
  return {
    type: 'VideoFrame',
    format: frame.format!,
    codedWidth: frame.codedWidth,
    codedHeight: frame.codedHeight,
    visibleRect: { x: v.x, y: v.y, width: v.width, height: v.height },
    displayWidth: frame.displayWidth,
    displayHeight: frame.displayHeight,
    rotation: frame.rotation,
    flip: frame.flip,
    timestamp: frame.timestamp,
    duration: frame.duration,
    colorSpace: frame.colorSpace.toJSON(),
    metadata: frame.metadata(),
    layout: layout.map((l) => ({ offset: l.offset, stride: l.stride })),
    data,
  };
}

/** Package-internal: a VideoFrame over `data.data` (not copied); `release` is called when its last reference closes. */
export function videoFrameFrom(data: SerializedVideoFrame, release?: (bytes: Uint8Array) => void): VideoFrame {
  return videoFrameFromPlanes({
    format: data.format,
    codedWidth: data.codedWidth,
    codedHeight: data.codedHeight,
    timestamp: data.timestamp,
    duration: data.duration,
    data: data.data,
    layout: data.layout,
    visibleRect: data.visibleRect,
    displayWidth: data.displayWidth,
    displayHeight: data.displayHeight,
    rotation: data.rotation,
    flip: data.flip,
    colorSpace: data.colorSpace,
    metadata: data.metadata,
    ...(release ? { release } : {}),
  });
}
