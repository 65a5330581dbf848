/**
 * Package-internal construction of and access to `VideoFrame` and `AudioData`, for the media
 * pipeline: wrap bytes a source produced in a frame without copying them, and read a frame's bytes
 * without copying them. Not part of the public API (never exported from the package entry point).
 *
 * Ownership: a factory takes the bytes over. The frame it returns holds the one reference to a new
 * media resource; clones add references; when the last one is closed the resource lets the bytes
 * go and calls `release(bytes)` (for a buffer pool). The bytes may sit on a `SharedArrayBuffer`, so
 * a worker thread can read them in place. Bytes read through an accessor are valid while the frame
 * they came from is open; never write to them (clones share them).
 */
import { invalidState } from '../platform/errors.js';
// The classes fill the slot hooks when they load: import them for that effect, which a type-only
// use would not keep (TypeScript drops imports used only as types).
import './audio-data.js';
import './video-frame.js';
import type { AudioData } from './audio-data.js';
import { bytesPerSample, type AudioSampleFormat } from './audio-sample-format.js';
import { computeLayoutAndAllocationSize, verifyRectOffsetAlignment, type PlaneLayout } from './layout.js';
import { MediaResource } from './media-resource.js';
import type { Rect } from './rect.js';
import { audioDataSlots, videoFrameSlots } from './slots.js';
import { pickColorSpace, type VideoColorSpaceInit } from './video-color-space.js';
import { parseRotation, type VideoFrameMetadata } from './video-frame-init.js';
import type { VideoFrame } from './video-frame.js';
import { isRGBFormat, type VideoPixelFormat } from './video-pixel-format.js';
import { convertToRGB } from './video-frame-rgb.js';

export { REC601_COLOR_SPACE, REC709_COLOR_SPACE, SRGB_COLOR_SPACE } from './video-color-space.js';
export type { MediaResource } from './media-resource.js';

/** What `videoFrameFromPlanes` needs. */
export interface VideoFramePlanesInit {
  format: VideoPixelFormat;
  codedWidth: number;
  codedHeight: number;
  /** Microseconds. */
  timestamp: number;
  /** Microseconds; default null. */
  duration?: number | null;
  /** The bytes; taken over, not copied. */
  data: Uint8Array;
  /** Where each plane lies in `data`; default tightly packed from offset 0. */
  layout?: readonly PlaneLayout[];
  /** Default the coded rectangle. Must be sample-aligned (even x, y for 4:2:0). */
  visibleRect?: Rect;
  /** Default the visible size (swapped for 90/270 rotation). */
  displayWidth?: number;
  displayHeight?: number;
  rotation?: number;
  flip?: boolean;
  /** Default: sRGB for RGB formats, BT.709 for YUV (Pick Color Space). Camera frames: REC601_COLOR_SPACE. */
  colorSpace?: VideoColorSpaceInit;
  metadata?: VideoFrameMetadata;
  /** Called once with `data` when the last frame referencing it is closed. */
  release?: (data: Uint8Array) => void;
}

/**
 * Wraps existing pixel bytes in a new VideoFrame, without copying. Throws a TypeError for
 * inconsistent arguments (the pipeline's bug, reported early).
 */
export function videoFrameFromPlanes(init: VideoFramePlanesInit): VideoFrame {
  const { format, codedWidth, codedHeight, data } = init;
  if (!(codedWidth > 0 && codedHeight > 0)) throw new TypeError(`videoFrameFromPlanes: empty coded size ${codedWidth}×${codedHeight}.`);
  const codedRect = { x: 0, y: 0, width: codedWidth, height: codedHeight };
  const { allocationSize, planes } = planesOf(format, codedWidth, codedHeight, init.layout);
  if (data.byteLength < allocationSize) {
    throw new TypeError(`videoFrameFromPlanes: ${data.byteLength} bytes is too small for a ${codedWidth}×${codedHeight} ${format} frame (${allocationSize}).`);
  }
  const visible = init.visibleRect ?? codedRect;
  if (visible.x < 0 || visible.y < 0 || visible.width <= 0 || visible.height <= 0 || visible.x + visible.width > codedWidth || visible.y + visible.height > codedHeight) {
    throw new TypeError('videoFrameFromPlanes: visibleRect is outside the coded rectangle.');
  }
  if (!verifyRectOffsetAlignment(format, visible)) throw new TypeError(`videoFrameFromPlanes: visibleRect offset is not aligned to the sub-sampling of ${format}.`);
  const rotation = parseRotation(init.rotation ?? 0);
  const upright = rotation === 0 || rotation === 180;
  return videoFrameSlots.create({
    resourceReference: { resource: new MediaResource(data, init.release).addReference(), planes },
    format,
    codedWidth,
    codedHeight,
    visibleLeft: visible.x,
    visibleTop: visible.y,
    visibleWidth: visible.width,
    visibleHeight: visible.height,
    rotation,
    flip: init.flip ?? false,
    displayWidth: init.displayWidth ?? (upright ? visible.width : visible.height),
    displayHeight: init.displayHeight ?? (upright ? visible.height : visible.width),
    duration: init.duration ?? null,
    timestamp: init.timestamp,
    colorSpace: pickColorSpace(init.colorSpace, isRGBFormat(format)),
    metadata: init.metadata === undefined ? {} : structuredClone(init.metadata),
  });
}

/** The plane layout of the last size wrapped: a source wraps frame after frame of one size. */
let lastPlanes: { format: VideoPixelFormat; width: number; height: number; layout: readonly PlaneLayout[] | undefined; allocationSize: number; planes: readonly PlaneLayout[] } | undefined;

/** Where each plane of a `format` frame of this coded size lies (a layout shared by the frames of that size: never changed). */
function planesOf(format: VideoPixelFormat, width: number, height: number, layout: readonly PlaneLayout[] | undefined) {
  const last = lastPlanes;
  if (last !== undefined && last.format === format && last.width === width && last.height === height && last.layout === layout) return last;
  const combined = computeLayoutAndAllocationSize({ x: 0, y: 0, width, height }, format, layout);
  const planes = combined.computedLayouts.map((l) => ({ offset: l.destinationOffset, stride: l.destinationStride }));
  return (lastPlanes = { format, width, height, layout, allocationSize: combined.allocationSize, planes });
}

/** A zero-copy view of a frame's pixels. */
export interface VideoFramePlanes {
  /** The resource's bytes (shared with clones: read only). */
  data: Uint8Array;
  /** Offset and stride of each plane of `format` in `data`. */
  layout: readonly PlaneLayout[];
  format: VideoPixelFormat;
  codedWidth: number;
  codedHeight: number;
  visibleRect: Rect;
  timestamp: number;
  duration: number | null;
}

/** The bytes and plane layout behind an open VideoFrame. InvalidStateError once it is closed. */
export function videoFramePlanes(frame: VideoFrame): VideoFramePlanes {
  const s = videoFrameSlots.read(frame);
  if (s === null) throw invalidState('videoFramePlanes: the VideoFrame is closed.');
  return {
    data: s.resourceReference.resource.data,
    layout: s.resourceReference.planes,
    format: s.format,
    codedWidth: s.codedWidth,
    codedHeight: s.codedHeight,
    visibleRect: { x: s.visibleLeft, y: s.visibleTop, width: s.visibleWidth, height: s.visibleHeight },
    timestamp: s.timestamp,
    duration: s.duration,
  };
}

/**
 * Whether an open VideoFrame's visible rectangle is `width` × `height` (false once closed):
 * what the pipeline asks of every frame, without making a rectangle (the `visibleRect` getter
 * makes a DOMRectReadOnly, videoFramePlanes an object and a rectangle).
 */
export function videoFrameVisibleSizeIs(frame: VideoFrame, width: number, height: number): boolean {
  const s = videoFrameSlots.read(frame);
  return s !== null && s.visibleWidth === width && s.visibleHeight === height;
}

/** An open VideoFrame's visible pixels as RGBA (see {@link videoFrameRGBA}). */
export interface VideoFrameRGBA {
  /** visibleWidth × visibleHeight pixels, 4 bytes each, straight alpha (255 for formats without alpha). */
  data: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
  /** The size the frame is shown at (`displayWidth`, `displayHeight`). */
  displayWidth: number;
  displayHeight: number;
}

/**
 * A copy of the visible rectangle of an open VideoFrame, converted to RGBA synchronously: what
 * a canvas draws for `drawImage(frame)` (WebCodecs: a VideoFrame is a CanvasImageSource). Null
 * for a closed frame; a TypeError for anything that is not one of our VideoFrames.
 */
export function videoFrameRGBA(frame: VideoFrame): VideoFrameRGBA | null {
  const s = videoFrameSlots.read(frame);
  if (s === null) return null;
  const rect = { x: s.visibleLeft, y: s.visibleTop, width: s.visibleWidth, height: s.visibleHeight };
  const data = new Uint8ClampedArray(rect.width * rect.height * 4);
  const bytes = new Uint8Array(data.buffer);
  convertToRGB(s.resourceReference, s.format, s.colorSpace, rect, 'RGBA', bytes, 0, rect.width * 4);
  return { data, width: rect.width, height: rect.height, displayWidth: s.displayWidth, displayHeight: s.displayHeight };
}

/** The media resource of an open VideoFrame (its `referenceCount`, `released`); null once closed. */
export function videoFrameResource(frame: VideoFrame): MediaResource | null {
  return videoFrameSlots.read(frame)?.resourceReference.resource ?? null;
}

/** What `audioDataFromBuffer` needs. */
export interface AudioBufferInit {
  format: AudioSampleFormat;
  sampleRate: number;
  numberOfFrames: number;
  numberOfChannels: number;
  /** Microseconds. */
  timestamp: number;
  /** The samples; taken over, not copied. Planar formats: one plane after another. */
  data: Uint8Array;
  /** Called once with `data` when the last AudioData referencing it is closed. */
  release?: (data: Uint8Array) => void;
}

/** Wraps existing sample bytes in a new AudioData, without copying. */
export function audioDataFromBuffer(init: AudioBufferInit): AudioData {
  const { format, sampleRate, numberOfFrames, numberOfChannels, data } = init;
  if (!(sampleRate > 0) || !(numberOfFrames > 0) || !(numberOfChannels > 0)) {
    throw new TypeError(`audioDataFromBuffer: needs a positive sampleRate, numberOfFrames and numberOfChannels (got ${sampleRate}, ${numberOfFrames}, ${numberOfChannels}).`);
  }
  const size = numberOfFrames * numberOfChannels * bytesPerSample(format);
  if (data.byteLength < size) throw new TypeError(`audioDataFromBuffer: ${data.byteLength} bytes is too small for ${numberOfFrames}×${numberOfChannels} ${format} (${size}).`);
  if (data.byteOffset % bytesPerSample(format) !== 0) throw new TypeError(`audioDataFromBuffer: data must start at a multiple of ${bytesPerSample(format)} bytes.`);
  return audioDataSlots.create({
    resourceReference: new MediaResource(data, init.release).addReference(),
    format,
    sampleRate: Math.fround(sampleRate),
    numberOfFrames,
    numberOfChannels,
    timestamp: init.timestamp,
  });
}

/** A new f32-planar AudioData holding a copy of `channels` (one array per channel, equal lengths). */
export function audioDataFromChannels(channels: readonly Float32Array[], sampleRate: number, timestamp: number): AudioData {
  const frames = channels[0]?.length ?? 0;
  const samples = new Float32Array(frames * channels.length);
  channels.forEach((channel, c) => samples.set(channel.subarray(0, frames), c * frames));
  return audioDataFromBuffer({
    format: 'f32-planar',
    sampleRate,
    numberOfFrames: frames,
    numberOfChannels: channels.length,
    timestamp,
    data: new Uint8Array(samples.buffer),
  });
}

/** A zero-copy view of an AudioData's samples. */
export interface AudioDataBuffer {
  data: Uint8Array;
  format: AudioSampleFormat;
  sampleRate: number;
  numberOfFrames: number;
  numberOfChannels: number;
  timestamp: number;
}

/** The bytes behind an open AudioData. InvalidStateError once it is closed. */
export function audioDataBuffer(audio: AudioData): AudioDataBuffer {
  const s = audioDataSlots.read(audio);
  if (s === null) throw invalidState('audioDataBuffer: the AudioData is closed.');
  const { format, sampleRate, numberOfFrames, numberOfChannels, timestamp } = s;
  return { data: s.resourceReference.data, format, sampleRate, numberOfFrames, numberOfChannels, timestamp };
}

/**
 * One Float32Array per channel: views on the samples (no copy) when the AudioData is f32-planar,
 * otherwise a converted copy (via copyTo, which supports every format to f32-planar).
 */
export function audioDataChannels(audio: AudioData): Float32Array[] {
  const b = audioDataBuffer(audio);
  if (b.format === 'f32-planar') {
    return Array.from({ length: b.numberOfChannels }, (_, c) => new Float32Array(b.data.buffer, b.data.byteOffset + c * b.numberOfFrames * 4, b.numberOfFrames));
  }
  return Array.from({ length: b.numberOfChannels }, (_, planeIndex) => {
    const out = new Float32Array(b.numberOfFrames);
    audio.copyTo(out, { planeIndex, format: 'f32-planar' });
    return out;
  });
}

/** The media resource of an open AudioData (its `referenceCount`, `released`); null once closed. */
export function audioDataResource(audio: AudioData): MediaResource | null {
  return audioDataSlots.read(audio)?.resourceReference ?? null;
}
