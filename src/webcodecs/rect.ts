/**
 * The small part of Geometry Interfaces (https://drafts.fxtf.org/geometry/#DOMRect) that
 * `VideoFrame.codedRect` / `visibleRect` and the `DOMRectInit` members need. Node has no
 * `DOMRectReadOnly`; where one exists on the global (a DOM shim), ours is still used so that the
 * frame does not depend on what a page installed.
 */
import { exposeInterface } from '../platform/interface.js';
import { converters } from '../webidl/index.js';
import type { DOMRectInit, Rect } from '../webidl/geometry.js';

export type { DOMRectInit, Rect };

/** A read-only rectangle: `x`, `y`, `width`, `height` and the derived edges. */
export class DOMRectReadOnly {
  #x: number;
  #y: number;
  #width: number;
  #height: number;

  constructor(x = 0, y = 0, width = 0, height = 0) {
    this.#x = converters['unrestricted double'](x, 'DOMRectReadOnly: x');
    this.#y = converters['unrestricted double'](y, 'DOMRectReadOnly: y');
    this.#width = converters['unrestricted double'](width, 'DOMRectReadOnly: width');
    this.#height = converters['unrestricted double'](height, 'DOMRectReadOnly: height');
  }

  /** A new rectangle from a `DOMRectInit`. */
  static fromRect(other?: DOMRectInit): DOMRectReadOnly {
    const r = converters.DOMRectInit(other, 'DOMRectReadOnly.fromRect: other');
    return new DOMRectReadOnly(r.x, r.y, r.width, r.height);
  }

  get x(): number {
    return this.#x;
  }
  get y(): number {
    return this.#y;
  }
  get width(): number {
    return this.#width;
  }
  get height(): number {
    return this.#height;
  }
  get top(): number {
    return Math.min(this.#y, this.#y + this.#height);
  }
  get right(): number {
    return Math.max(this.#x, this.#x + this.#width);
  }
  get bottom(): number {
    return Math.max(this.#y, this.#y + this.#height);
  }
  get left(): number {
    return Math.min(this.#x, this.#x + this.#width);
  }

  toJSON(): Rect & { top: number; right: number; bottom: number; left: number } {
    return { x: this.x, y: this.y, width: this.width, height: this.height, top: this.top, right: this.right, bottom: this.bottom, left: this.left };
  }
}
exposeInterface(DOMRectReadOnly);
