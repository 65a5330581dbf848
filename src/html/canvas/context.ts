/**
 * Turns a napi-rs 2D context into the `CanvasRenderingContext2D` of a page's canvas
 * (https://html.spec.whatwg.org/multipage/canvas.html#2dcontext): `canvas` is the page's element,
 * `drawImage` and `createPattern` take the page's image sources, `putImageData` takes any
 * ImageData, `getImageData` honours the origin-clean flag, every member follows the element's
 * size first, and every operation that changes pixels tells the bitmap (so that captures see new
 * content). The methods are own properties of the
 * context object: it stays the napi-rs object, so its native methods keep their receiver.
 */
import type { NapiContext } from './backend.js';
import type { CanvasBitmap } from './bitmap.js';
import { drawableOf } from './image-source.js';

/** Operations that change the bitmap's pixels. */
const DRAWING_OPERATIONS = ['clearRect', 'fillRect', 'strokeRect', 'fill', 'stroke', 'fillText', 'strokeText', 'reset', 'drawCanvas'] as const;

type Method = (this: unknown, ...args: unknown[]) => unknown;

export function instrumentContext(context: NapiContext, bitmap: CanvasBitmap): void {
  const proto = Object.getPrototypeOf(context) as Record<string, Method>;
  const define = (name: string, value: Method) => Object.defineProperty(context, name, { value, writable: true, configurable: true, enumerable: false });

  // The canvas attribute: the page's element or OffscreenCanvas, not the napi canvas behind it.
  Object.defineProperty(context, 'canvas', { get: () => bitmap.host, configurable: true, enumerable: false });

  // Every other member first follows a size change made through the attributes (so that state
  // set after `setAttribute('width', ...)` is set on the reset context, as in a browser); the
  // operations that change pixels then tell the bitmap.
  const drawing = new Set<string>(DRAWING_OPERATIONS);
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor' || name === 'canvas' || name.startsWith('__')) continue;
    const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
    if (typeof descriptor.value === 'function') {
      const original = descriptor.value as Method;
      define(
        name,
        drawing.has(name)
          ? function (this: unknown, ...args: unknown[]) {
              bitmap.follow();
              const result = original.apply(context, args);
              bitmap.changed();
              return result;
            }
          : function (this: unknown, ...args: unknown[]) {
              bitmap.follow();
              return original.apply(context, args);
            },
      );
    } else if (descriptor.get) {
      const { get, set } = descriptor;
      Object.defineProperty(context, name, {
        get: () => {
          bitmap.follow();
          return get.call(context);
        },
        ...(set
          ? {
              set: (value: unknown) => {
                bitmap.follow();
                set.call(context, value);
              },
            }
          : {}),
        configurable: true,
        enumerable: false,
      });
    }
  }

  // drawImage(image, ...): "check the usability of the image argument"; an image with nothing to
  // draw (a video without a current frame) draws nothing; one from another origin taints the canvas.
  define('drawImage', function drawImage(this: unknown, image: unknown, ...args: unknown[]) {
    if (arguments.length < 3) throw new TypeError(`Failed to execute 'drawImage' on 'CanvasRenderingContext2D': 3 arguments required, but only ${arguments.length} present.`);
    bitmap.follow();
    const drawable = drawableOf(image, bitmap.backend, 'drawImage');
    if (drawable === null) return;
    proto.drawImage!.call(context, drawable.image, ...args);
    if (!drawable.originClean) bitmap.taint();
    bitmap.changed();
  });

  define('createPattern', function createPattern(this: unknown, image: unknown, repetition: unknown) {
    const drawable = drawableOf(image, bitmap.backend, 'createPattern');
    if (drawable === null) return null;
    // (HTML taints the canvas when a pattern from another origin is drawn; it is taken as drawn here.)
    if (!drawable.originClean) bitmap.taint();
    return proto.createPattern!.call(context, drawable.image, repetition);
  });

  // putImageData and createImageData(imagedata) with the page's ImageData (jsdom has none,
  // happy-dom has its own): its pixels are copied into a napi-rs ImageData.
  define('putImageData', function putImageData(this: unknown, imageData: unknown, ...args: unknown[]) {
    bitmap.follow();
    proto.putImageData!.call(context, toNapiImageData(imageData, bitmap), ...args);
    bitmap.changed();
  });
  define('createImageData', function createImageData(this: unknown, ...args: unknown[]) {
    const [first] = args;
    if (typeof first === 'object' && first !== null) {
      const { width, height } = first as { width: number; height: number };
      return proto.createImageData!.call(context, width, height);
    }
    return proto.createImageData!.apply(context, args);
  });

  define('getImageData', function getImageData(this: unknown, ...args: unknown[]) {
    bitmap.follow();
    bitmap.checkOriginClean('getImageData');
    return proto.getImageData!.apply(context, args);
  });
}

function toNapiImageData(value: unknown, bitmap: CanvasBitmap): unknown {
  const { ImageData } = bitmap.backend;
  if (value instanceof ImageData || typeof value !== 'object' || value === null) return value;
  const { data, width, height } = value as { data?: unknown; width?: unknown; height?: unknown };
  if (!isUint8ClampedArray(data) || typeof width !== 'number' || typeof height !== 'number') {
    throw new TypeError("Failed to execute 'putImageData' on 'CanvasRenderingContext2D': parameter 1 is not of type 'ImageData'.");
  }
  return new ImageData(new Uint8ClampedArray(data as Uint8ClampedArray), width, height);
}

/** A Uint8ClampedArray of any realm (a jsdom page's has its own constructor). */
function isUint8ClampedArray(value: unknown): value is Uint8ClampedArray {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8ClampedArray]';
}
