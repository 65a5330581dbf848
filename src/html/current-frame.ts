/**
 * The frame a media element presents now: what `drawImage(video)`, `createImageBitmap(video)` and
 * `HTMLMediaElement.captureStream()` read. The media element code sets it for every frame it shows
 * (and clears it when the element is reset); the canvas code reads it.
 * https://html.spec.whatwg.org/multipage/media.html#the-video-element ("the current frame")
 */
import type { VideoFrame } from '../webcodecs/index.js';

const currentFrames = new WeakMap<object, VideoFrame>();

/** The video frame `element` shows now, or null when it has none (HAVE_NOTHING, audio, ended reset). */
export function currentFrameOf(element: object): VideoFrame | null {
  return currentFrames.get(element) ?? null;
}

/**
 * Makes `frame` the element's current frame (null: none). The caller keeps ownership of `frame`:
 * it must not close it while it is current; readers clone it if they keep it.
 */
export function setCurrentFrame(element: object, frame: VideoFrame | null): void {
  if (frame) currentFrames.set(element, frame);
  else currentFrames.delete(element);
}
