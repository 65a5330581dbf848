/**
 * `OffscreenCanvas` (https://html.spec.whatwg.org/multipage/canvas.html#the-offscreencanvas-interface)
 * for windows that have none (jsdom) or one without pixels (happy-dom without a canvas adapter):
 * a bitmap of `@napi-rs/canvas` with its 2D context. WebGL, WebGPU and "bitmaprenderer" contexts
 * are not available (getContext returns null), nor `transferToImageBitmap()`.
 */
import { domException, illegalInvocation } from '../../platform/errors.js';
import { exposeInterface } from '../../platform/interface.js';
import { toDOMString, toEnforcedUnsignedLongLong } from '../../webidl/converters.js';
import type { NapiCanvasModule } from './backend.js';
import { CanvasBitmap } from './bitmap.js';
import { encode, type BlobConstructor } from './encode.js';

const CONTEXT_IDS = ['2d', 'bitmaprenderer', 'webgl', 'webgl2', 'webgpu'];

/** An OffscreenCanvas class whose Blobs are made by `Blob` (the window's). */
export function offscreenCanvasClass(backend: () => NapiCanvasModule, Blob: BlobConstructor): new (width: number, height: number) => object {
  class OffscreenCanvas {
    #width: number;
    #height: number;
    #bitmap: CanvasBitmap | undefined;

    constructor(width: number, height: number) {
      if (arguments.length < 2) throw new TypeError(`Failed to construct 'OffscreenCanvas': 2 arguments required, but only ${arguments.length} present.`);
      this.#width = toEnforcedUnsignedLongLong(width, "Failed to construct 'OffscreenCanvas': parameter 1");
      this.#height = toEnforcedUnsignedLongLong(height, "Failed to construct 'OffscreenCanvas': parameter 2");
    }

    /** The bitmap, made at first use (napi-rs is loaded then). */
    #ensureBitmap(): CanvasBitmap {
      this.#bitmap ??= new CanvasBitmap(this, backend(), () => ({ width: this.#width, height: this.#height }));
      return this.#bitmap;
    }

    get width(): number {
      if (!(#width in this)) throw illegalInvocation('OffscreenCanvas', 'width');
      return this.#width;
    }

    set width(value: number) {
      if (!(#width in this)) throw illegalInvocation('OffscreenCanvas', 'width');
      this.#width = toEnforcedUnsignedLongLong(value, "Failed to set the 'width' property on 'OffscreenCanvas'");
      // "set bitmap dimensions": cleared and reset, even at the same size.
      this.#bitmap?.setDimensions();
    }

    get height(): number {
      if (!(#width in this)) throw illegalInvocation('OffscreenCanvas', 'height');
      return this.#height;
    }

    set height(value: number) {
      if (!(#width in this)) throw illegalInvocation('OffscreenCanvas', 'height');
      this.#height = toEnforcedUnsignedLongLong(value, "Failed to set the 'height' property on 'OffscreenCanvas'");
      this.#bitmap?.setDimensions();
    }

    /** getContext("2d", options): the 2D context (the same object each time); null for the other kinds. */
    getContext(contextId: string, options: unknown = undefined): unknown {
      if (!(#width in this)) throw illegalInvocation('OffscreenCanvas', 'getContext');
      if (arguments.length < 1) throw new TypeError("Failed to execute 'getContext' on 'OffscreenCanvas': 1 argument required, but only 0 present.");
      const id = toDOMString(contextId, "Failed to execute 'getContext' on 'OffscreenCanvas': parameter 1");
      if (!CONTEXT_IDS.includes(id)) throw new TypeError(`Failed to execute 'getContext' on 'OffscreenCanvas': The provided value '${id}' is not a valid enum value of type OffscreenRenderingContextId.`);
      if (id !== '2d') return null;
      return this.#ensureBitmap().context2d(options);
    }

    /** convertToBlob(options): a Blob of the bitmap's image (PNG unless `type` names JPEG or WebP). */
    convertToBlob(options: { type?: unknown; quality?: unknown } = {}): Promise<Blob> {
      if (!(#width in this)) return Promise.reject(illegalInvocation('OffscreenCanvas', 'convertToBlob'));
      try {
        const bitmap = this.#ensureBitmap();
        // 2. If this's context mode is "2d" and its origin-clean flag is false: SecurityError.
        bitmap.checkOriginClean('convertToBlob');
        // 3. If this's bitmap has no pixels: IndexSizeError.
        if (this.#width === 0 || this.#height === 0) throw domException('IndexSizeError', "Failed to execute 'convertToBlob' on 'OffscreenCanvas': the canvas has no pixels (a width or height of 0).");
        const type = options?.type === undefined ? 'image/png' : toDOMString(options.type, "Failed to execute 'convertToBlob' on 'OffscreenCanvas': type");
        return encode(bitmap, type, options?.quality, Blob);
      } catch (e) {
        return Promise.reject(e);
      }
    }
  }
  exposeInterface(OffscreenCanvas);
  return OffscreenCanvas;
}
