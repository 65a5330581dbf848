/**
 * How `new VideoFrame(image)` reads the pixels of a canvas (`HTMLCanvasElement`,
 * `OffscreenCanvas`): the page layer that draws canvases (src/html/canvas) registers a reader here
 * when it is installed, since this layer cannot know the page's canvases.
 */

/** A copy of a canvas's bitmap: RGBA bytes, straight alpha. */
export interface CanvasImagePixels {
  data: Uint8Array;
  width: number;
  height: number;
  /** False for an opaque canvas (`{alpha: false}`): the frame is RGBX. */
  alpha: boolean;
  /** The canvas's origin-clean flag. */
  originClean: boolean;
}

/** Reads `image`: its pixels, or undefined when it is no canvas the reader knows. */
export type CanvasImageReader = (image: object) => CanvasImagePixels | undefined;

let reader: CanvasImageReader | undefined;

/** Sets the reader (the last one registered wins). */
export function registerCanvasImageReader(read: CanvasImageReader): void {
  reader = read;
}

/** The pixels of `image` if a reader knows it. */
export function readCanvasImage(image: object): CanvasImagePixels | undefined {
  return reader?.(image);
}
