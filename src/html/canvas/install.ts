/**
 * Canvas pixels and canvas capture for a jsdom or happy-dom window: `installCanvas(window)` is
 * what `installGlobals` runs for canvases.
 *
 * - Where the window has no canvas backend (jsdom without the `canvas` package, happy-dom without
 *   a canvas adapter) and `@napi-rs/canvas` is installed, `HTMLCanvasElement.prototype.getContext('2d')`
 *   returns a 2D context with real pixels that follows the element's `width` and `height`, with
 *   `toDataURL` and `toBlob`; `OffscreenCanvas` is one of napi-rs canvases too. napi-rs is loaded at
 *   the first `getContext`, never before.
 * - `captureStream(frameRequestRate)` on every canvas drawn that way, and the
 *   `CanvasCaptureMediaStreamTrack` interface object.
 * Without `@napi-rs/canvas`, canvases stay as the window had them, and `captureStream()` throws a
 * NotSupportedError that names the package.
 */
import type { InterfaceObjects } from '../../algorithms/interface-objects.js';

import { queueTask } from '../../platform/tasks.js';
import { toDOMString, toDouble } from '../../webidl/converters.js';
import { CanvasCaptureMediaStreamTrack } from '../../interfaces/CanvasCaptureMediaStreamTrack.js';
import { canvasBackendInstalled, jsdomHasCanvasPackage, requireCanvasBackend } from './backend.js';
import { bitmapOf, CanvasBitmap } from './bitmap.js';
import { captureStream as captureCanvas } from './capture.js';
import { encode, encodeDataURL, type BlobConstructor } from './encode.js';
import { offscreenCanvasClass } from './offscreen-canvas.js';
import { registerCanvasImageReader } from '../../webcodecs/canvas-image.js';

/** The prototypes of the canvases (elements, OffscreenCanvas) whose pixels are ours. */
const ourPrototypes = new WeakSet<object>();

/**
 * `new VideoFrame(canvas, init)` reads our canvases: a copy of the bitmap, or transparent black
 * for a canvas nothing was drawn on.
 */
registerCanvasImageReader((image) => {
  const bitmap = bitmapOf(image);
  if (bitmap === undefined) {
    if (!ourPrototypes.has(Object.getPrototypeOf(image))) return undefined;
    const width = Number((image as { width?: unknown }).width);
    const height = Number((image as { height?: unknown }).height);
    return { data: new Uint8Array(width * height * 4), width, height, alpha: true, originClean: true };
  }
  const pixels = bitmap.pixels();
  const data = new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength);
  return { data, width: pixels.width, height: pixels.height, alpha: pixels.alpha, originClean: bitmap.originClean };
});

type Method = (this: object, ...args: unknown[]) => unknown;

/**
 * Patches the canvas element of `window` (a global with `HTMLCanvasElement`) and defines
 * `CanvasCaptureMediaStreamTrack` (and `OffscreenCanvas` where needed) on it. `interfaces` makes
 * the streams and tracks of `captureStream()`. Returns what undoes it all.
 */
export function installCanvas(window: Record<string, unknown>, interfaces: InterfaceObjects, expose: (ctor: typeof CanvasCaptureMediaStreamTrack) => unknown = (ctor) => ctor): () => void {
  const undo: (() => void)[] = [];
  const define = (target: object, key: string, descriptor: PropertyDescriptor) => {
    const had = Object.getOwnPropertyDescriptor(target, key);
    Object.defineProperty(target, key, { configurable: true, enumerable: had?.enumerable ?? false, ...descriptor });
    undo.push(() => (had ? Object.defineProperty(target, key, had) : delete (target as Record<string, unknown>)[key]));
  };
  const restore = () => {
    for (const u of undo.reverse()) u();
  };

  // The interface object of the window's realm, where it has its own (src/realm/).
  define(window, 'CanvasCaptureMediaStreamTrack', { value: expose(CanvasCaptureMediaStreamTrack), writable: true });
  const Element = window.HTMLCanvasElement as unknown;
  if (typeof Element !== 'function') return restore;
  const proto = (Element as { prototype: Record<string, unknown> }).prototype;
  const original = {
    getContext: proto.getContext as Method,
    toDataURL: proto.toDataURL as Method,
    toBlob: proto.toBlob as Method,
    width: Object.getOwnPropertyDescriptor(proto, 'width'),
    height: Object.getOwnPropertyDescriptor(proto, 'height'),
  };
  const ours = canvasBackendInstalled() && !hasOwnCanvasBackend(window);
  const Blob = (window.Blob ?? globalThis.Blob) as BlobConstructor;

  /** The element's bitmap of ours, made at the first use (napi-rs is loaded then). */
  const bitmapFor = (element: object, what: string): CanvasBitmap => {
    return (
      bitmapOf(element) ??
      new CanvasBitmap(element, requireCanvasBackend(what), () => ({
        width: Number(original.width?.get?.call(element) ?? 300),
        height: Number(original.height?.get?.call(element) ?? 150),
      }))
    );
  };

  define(proto, 'captureStream', {
    writable: true,
    enumerable: true,
    // (No declared parameter: the operation's length is 0, its argument being optional.)
    value: function captureStream(this: object) {
      const frameRequestRate: unknown = arguments[0];
      const rate = frameRequestRate === undefined ? undefined : toDouble(frameRequestRate, "Failed to execute 'captureStream' on 'HTMLCanvasElement': parameter 1");
      if (!ours) requireCanvasBackend("Failed to execute 'captureStream' on 'HTMLCanvasElement'");
      return captureCanvas(this, bitmapFor(this, 'captureStream'), rate, interfaces);
    },
  });
  if (!ours) return restore;
  ourPrototypes.add(proto);
  undo.push(() => ourPrototypes.delete(proto));

  define(proto, 'getContext', {
    writable: true,
    enumerable: true,
    value: function getContext(this: object, contextId: unknown, options?: unknown) {
      if (arguments.length < 1) throw new TypeError("Failed to execute 'getContext' on 'HTMLCanvasElement': 1 argument required, but only 0 present.");
      const id = toDOMString(contextId, "Failed to execute 'getContext' on 'HTMLCanvasElement': parameter 1");
      // Only "2d" has a backend here; any other context id is unsupported, so null (HTML step 2's "return null").
      if (id !== '2d') return null;
      return bitmapFor(this, "Failed to execute 'getContext' on 'HTMLCanvasElement'").context2d(options);
    },
  });
  define(proto, 'toDataURL', {
    writable: true,
    enumerable: true,
    value: function toDataURL(this: object, type?: unknown, quality?: unknown) {
      const bitmap = bitmapFor(this, "Failed to execute 'toDataURL' on 'HTMLCanvasElement'");
      // 1. If this canvas element's bitmap's origin-clean flag is set to false, then throw a SecurityError.
      bitmap.checkOriginClean('toDataURL');
      // 2.-3. "data:," without pixels; otherwise the serialization as a data: URL.
      return encodeDataURL(bitmap, type, quality);
    },
  });
  define(proto, 'toBlob', {
    writable: true,
    enumerable: true,
    value: function toBlob(this: object, callback: unknown, type?: unknown, quality?: unknown) {
      if (typeof callback !== 'function') throw new TypeError("Failed to execute 'toBlob' on 'HTMLCanvasElement': parameter 1 is not of type 'BlobCallback'.");
      const bitmap = bitmapFor(this, "Failed to execute 'toBlob' on 'HTMLCanvasElement'");
      // 1. If this canvas element's bitmap's origin-clean flag is set to false, then throw a SecurityError.
      bitmap.checkOriginClean('toBlob');
      bitmap.follow();
      // 2.-4. Without pixels the result is null; else a serialization made in parallel, then a
      //       task invokes the callback with it.
      const result = bitmap.width === 0 || bitmap.height === 0 ? Promise.resolve(null) : encode(bitmap, type, quality, Blob).catch(() => null);
      void result.then((blob) => queueTask(() => (callback as (blob: Blob | null) => void).call(undefined, blob)));
    },
  });
  // Setting width or height, even to the value it has, clears the bitmap and resets the context.
  for (const key of ['width', 'height'] as const) {
    const descriptor = original[key];
    if (!descriptor?.set) continue;
    const set = descriptor.set;
    define(proto, key, {
      ...(descriptor.get ? { get: descriptor.get } : {}),
      set(this: object, value: unknown) {
        set.call(this, value);
        bitmapOf(this)?.setDimensions();
      },
    });
  }

  const Offscreen = window.OffscreenCanvas as { prototype?: { getContext?: unknown } } | undefined;
  if (Offscreen === undefined || !isHappyDOM(window) || !hasOwnCanvasBackend(window)) {
    const OffscreenCanvas = offscreenCanvasClass(() => requireCanvasBackend("Failed to execute 'getContext' on 'OffscreenCanvas'"), Blob);
    ourPrototypes.add(OffscreenCanvas.prototype);
    define(window, 'OffscreenCanvas', { value: OffscreenCanvas, writable: true });
  }
  return restore;
}

function isHappyDOM(window: Record<string, unknown>): boolean {
  return typeof window.happyDOM === 'object' && window.happyDOM !== null;
}

/** Whether the window draws canvases itself: happy-dom with a canvas adapter, jsdom with the `canvas` package. */
function hasOwnCanvasBackend(window: Record<string, unknown>): boolean {
  if (isHappyDOM(window)) {
    const settings = (window.happyDOM as { settings?: { canvasAdapter?: unknown } }).settings;
    return settings?.canvasAdapter !== null && settings?.canvasAdapter !== undefined;
  }
  return jsdomHasCanvasPackage();
}

