/**
 * Turning the frames and samples a track delivers into the raw bytes the encoder reads: tightly
 * packed I420 at the recording's size, and interleaved f32 samples at its rate and channel count.
 * The common case (an I420 frame already at the right size, tightly packed) costs no copy.
 */
import { i420FromLayout, i420Image, i420Size, nv12Image, packedImage, type I420Image, type Plane } from '../../media/convert/image.js';
import { mixChannels, Resampler } from '../../media/convert/audio.js';
import { cropAndScaleI420 } from '../../media/convert/scale.js';
import { nv12ToI420, rgbaToI420 } from '../../media/convert/color.js';
import { fillBlackI420 } from '../../media/convert/black.js';
import type { AudioData } from '../../webcodecs/audio-data.js';
import { audioDataChannels, videoFramePlanes } from '../../webcodecs/internal.js';
import type { VideoFrame } from '../../webcodecs/video-frame.js';

/** I420 bytes of `frame` at `width`×`height`; `borrowed` when they are the frame's own bytes (keep it open while they are used). */
export function i420Bytes(frame: VideoFrame, width: number, height: number): { data: Uint8Array; borrowed: boolean } {
  const p = videoFramePlanes(frame);
  const size = i420Size(width, height);
  const r = p.visibleRect;
  if (p.format === 'I420' && r.x === 0 && r.y === 0 && r.width === width && r.height === height && p.codedWidth === width && p.codedHeight >= height) {
    const cw = (width + 1) >> 1;
    const ch = (height + 1) >> 1;
    const [y, u, v] = p.layout;
    const tight = y!.offset === 0 && y!.stride === width && u!.stride === cw && v!.stride === cw && u!.offset === width * height && v!.offset === width * height + cw * ch;
    if (tight) return { data: p.data.subarray(0, size), borrowed: true };
  }
  const src = sourceI420(p.format, p.data, p.layout, p.codedWidth, p.codedHeight);
  const out = new Uint8Array(size);
  const dst = i420Image(out, width, height);
  if (src === null) {
    fillBlackI420(dst);
    return { data: out, borrowed: false };
  }
  // The visible rectangle, scaled to the recording's size (centred crop if the aspect differs).
  const visible = cropI420(src, r.x, r.y, r.width, r.height);
  cropAndScaleI420(visible, dst);
  return { data: out, borrowed: false };
}

/** An I420 view (or converted copy) of a frame's coded picture; null for formats we cannot read. */
function sourceI420(format: string | null, data: Uint8Array, layout: readonly { offset: number; stride: number }[], w: number, h: number): I420Image | null {
  const plane = (i: number): Plane => ({ data, offset: layout[i]!.offset, stride: layout[i]!.stride });
  switch (format) {
    case 'I420':
    case 'I420A':
      return i420FromLayout(data, w, h, layout);
    case 'NV12': {
      const out = i420Image(new Uint8Array(i420Size(w, h)), w, h);
      nv12ToI420({ ...nv12Image(data, w, h), y: plane(0), uv: plane(1) }, out);
      return out;
    }
    case 'RGBA':
    case 'RGBX':
    case 'BGRA':
    case 'BGRX': {
      const out = i420Image(new Uint8Array(i420Size(w, h)), w, h);
      const order = format.startsWith('B') ? 'BGRA' : 'RGBA';
      rgbaToI420({ ...packedImage(data, w, h), plane: plane(0) }, out, { order });
      return out;
    }
    default:
      return null;
  }
}

/** A view of the rectangle of an I420 image starting at even (x, y). */
function cropI420(img: I420Image, x: number, y: number, width: number, height: number): I420Image {
  if (x === 0 && y === 0 && width === img.width && height === img.height) return img;
  const at = (p: Plane, px: number, py: number): Plane => ({ data: p.data, offset: p.offset + py * p.stride + px, stride: p.stride });
  return { width, height, y: at(img.y, x, y), u: at(img.u, x >> 1, y >> 1), v: at(img.v, x >> 1, y >> 1) };
}

/** A black I420 frame. */
export function blackI420Bytes(width: number, height: number): Uint8Array {
  const out = new Uint8Array(i420Size(width, height));
  fillBlackI420(i420Image(out, width, height));
  return out;
}

/** Converts audio to the recording's format: interleaved f32 (as bytes) at `sampleRate` with `channels`. */
export class AudioConverter {
  readonly sampleRate: number;
  readonly channels: number;
  #resampler: Resampler | null = null;

  constructor(sampleRate: number, channels: number) {
    this.sampleRate = sampleRate;
    this.channels = channels;
  }

  /** The samples of `audio` as interleaved f32 bytes, and their number of frames. */
  convert(audio: AudioData): { data: Uint8Array; frames: number } {
    let planes = audioDataChannels(audio);
    if (planes.length !== this.channels) planes = mixChannels(planes, this.channels);
    if (audio.sampleRate !== this.sampleRate) {
      if (this.#resampler?.inputRate !== audio.sampleRate) this.#resampler = new Resampler(audio.sampleRate, this.sampleRate, this.channels);
      planes = this.#resampler.process(planes);
    }
    return interleave(planes);
  }
}

/** Interleaves planar channels into f32 bytes. */
export function interleave(planes: readonly Float32Array[]): { data: Uint8Array; frames: number } {
  const frames = planes[0]?.length ?? 0;
  const n = planes.length;
  const out = new Float32Array(frames * n);
  if (n === 1) out.set(planes[0]!);
  else {
    for (let c = 0; c < n; c++) {
      const src = planes[c]!;
      for (let i = 0, j = c; i < frames; i++, j += n) out[j] = src[i]!;
    }
  }
  return { data: new Uint8Array(out.buffer), frames };
}
