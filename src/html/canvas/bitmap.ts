/**
 * A canvas's bitmap and what HTML keeps beside it: the rendering context, the origin-clean flag,
 * and "painting" (https://html.spec.whatwg.org/multipage/canvas.html). One per HTMLCanvasElement
 * or OffscreenCanvas that has pixels of ours, found by the element or OffscreenCanvas (the host).
 */
import { securityError } from '../../platform/errors.js';
import { queueTask } from '../../platform/tasks.js';
import type { NapiCanvas, NapiCanvasModule, NapiContext } from './backend.js';
import { instrumentContext } from './context.js';
import { registerBitmap } from './registry.js';

export { bitmapOf } from './registry.js';

/** What follows a canvas: its captures (mediacapture-fromelement §4.1). */
export interface CanvasObserver {
  /** The canvas was painted, and new content had been drawn since it was last painted. */
  painted(bitmap: CanvasBitmap): void;
  /** The canvas stopped being origin-clean. */
  originTainted(): void;
}

/** The host's current size in CSS pixels (its `width` and `height`). */
export type HostSize = () => { width: number; height: number };

/** The pixels of a canvas, as RGBA with straight alpha (what `getImageData` gives). */
export interface CanvasPixels {
  data: Uint8ClampedArray;
  width: number;
  height: number;
  /** False when the context was made with `{alpha: false}`: every pixel is opaque. */
  alpha: boolean;
}

export class CanvasBitmap {
  /** The element or OffscreenCanvas: what `context.canvas` returns. */
  readonly host: object;
  readonly backend: NapiCanvasModule;
  readonly canvas: NapiCanvas;
  readonly #hostSize: HostSize;
  #context: NapiContext | null = null;
  /** The origin-clean flag (https://html.spec.whatwg.org/multipage/canvas.html#concept-canvas-origin-clean). */
  #originClean = true;
  /** New content was drawn since the canvas was last painted. */
  #dirty = false;
  #paintQueued = false;
  readonly #observers = new Set<CanvasObserver>();

  constructor(host: object, backend: NapiCanvasModule, hostSize: HostSize) {
    this.host = host;
    this.backend = backend;
    this.#hostSize = hostSize;
    const { width, height } = hostSize();
    this.canvas = backend.createCanvas(width, height);
    registerBitmap(this);
  }

  get width(): number {
    return this.canvas.width;
  }

  get height(): number {
    return this.canvas.height;
  }

  get originClean(): boolean {
    return this.#originClean;
  }

  /** The 2D context, made at the first call with `attributes` ("2d" context creation algorithm); the same object after. */
  context2d(attributes: unknown): NapiContext {
    this.follow();
    if (this.#context === null) {
      const alpha = typeof attributes === 'object' && attributes !== null ? (attributes as { alpha?: unknown }).alpha !== false : true;
      const context = this.canvas.getContext('2d', { alpha });
      instrumentContext(context, this);
      this.#context = context;
    }
    return this.#context;
  }

  /** The 2D context if one was made. */
  get context(): NapiContext | null {
    return this.#context;
  }

  /**
   * HTML's "set bitmap dimensions" when the host's `width` or `height` is set (even to the same
   * value): the bitmap is cleared to transparent black at the new size and the context's state
   * is reset.
   */
  setDimensions(): void {
    const { width, height } = this.#hostSize();
    if (width !== this.canvas.width || height !== this.canvas.height) {
      // Setting a napi canvas's size clears it and resets its context, as HTML does.
      this.canvas.width = width;
      this.canvas.height = height;
    } else {
      this.#context?.reset();
    }
    this.changed();
  }

  /**
   * Follows a size change made without the `width`/`height` setters (`setAttribute('width')`):
   * checked before each use of the bitmap.
   */
  follow(): void {
    const { width, height } = this.#hostSize();
    if (width !== this.canvas.width || height !== this.canvas.height) this.setDimensions();
  }

  /** Throws the SecurityError of `getImageData`, `toDataURL`, `toBlob` and `convertToBlob` on a tainted canvas. */
  checkOriginClean(operation: string): void {
    if (!this.#originClean) throw securityError(`Failed to execute '${operation}': the canvas has been tainted by cross-origin data.`);
  }

  /** Something from another origin was drawn: the canvas is no longer origin-clean, for good. */
  taint(): void {
    if (!this.#originClean) return;
    this.#originClean = false;
    for (const o of [...this.#observers]) o.originTainted();
  }

  /**
   * New content was drawn: the canvas will be painted (in a browser, at the next rendering
   * update; here, in a task, so that the drawing calls of one task make one frame).
   */
  changed(): void {
    this.#dirty = true;
    if (this.#paintQueued) return;
    this.#paintQueued = true;
    queueTask(() => this.#paint());
  }

  /** The canvas is painted: its observers see the new content. */
  #paint(): void {
    this.#paintQueued = false;
    if (!this.#dirty) return;
    this.#dirty = false;
    for (const o of [...this.#observers]) o.painted(this);
  }

  observe(observer: CanvasObserver): () => void {
    this.#observers.add(observer);
    return () => void this.#observers.delete(observer);
  }

  /** A copy of the pixels (transparent black before anything was drawn). */
  pixels(): CanvasPixels {
    this.follow();
    const { width, height } = this.canvas;
    const context = this.#context;
    if (context === null || width === 0 || height === 0) return { data: new Uint8ClampedArray(width * height * 4), width, height, alpha: true };
    const alpha = context.getContextAttributes().alpha !== false;
    // The prototype's getImageData: the instrumented one checks the origin-clean flag, which the
    // captures check themselves (a tainted canvas mutes them).
    const image = Object.getPrototypeOf(context).getImageData.call(context, 0, 0, width, height) as { data: Uint8ClampedArray };
    return { data: image.data, width, height, alpha };
  }
}
