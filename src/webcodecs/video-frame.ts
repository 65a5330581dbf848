/**
 * `VideoFrame` (WebCodecs § 9.4, ../../../shared/specs/webcodecs-videoframe-audiodata.md#94-videoframe-interface):
 * an unencoded image with its geometry, timing, colour space and metadata, and a reference to a
 * shared media resource (§ 9.1). Clones share the resource; `close()` drops this frame's reference.
 *
 * In Node there is no `CanvasImageSource` to read: `new VideoFrame(image)` accepts another
 * VideoFrame. Given an `HTMLImageElement`, `HTMLCanvasElement`, `HTMLVideoElement`,
 * `SVGImageElement`, `ImageBitmap` or `OffscreenCanvas` (e.g. from jsdom or happy-dom, which hold no
 * pixels) it throws a `NotSupportedError` DOMException; anything else that is not a buffer is a
 * `TypeError`, as WebIDL overload resolution would have it.
 */
import { illegalInvocation, invalidState, notSupported } from '../platform/errors.js';
import { exposeInterface } from '../platform/interface.js';
import { queueTask } from '../platform/tasks.js';
import { toBufferSourceBytes } from './buffers.js';
import type { PlaneLayout } from './layout.js';
import { DOMRectReadOnly } from './rect.js';
import { videoFrameSlots, type VideoFrameSlots, type VideoResource } from './slots.js';
import type { VideoColorSpace } from './video-color-space.js';
import { initializeFrameFromBuffer, initializeFrameFromOtherFrame } from './video-frame-construct.js';
import { copyVideoFrame, parseVideoFrameCopyToOptions } from './video-frame-copy.js';
import {
  copyVideoFrameMetadata,
  toVideoFrameCopyToOptions,
  toVideoFrameInit,
  type VideoFrameBufferInit,
  type VideoFrameCopyToOptions,
  type VideoFrameInit,
  type VideoFrameMetadata,
} from './video-frame-init.js';
import type { VideoPixelFormat } from './video-pixel-format.js';

export type { VideoFrameBufferInit, VideoFrameCopyToOptions, VideoFrameInit, VideoFrameMetadata } from './video-frame-init.js';
export type { PlaneLayout } from './layout.js';
export type { VideoPixelFormat } from './video-pixel-format.js';

/** Passed instead of a source by package-internal construction (see slots.ts). */
const CONSTRUCT = Symbol('VideoFrame.construct');
/** Passed instead of a source by `clone()`, with the frame to copy the slots of. */
const CLONE = Symbol('VideoFrame.clone');

/** `AllowSharedBufferSource` as TypeScript sees it. */
export type AllowSharedBufferSource = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;
/** `CanvasImageSource`: in Node only a VideoFrame can be read (see the module comment). */
export type CanvasImageSource = VideoFrame | object;

const IMAGE_INTERFACES = ['HTMLImageElement', 'SVGImageElement', 'HTMLVideoElement', 'HTMLCanvasElement', 'ImageBitmap', 'OffscreenCanvas'];

/** True for DOM image sources of a DOM shim (found by interface name along the prototype chain). */
function isDOMImageSource(value: object): boolean {
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && IMAGE_INTERFACES.includes(name)) return true;
  }
  return false;
}

function isBufferSource(value: unknown): boolean {
  return value instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer) || ArrayBuffer.isView(value);
}

/** An unencoded video frame. */
export class VideoFrame {
  #detached = false;
  #resourceReference: VideoResource | null = null;
  #format: VideoPixelFormat | null = null;
  #codedWidth = 0;
  #codedHeight = 0;
  #visibleLeft = 0;
  #visibleTop = 0;
  #visibleWidth = 0;
  #visibleHeight = 0;
  #rotation = 0;
  #flip = false;
  #displayWidth = 0;
  #displayHeight = 0;
  #duration: number | null = null;
  #timestamp = 0;
  #colorSpace!: VideoColorSpace;
  #metadata: VideoFrameMetadata = {};

  static {
    videoFrameSlots.create = (slots) => new (VideoFrame as unknown as new (token: symbol, slots: VideoFrameSlots) => VideoFrame)(CONSTRUCT, slots);
    videoFrameSlots.read = (frame) => frame.#slots();
  }

  /** VideoFrame(data, init): a frame from pixel data; copied, or taken over when its buffer is in `init.transfer`. */
  constructor(data: AllowSharedBufferSource, init: VideoFrameBufferInit);
  /** VideoFrame(image, init): a frame sharing another VideoFrame's resource, with new geometry or timing. */
  constructor(image: CanvasImageSource, init?: VideoFrameInit);
  constructor(source: unknown, init?: unknown) {
    if (source === CLONE) {
      this.#copySlots(init as VideoFrame);
      return;
    }
    if (source === CONSTRUCT) {
      this.#assign(init as VideoFrameSlots);
      return;
    }
    if (arguments.length < 1) throw new TypeError("Failed to construct 'VideoFrame': 1 argument required, but only 0 present.");
    if (typeof source === 'object' && source !== null && #detached in source) {
      // VideoFrame(image, init), image a VideoFrame. 1. Check the usability of the image argument.
      const other = (source as VideoFrame).#slots();
      if (other === null) {
        // (init is converted first, as WebIDL does before the steps run.)
        toVideoFrameInit(init, "Failed to construct 'VideoFrame': init");
        throw invalidState("Failed to construct 'VideoFrame': the source VideoFrame is closed.");
      }
      // 4. Switch on image: VideoFrame → Initialize Frame From Other Frame.
      this.#assign(initializeFrameFromOtherFrame(other, init));
      return;
    }
    if (isBufferSource(source)) {
      this.#assign(initializeFrameFromBuffer(source, init));
      return;
    }
    if (typeof source === 'object' && source !== null && isDOMImageSource(source)) {
      throw notSupported("Failed to construct 'VideoFrame': reading pixels from DOM image sources is not supported in Node; construct the VideoFrame from a buffer.");
    }
    throw new TypeError("Failed to construct 'VideoFrame': the first argument is neither a VideoFrame nor an ArrayBuffer, SharedArrayBuffer or ArrayBuffer view.");
  }

  #assign(s: VideoFrameSlots): void {
    this.#resourceReference = s.resourceReference;
    this.#format = s.format;
    this.#codedWidth = s.codedWidth;
    this.#codedHeight = s.codedHeight;
    this.#visibleLeft = s.visibleLeft;
    this.#visibleTop = s.visibleTop;
    this.#visibleWidth = s.visibleWidth;
    this.#visibleHeight = s.visibleHeight;
    this.#rotation = s.rotation;
    this.#flip = s.flip;
    this.#displayWidth = s.displayWidth;
    this.#displayHeight = s.displayHeight;
    this.#duration = s.duration;
    this.#timestamp = s.timestamp;
    this.#colorSpace = s.colorSpace;
    this.#metadata = s.metadata;
  }

  /** Every slot but [[Detached]] from `other` (open), field by field: clone() makes no slots object. */
  #copySlots(other: VideoFrame): void {
    this.#resourceReference = other.#resourceReference;
    this.#format = other.#format;
    this.#codedWidth = other.#codedWidth;
    this.#codedHeight = other.#codedHeight;
    this.#visibleLeft = other.#visibleLeft;
    this.#visibleTop = other.#visibleTop;
    this.#visibleWidth = other.#visibleWidth;
    this.#visibleHeight = other.#visibleHeight;
    this.#rotation = other.#rotation;
    this.#flip = other.#flip;
    this.#displayWidth = other.#displayWidth;
    this.#displayHeight = other.#displayHeight;
    this.#duration = other.#duration;
    this.#timestamp = other.#timestamp;
    this.#colorSpace = other.#colorSpace;
    this.#metadata = other.#metadata;
  }

  #slots(): VideoFrameSlots | null {
    if (this.#detached) return null;
    return {
      resourceReference: this.#resourceReference!,
      format: this.#format!,
      codedWidth: this.#codedWidth,
      codedHeight: this.#codedHeight,
      visibleLeft: this.#visibleLeft,
      visibleTop: this.#visibleTop,
      visibleWidth: this.#visibleWidth,
      visibleHeight: this.#visibleHeight,
      rotation: this.#rotation,
      flip: this.#flip,
      displayWidth: this.#displayWidth,
      displayHeight: this.#displayHeight,
      duration: this.#duration,
      timestamp: this.#timestamp,
      colorSpace: this.#colorSpace,
      metadata: this.#metadata,
    };
  }

  /** The pixel format; null once closed. */
  get format(): VideoPixelFormat | null {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'format');
    return this.#format;
  }

  get codedWidth(): number {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'codedWidth');
    return this.#codedWidth;
  }

  get codedHeight(): number {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'codedHeight');
    return this.#codedHeight;
  }

  /** (0, 0, codedWidth, codedHeight); null once closed. */
  get codedRect(): DOMRectReadOnly | null {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'codedRect');
    // 1. If [[Detached]] is true, return null.
    if (this.#detached) return null;
    // 2.-3.
    return new DOMRectReadOnly(0, 0, this.#codedWidth, this.#codedHeight);
  }

  /** The visible rectangle; null once closed. */
  get visibleRect(): DOMRectReadOnly | null {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'visibleRect');
    // 1. If [[Detached]] is true, return null.
    if (this.#detached) return null;
    // 2.-3.
    return new DOMRectReadOnly(this.#visibleLeft, this.#visibleTop, this.#visibleWidth, this.#visibleHeight);
  }

  /** Degrees clockwise to rotate when rendering: 0, 90, 180 or 270. Applies before flip. */
  get rotation(): number {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'rotation');
    return this.#rotation;
  }

  /** Whether to flip horizontally when rendering, after rotation. */
  get flip(): boolean {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'flip');
    return this.#flip;
  }

  get displayWidth(): number {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'displayWidth');
    return this.#displayWidth;
  }

  get displayHeight(): number {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'displayHeight');
    return this.#displayHeight;
  }

  /** Presentation duration in microseconds, or null. */
  get duration(): number | null {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'duration');
    return this.#duration;
  }

  /** Presentation timestamp in microseconds. */
  get timestamp(): number {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'timestamp');
    return this.#timestamp;
  }

  get colorSpace(): VideoColorSpace {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'colorSpace');
    return this.#colorSpace;
  }

  /** A copy of the frame's metadata. */
  metadata(): VideoFrameMetadata {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'metadata');
    // 1. If [[Detached]] is true, throw an InvalidStateError DOMException.
    if (this.#detached) throw invalidState('VideoFrame.metadata: the VideoFrame is closed.');
    // 2. Return the result of calling Copy VideoFrame metadata with [[metadata]].
    return copyVideoFrameMetadata(this.#metadata);
  }

  /** Bytes `copyTo()` needs with these options. */
  allocationSize(options: VideoFrameCopyToOptions = {}): number {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'allocationSize');
    const converted = toVideoFrameCopyToOptions(options, "Failed to execute 'allocationSize' on 'VideoFrame': options");
    // 1. If [[Detached]] is true, throw an InvalidStateError DOMException.
    const slots = this.#slots();
    if (slots === null) throw invalidState('VideoFrame.allocationSize: the VideoFrame is closed.');
    // 2. ([[format]] is never null here.)
    // 3.-5. Parse VideoFrameCopyToOptions; return combinedLayout's allocationSize.
    return parseVideoFrameCopyToOptions(slots, converted).combinedLayout.allocationSize;
  }

  /** Copies the frame's planes (or an RGB conversion) into `destination`; resolves with the plane layouts. */
  copyTo(destination: AllowSharedBufferSource, options: VideoFrameCopyToOptions = {}): Promise<PlaneLayout[]> {
    try {
      if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'copyTo');
      const context = "Failed to execute 'copyTo' on 'VideoFrame'";
      const dest = toBufferSourceBytes(destination, `${context}: destination`, true);
      const converted = toVideoFrameCopyToOptions(options, `${context}: options`);
      // 1. If [[Detached]] is true, return a promise rejected with an InvalidStateError DOMException.
      const slots = this.#slots();
      if (slots === null) throw invalidState('VideoFrame.copyTo: the VideoFrame is closed.');
      // 2. ([[format]] is never null here.)
      // 3.-4. Parse VideoFrameCopyToOptions.
      const parsed = parseVideoFrameCopyToOptions(slots, converted);
      // 5. If destination.byteLength is less than combinedLayout's allocationSize, reject with a TypeError.
      if (dest.byteLength < parsed.combinedLayout.allocationSize) {
        throw new TypeError(`VideoFrame.copyTo: destination has ${dest.byteLength} bytes but the copy needs ${parsed.combinedLayout.allocationSize}; use allocationSize().`);
      }
      // 6.-10. The copy runs now (it reads the resource while this frame still holds it); the
      // promise resolves in a queued task, as step 10.5 says.
      const planeLayouts = copyVideoFrame(slots, parsed, dest, converted);
      return new Promise((resolve) => queueTask(() => resolve(planeLayouts)));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A new VideoFrame with a new reference to the same media resource. */
  clone(): VideoFrame {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'clone');
    // 1. If [[Detached]] is true, throw an InvalidStateError DOMException.
    if (this.#detached) throw invalidState('VideoFrame.clone: the VideoFrame is closed.');
    // 2. Clone VideoFrame: a new reference to the resource, every other slot copied.
    this.#resourceReference!.resource.addReference();
    return new (VideoFrame as unknown as new (token: symbol, from: VideoFrame) => VideoFrame)(CLONE, this);
  }

  /** Close VideoFrame: drops the reference to the media resource; final. */
  close(): void {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'close');
    // 1. Assign null to frame's [[resource reference]] (dropping the reference it held).
    if (!this.#detached) this.#resourceReference?.resource.dropReference();
    this.#resourceReference = null;
    // 2. Assign true to frame's [[Detached]].
    this.#detached = true;
    // 3. Assign null to frame's format.
    this.#format = null;
    // 4.-6.
    this.#codedWidth = this.#codedHeight = this.#visibleLeft = this.#visibleTop = 0;
    this.#visibleWidth = this.#visibleHeight = this.#rotation = this.#displayWidth = this.#displayHeight = 0;
    this.#flip = false;
    this.#metadata = {};
  }
}
exposeInterface(VideoFrame);

