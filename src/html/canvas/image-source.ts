/**
 * What `drawImage` (and `createPattern`, and `new VideoFrame(image)`) reads from each kind of
 * `CanvasImageSource` (https://html.spec.whatwg.org/multipage/canvas.html#canvasimagesource), as
 * something napi-rs can draw. The page's objects are told apart by interface name along their
 * prototype chain, so objects of any realm (jsdom's, happy-dom's) are recognised.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { currentFrameOf } from '../current-frame.js';
import { invalidState, notSupported } from '../../platform/errors.js';
import { videoFrameRGBA, type VideoFrameRGBA } from '../../webcodecs/internal.js';
import type { VideoFrame } from '../../webcodecs/video-frame.js';
import type { NapiCanvas, NapiCanvasModule } from './backend.js';
import { bitmapOf } from './registry.js';

/** An image napi-rs can draw, at the source's natural size, and whether it is origin-clean. */
export interface Drawable {
  readonly image: NapiCanvas | InstanceType<NapiCanvasModule['Image']>;
  readonly originClean: boolean;
}

/** The name of the first interface along `value`'s prototype chain that is one of `names`. */
export function interfaceNameOf(value: object, names: readonly string[]): string | undefined {
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && names.includes(name)) return name;
  }
  return undefined;
}

const SOURCES = ['HTMLCanvasElement', 'OffscreenCanvas', 'HTMLVideoElement', 'HTMLImageElement', 'SVGImageElement', 'ImageBitmap', 'VideoFrame'];

/**
 * "Check the usability of the image argument", then the image to draw: null when there is nothing
 * to draw (a video with no current frame, an image not loaded), a DOMException when the image is
 * unusable (InvalidStateError), a TypeError for something that is no image source.
 */
export function drawableOf(image: unknown, backend: NapiCanvasModule, operation: string): Drawable | null {
  const context = `Failed to execute '${operation}' on 'CanvasRenderingContext2D'`;
  if (image instanceof backend.Canvas || image instanceof backend.Image) return { image, originClean: true };
  if (typeof image !== 'object' || image === null) throw new TypeError(`${context}: the image argument is not a CanvasImageSource.`);
  const bitmap = bitmapOf(image);
  if (bitmap !== undefined) {
    bitmap.follow();
    // "If image has either a horizontal dimension or a vertical dimension equal to zero, then throw an InvalidStateError."
    if (bitmap.width === 0 || bitmap.height === 0) throw invalidState(`${context}: the canvas image has a width or height of 0.`);
    return { image: bitmap.canvas, originClean: bitmap.originClean };
  }
  const frame = rgbaOfVideoFrame(image);
  if (frame !== undefined) {
    // A closed VideoFrame ([[Detached]]) is unusable.
    if (frame === null) throw invalidState(`${context}: the VideoFrame is closed.`);
    return { image: canvasOf(frame, backend), originClean: true };
  }
  switch (interfaceNameOf(image, SOURCES)) {
    case 'HTMLCanvasElement':
    case 'OffscreenCanvas': {
      // A canvas nothing was drawn on: a transparent black bitmap of its size.
      const { width, height } = image as { width: number; height: number };
      if (width === 0 || height === 0) throw invalidState(`${context}: the canvas image has a width or height of 0.`);
      return { image: backend.createCanvas(width, height), originClean: true };
    }
    case 'HTMLVideoElement': {
      // The current frame; "if image's readyState is HAVE_NOTHING or HAVE_METADATA, return bad": nothing drawn.
      const current = currentFrameOf(image);
      const pixels = current === null ? null : videoFrameRGBA(current);
      return pixels === null ? null : { image: canvasOf(pixels, backend), originClean: !isCrossOrigin(image) };
    }
    case 'HTMLImageElement': {
      const decodedImage = imageElementDrawable(image, backend);
      return decodedImage === null ? null : { image: decodedImage, originClean: !isCrossOrigin(image) };
    }
    case 'SVGImageElement':
    case 'ImageBitmap':
      throw notSupported(`${context}: drawing an ${interfaceNameOf(image, SOURCES)} is not supported here; draw a canvas, an image, a video or a VideoFrame.`);
    default:
      throw new TypeError(`${context}: the image argument is not a CanvasImageSource (an image, canvas, video, ImageBitmap, OffscreenCanvas or VideoFrame).`);
  }
}

/** The RGBA pixels of one of our VideoFrames (null when closed), or undefined for anything else. */
function rgbaOfVideoFrame(value: object): VideoFrameRGBA | null | undefined {
  try {
    return videoFrameRGBA(value as VideoFrame);
  } catch {
    return undefined;
  }
}

/** A napi canvas holding `pixels`, at the frame's display size (its natural size for drawImage). */
function canvasOf(pixels: VideoFrameRGBA, backend: NapiCanvasModule): NapiCanvas {
  const canvas = backend.createCanvas(pixels.width, pixels.height);
  canvas.getContext('2d').putImageData(new backend.ImageData(pixels.data, pixels.width, pixels.height), 0, 0);
  if (pixels.displayWidth === pixels.width && pixels.displayHeight === pixels.height) return canvas;
  const scaled = backend.createCanvas(pixels.displayWidth, pixels.displayHeight);
  scaled.getContext('2d').drawImage(canvas, 0, 0, pixels.displayWidth, pixels.displayHeight);
  return scaled;
}

const decoded = new WeakMap<object, { src: string; image: InstanceType<NapiCanvasModule['Image']> | null }>();

/**
 * An `<img>`: its `src` decoded by napi-rs when it is a `data:` or `file:` URL (jsdom and
 * happy-dom load no image themselves). Other URLs would need a fetch that drawImage cannot wait
 * for: such an image counts as not yet decoded, and draws nothing.
 */
function imageElementDrawable(element: object, backend: NapiCanvasModule): InstanceType<NapiCanvasModule['Image']> | null {
  const src = String((element as { currentSrc?: unknown; src?: unknown }).currentSrc || (element as { src?: unknown }).src || '');
  let entry = decoded.get(element);
  if (entry === undefined || entry.src !== src) {
    entry = { src, image: decodeImage(src, backend) };
    decoded.set(element, entry);
  }
  return entry.image;
}

/**
 * Whether a media element's resource comes from another origin without CORS, as far as the page
 * tells: its URL's origin is not the document's, and it has no `crossorigin` attribute (with one,
 * the resource was fetched in CORS mode, and shown only if the other origin allowed it). A stream
 * (`srcObject`), `data:` and `blob:` resources are the page's own.
 */
function isCrossOrigin(element: object): boolean {
  const el = element as { currentSrc?: unknown; src?: unknown; getAttribute?(name: string): string | null; ownerDocument?: { location?: { origin?: unknown } | null } };
  const attribute = el.getAttribute?.('crossorigin');
  if (attribute !== null && attribute !== undefined) return false;
  const src = String(el.currentSrc || el.src || '');
  if (src === '') return false;
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return false;
  }
  if (url.protocol === 'data:' || url.protocol === 'blob:') return false;
  const origin = el.ownerDocument?.location?.origin;
  return typeof origin === 'string' && origin !== 'null' && url.origin !== origin;
}

function decodeImage(src: string, backend: NapiCanvasModule): InstanceType<NapiCanvasModule['Image']> | null {
  let bytes: Buffer;
  try {
    if (src.startsWith('data:')) {
      const comma = src.indexOf(',');
      const meta = src.slice(5, comma);
      const body = src.slice(comma + 1);
      bytes = meta.endsWith(';base64') ? Buffer.from(body, 'base64') : Buffer.from(decodeURIComponent(body));
    } else if (src.startsWith('file:')) {
      bytes = readFileSync(fileURLToPath(src));
    } else {
      return null;
    }
    const image = new backend.Image();
    image.src = bytes;
    return image.complete && image.width > 0 ? image : null;
  } catch {
    return null;
  }
}
