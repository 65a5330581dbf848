import { REC601_COLOR_SPACE, videoFrameFromPlanes, videoFramePlanes, videoFrameResource, videoFrameVisibleSizeIs } from '../../webcodecs/internal.js';
import type { VideoFrame } from '../../webcodecs/video-frame.js';
import { BufferPool } from '../buffer-pool.js';
import type { PackedImage } from '../convert/image.js';
import { i420FromLayout, i420Image, i420Size } from '../convert/image.js';
import { centredCrop, cropAndScaleI420, cropAndScaleRGBA } from '../convert/scale.js';
import type { VideoTarget } from '../route.js';
import { scaleFrom } from './pyramid.js';
import { scaleOnThread, scalerThreadAvailable, scalerThreadOnline } from './scaler-thread.js';

/**
 * Frames of one route on the scaling thread at once; a frame past that is dropped, as a late
 * camera drops (not while the thread is starting: those frames wait for it).
 */
const MAX_IN_FLIGHT = 2;

/** A number per source frame (its media resource), naming it to the scaling thread. */
const frameKeys = new WeakMap<object, number>();
let nextFrameKey = 0;

/**
 * Makes a source's frames fit a track's settings (`resizeMode: "crop-and-scale"`): frame-rate
 * decimation by timestamp, then a centred crop to the target aspect ratio and an area-averaging
 * downscale. A frame that already fits is passed on by reference (a clone), never copied.
 */
export class VideoAdapter {
  readonly target: VideoTarget;
  readonly #interval: number;
  #nextDue: number | undefined;
  #pool: BufferPool | undefined;
  #inFlight = 0;

  constructor(target: VideoTarget) {
    this.target = target;
    this.#interval = 1e6 / target.frameRate;
  }

  /** The adapted frame (owned by the caller), or null when decimation drops this one. */
  process(frame: VideoFrame): VideoFrame | null {
    if (!this.keep(frame.timestamp)) return null;
    const { width, height } = this.target;
    if (videoFrameVisibleSizeIs(frame, width, height)) return frame.clone();
    return this.#scale(frame, width, height);
  }

  /** Whether `frame` is not of the target's size (a frame of that size is passed on, never scaled). */
  mayScale(frame: VideoFrame): boolean {
    return !videoFrameVisibleSizeIs(frame, this.target.width, this.target.height);
  }

  /**
   * As `process`, but the scaling runs on the scaling thread (scaler-thread.ts), and `deliver`
   * gets the adapted frame in a later task. Returns false, having done nothing, where that cannot
   * be (a frame that needs no scaling, a frame not on a SharedArrayBuffer, no scaling thread):
   * the caller then calls `process`. Frames reach `deliver` in order. A frame that never reaches
   * it is reported to `lost`: "discarded" at once (decimation), "dropped" at once (the thread is
   * too far behind) or later (the thread died).
   */
  processOffThread(frame: VideoFrame, deliver: (frame: VideoFrame) => void, lost?: (fate: 'discarded' | 'dropped') => void): boolean {
    const { width, height } = this.target;
    // A frame of the target's size (the usual case: a track in its source's mode) is not scaled.
    if (videoFrameVisibleSizeIs(frame, width, height)) return false;
    const planes = videoFramePlanes(frame);
    const v = planes.visibleRect;
    if (planes.format !== 'I420' || (v.width === width && v.height === height)) return false;
    if (!(planes.data.buffer instanceof SharedArrayBuffer) || !scalerThreadAvailable()) return false;
    if (!this.keep(frame.timestamp)) {
      lost?.('discarded');
      return true;
    }
    if (this.#inFlight >= MAX_IN_FLIGHT && scalerThreadOnline()) {
      lost?.('dropped');
      return true;
    }
    const pool = this.#poolFor(i420Size(width, height), true);
    const data = pool.take();
    // The source frame stays open (a clone holds its pixels) until the thread has read them.
    const source = frame.clone();
    const resource = videoFrameResource(frame)!;
    let frameKey = frameKeys.get(resource);
    if (frameKey === undefined) frameKeys.set(resource, (frameKey = nextFrameKey++));
    const { timestamp, duration } = frame;
    this.#inFlight++;
    scaleOnThread(
      {
        frameKey,
        source: {
          buffer: planes.data.buffer, byteOffset: planes.data.byteOffset, byteLength: planes.data.byteLength,
          width: planes.codedWidth, height: planes.codedHeight, planes: planes.layout,
        },
        crop: centredWithin(v, width, height, 2),
        destination: {
          buffer: data.buffer as SharedArrayBuffer, byteOffset: data.byteOffset, byteLength: data.byteLength, width, height,
          planes: tightI420Layout(width, height),
        },
      },
      () => {
        this.#inFlight--;
        source.close();
        deliver(i420Frame(data, pool, width, height, timestamp, duration));
      },
      () => {
        this.#inFlight--;
        source.close();
        pool.give(data);
        lost?.('dropped');
      },
    );
    return true;
  }

  /**
   * Decimation: keep a frame when its timestamp reaches the next due time (within a quarter
   * interval, for capture jitter); the due time then advances by one target interval, so the
   * kept frames average the target rate. A long gap restarts the schedule. False: the frame is
   * discarded "in order to achieve the target frameRate" (mediacapture-extensions §7).
   */
  keep(timestamp: number): boolean {
    const interval = this.#interval;
    // A long gap, or timestamps that start over (a looping file), restart the schedule.
    if (this.#nextDue === undefined || timestamp - this.#nextDue > interval || timestamp < this.#nextDue - 2 * interval) {
      this.#nextDue = timestamp + interval;
      return true;
    }
    if (timestamp < this.#nextDue - interval / 4) return false;
    this.#nextDue += interval;
    return true;
  }

  /**
   * The pool of output buffers of `size` bytes: in the kernels' memory, so that they scale into
   * it in place (and on SharedArrayBuffers when `shared`, should that memory be full).
   */
  #poolFor(size: number, shared = false): BufferPool {
    if (this.#pool?.size !== size || (shared && !this.#pool.shared)) this.#pool = new BufferPool(size, { shared, resident: true });
    return this.#pool;
  }

  #scale(frame: VideoFrame, width: number, height: number): VideoFrame {
    const planes = videoFramePlanes(frame);
    const { format, visibleRect: v } = planes;
    if (format === 'I420') {
      const pool = this.#poolFor(i420Size(width, height));
      const data = pool.take();
      const src = i420FromLayout(planes.data, planes.codedWidth, planes.codedHeight, planes.layout);
      // Large downscales start from a smaller copy of the frame, shared by all its routes.
      const from = scaleFrom(videoFrameResource(frame)!, src, centredWithin(v, width, height, 2), width, height);
      cropAndScaleI420(from.image, i420Image(data, width, height), from.crop);
      return i420Frame(data, pool, width, height, frame.timestamp, frame.duration);
    }
    if (format === 'RGBA' || format === 'RGBX' || format === 'BGRA' || format === 'BGRX') {
      const pool = this.#poolFor(width * height * 4);
      const data = pool.take();
      const l = planes.layout[0]!;
      const src: PackedImage = { width: planes.codedWidth, height: planes.codedHeight, plane: { data: planes.data, offset: l.offset, stride: l.stride } };
      cropAndScaleRGBA(src, { width, height, plane: { data, offset: 0, stride: width * 4 } }, centredWithin(v, width, height, 1));
      return videoFrameFromPlanes({
        format, codedWidth: width, codedHeight: height, timestamp: frame.timestamp,
        duration: frame.duration, data, release: pool.give,
      });
    }
    throw new TypeError(`crop-and-scale does not handle ${format} frames yet; sources should emit I420 or RGBA.`);
  }
}

/** Offset and stride of the Y, U and V planes of a tightly packed I420 image. */
function tightI420Layout(width: number, height: number): { offset: number; stride: number }[] {
  const { y, u, v } = i420Image(new Uint8Array(0), width, height);
  return [y, u, v].map((p) => ({ offset: p.offset, stride: p.stride }));
}

/** A scaled camera frame over `data` (from `pool`, which takes it back when the frame is done with). */
function i420Frame(data: Uint8Array, pool: BufferPool, width: number, height: number, timestamp: number, duration: number | null): VideoFrame {
  return videoFrameFromPlanes({
    format: 'I420', codedWidth: width, codedHeight: height, timestamp, duration, data, release: pool.give, colorSpace: REC601_COLOR_SPACE,
  });
}

/** The centred crop of the visible rectangle with the target's aspect ratio, in coded coordinates. */
function centredWithin(visible: { x: number; y: number; width: number; height: number }, width: number, height: number, align: number) {
  const c = centredCrop(visible.width, visible.height, width, height, align);
  return { ...c, x: c.x + visible.x, y: c.y + visible.y };
}
