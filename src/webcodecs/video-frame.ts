/**
 * `VideoFrame` (WebCodecs § 9.4, https://w3c.github.io/webcodecs/#videoframe-interface):
 * an unencoded image with its geometry, timing, colour space and metadata, and a reference to a
 * shared media resource (§ 9.1). Clones share the resource; `close()` drops this frame's reference.
 *
 * In Node there is no `CanvasImageSource` to read: `new VideoFrame(image)` accepts another
 * VideoFrame, and a canvas when the page layer reads canvases (installGlobals on a window, with
 * @napi-rs/canvas; see canvas-image.ts). Given another `HTMLImageElement`, `HTMLCanvasElement`, `HTMLVideoElement`,
 * `SVGImageElement`, `ImageBitmap` or `OffscreenCanvas` (e.g. from jsdom or happy-dom, which hold no
 * pixels) it throws a `NotSupportedError` DOMException; anything else that is not a buffer is a
 * `TypeError`, as WebIDL overload resolution would have it.
 */
import { illegalInvocation, invalidState, notSupported } from '../platform/errors.js';
import { exposeInterface, idlLength } from '../platform/interface.js';
import { queueTask } from '../platform/tasks.js';
import { toBufferSourceBytes } from '../webidl/buffer-source.js';
import { converters } from '../webidl/index.js';
import type { PlaneLayout } from '../webidl/webcodecs.js';
import { DOMRectReadOnly } from './rect.js';
import { videoFrameSlots, type VideoFrameSlots } from './slots.js';
import { colorSpaceObject, type VideoColorSpace } from './video-color-space.js';
import { initializeFrameFromBuffer, initializeFrameFromCanvas, initializeFrameFromOtherFrame } from './video-frame-construct.js';
import { readCanvasImage } from './canvas-image.js';
import { copyVideoFrame, parseVideoFrameCopyToOptions } from './video-frame-copy.js';
import {
  copyVideoFrameMetadata,
  type VideoFrameBufferInit,
  type VideoFrameCopyToOptions,
  type VideoFrameInit,
  type VideoFrameMetadata,
} from './video-frame-init.js';
import type { VideoPixelFormat } from './video-pixel-format.js';

export type { VideoFrameBufferInit, VideoFrameCopyToOptions, VideoFrameInit, VideoFrameMetadata } from './video-frame-init.js';
export type { PlaneLayout } from '../webidl/webcodecs.js';
export type { VideoPixelFormat } from './video-pixel-format.js';

/** Passed instead of a source by package-internal construction (see slots.ts). */
const CONSTRUCT = Symbol('VideoFrame.construct');

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
  /**
   * Every other slot (§ 9.4.1), in one record that is never changed once made: clones share it
   * with the frame they came from (a clone copies every slot, and the resource reference is the
   * same resource), so `clone()` allocates a two-field object, not a copy of sixteen slots. The
   * record stays after `close()` for the slots a closed frame still reports (timestamp, duration,
   * colour space); the getters give the closed values of the others.
   */
  #record!: VideoFrameSlots;

  static {
    videoFrameSlots.create = (slots) => new (VideoFrame as unknown as new (token: symbol, slots: VideoFrameSlots) => VideoFrame)(CONSTRUCT, slots);
    videoFrameSlots.read = (frame) => frame.#slots();
  }

  /** VideoFrame(data, init): a frame from pixel data; copied, or taken over when its buffer is in `init.transfer`. */
  constructor(data: AllowSharedBufferSource, init: VideoFrameBufferInit);
  /** VideoFrame(image, init): a frame sharing another VideoFrame's resource, with new geometry or timing. */
  constructor(image: CanvasImageSource, init?: VideoFrameInit);
  constructor(source: unknown, init?: unknown) {
    if (source === CONSTRUCT) {
      this.#record = init as VideoFrameSlots;
      return;
    }
    if (arguments.length < 1) throw new TypeError("Failed to construct 'VideoFrame': 1 argument required, but only 0 present.");
    if (typeof source === 'object' && source !== null && #detached in source) {
      // VideoFrame(image, init), image a VideoFrame. 1. Check the usability of the image argument.
      const other = (source as VideoFrame).#slots();
      if (other === null) {
        // (init is converted first, as WebIDL does before the steps run.)
        converters.VideoFrameInit(init, "Failed to construct 'VideoFrame': init");
        throw invalidState("Failed to construct 'VideoFrame': the source VideoFrame is closed.");
      }
      // 4. Switch on image: VideoFrame → Initialize Frame From Other Frame.
      this.#record = initializeFrameFromOtherFrame(other, init);
      return;
    }
    if (isBufferSource(source)) {
      this.#record = initializeFrameFromBuffer(source, init);
      return;
    }
    // A canvas whose pixels the page layer can read (src/html/canvas, with @napi-rs/canvas).
    const canvas = typeof source === 'object' && source !== null ? readCanvasImage(source) : undefined;
    if (canvas !== undefined) {
      this.#record = initializeFrameFromCanvas(canvas, init);
      return;
    }
    if (typeof source === 'object' && source !== null && isDOMImageSource(source)) {
      throw notSupported("Failed to construct 'VideoFrame': reading pixels from DOM image sources is not supported in Node; construct the VideoFrame from a buffer.");
    }
    throw new TypeError("Failed to construct 'VideoFrame': the first argument is neither a VideoFrame nor an ArrayBuffer, SharedArrayBuffer or ArrayBuffer view.");
  }

  /** The slots of an open frame (shared, never to be changed); null once closed. */
  #slots(): VideoFrameSlots | null {
    return this.#detached ? null : this.#record;
  }

  /** The pixel format; null once closed. */
  get format(): VideoPixelFormat | null {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'format');
    return this.#detached ? null : this.#record.format;
  }

  get codedWidth(): number {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'codedWidth');
    return this.#detached ? 0 : this.#record.codedWidth;
  }

  get codedHeight(): number {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'codedHeight');
    return this.#detached ? 0 : this.#record.codedHeight;
  }

  /** (0, 0, codedWidth, codedHeight); null once closed. */
  get codedRect(): DOMRectReadOnly | null {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'codedRect');
    // 1. If [[Detached]] is true, return null.
    if (this.#detached) return null;
    // 2.-3.
    return new DOMRectReadOnly(0, 0, this.#record.codedWidth, this.#record.codedHeight);
  }

  /** The visible rectangle; null once closed. */
  get visibleRect(): DOMRectReadOnly | null {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'visibleRect');
    // 1. If [[Detached]] is true, return null.
    if (this.#detached) return null;
    // 2.-3.
    const r = this.#record;
    return new DOMRectReadOnly(r.visibleLeft, r.visibleTop, r.visibleWidth, r.visibleHeight);
  }

  /** Degrees clockwise to rotate when rendering: 0, 90, 180 or 270. Applies before flip. */
  get rotation(): number {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'rotation');
    return this.#detached ? 0 : this.#record.rotation;
  }

  /** Whether to flip horizontally when rendering, after rotation. */
  get flip(): boolean {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'flip');
    return this.#detached ? false : this.#record.flip;
  }

  get displayWidth(): number {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'displayWidth');
    return this.#detached ? 0 : this.#record.displayWidth;
  }

  get displayHeight(): number {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'displayHeight');
    return this.#detached ? 0 : this.#record.displayHeight;
  }

  /** Presentation duration in microseconds, or null. */
  get duration(): number | null {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'duration');
    return this.#record.duration;
  }

  /** Presentation timestamp in microseconds. */
  get timestamp(): number {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'timestamp');
    return this.#record.timestamp;
  }

  get colorSpace(): VideoColorSpace {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'colorSpace');
    return colorSpaceObject(this.#record);
  }

  /** A copy of the frame's metadata. */
  metadata(): VideoFrameMetadata {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'metadata');
    // 1. If [[Detached]] is true, throw an InvalidStateError DOMException.
    if (this.#detached) throw invalidState('VideoFrame.metadata: the VideoFrame is closed.');
    // 2. Return the result of calling Copy VideoFrame metadata with [[metadata]].
    return copyVideoFrameMetadata(this.#record.metadata);
  }

  /** Bytes `copyTo()` needs with these options. */
  allocationSize(options: VideoFrameCopyToOptions = {}): number {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'allocationSize');
    const converted = converters.VideoFrameCopyToOptions(options, "Failed to execute 'allocationSize' on 'VideoFrame': options");
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
      const converted = converters.VideoFrameCopyToOptions(options, `${context}: options`);
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
    // 2. Clone VideoFrame: a new reference to the resource, every other slot copied (shared: see #record).
    const record = this.#record;
    record.resourceReference.resource.addReference();
    return new (VideoFrame as unknown as new (token: symbol, slots: VideoFrameSlots) => VideoFrame)(CONSTRUCT, record);
  }

  /** Close VideoFrame: drops the reference to the media resource; final. */
  close(): void {
    if (!(#detached in this)) throw illegalInvocation('VideoFrame', 'close');
    if (this.#detached) return;
    // 1. Assign null to frame's [[resource reference]] (dropping the reference it held).
    this.#record.resourceReference.resource.dropReference();
    // 2. Assign true to frame's [[Detached]].
    this.#detached = true;
    // 3.-6. format null, rects, rotation, flip, sizes 0, metadata empty: what the getters
    //    answer for a detached frame (the shared record is not changed: clones still use it).
  }
}
exposeInterface(VideoFrame);
// constructor(CanvasImageSource image, optional VideoFrameInit init = {}) is the shortest overload.
idlLength(VideoFrame, 1);

