/** Which canvases (elements or OffscreenCanvases) have a bitmap of ours: the host → its bitmap. */
import type { CanvasBitmap } from './bitmap.js';

const bitmaps = new WeakMap<object, CanvasBitmap>();

/** The bitmap of `host` (a canvas element or OffscreenCanvas), if it has one of ours. */
export function bitmapOf(host: object): CanvasBitmap | undefined {
  return bitmaps.get(host);
}

/** Records `bitmap` as the bitmap of its host. */
export function registerBitmap(bitmap: CanvasBitmap): void {
  bitmaps.set(bitmap.host, bitmap);
}
