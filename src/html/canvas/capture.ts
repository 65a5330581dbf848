/**
 * `HTMLCanvasElement.captureStream(frameRequestRate)`
 * (https://w3c.github.io/mediacapture-fromelement/#dom-htmlcanvaselement-capturestream): a
 * MediaStream with one CanvasCaptureMediaStreamTrack whose frames are what is painted on the canvas.
 *
 * The track's source is a {@link GeneratorSource}: a source of frames made by script, whose native
 * mode follows the frames' size, so the track's settings, constraints, processors and recorders
 * work as for a VideoTrackGenerator's track.
 */
import type { InterfaceObjects } from '../../algorithms/interface-objects.js';
import { roundAspectRatio, type MediaTrackSettings } from '../../algorithms/constraints/index.js';
import type { TrackInit } from '../../algorithms/track/track.js';
import { generatorTrackSource, initialGeneratorSettings } from '../../algorithms/transform/generator-track-source.js';
import { GeneratorSource } from '../../media/generator-source.js';
import { notSupported, securityError } from '../../platform/errors.js';
import { videoFrameFromPlanes } from '../../webcodecs/internal.js';
import { setInterval as setIntervalFromNode, clearInterval as clearIntervalFromNode } from 'node:timers';
import type { CanvasBitmap, CanvasObserver } from './bitmap.js';

/** The Node timers, not the window's (fake timers in tests would stop the capture; see platform/tasks.ts). */
const realSetInterval = setIntervalFromNode;
const realClearInterval = clearIntervalFromNode;

/** The captureStream() steps after the WebIDL conversion of `frameRequestRate` (a finite double or undefined). */
export function captureStream(canvas: object, bitmap: CanvasBitmap, frameRequestRate: number | undefined, interfaces: InterfaceObjects): EventTarget {
  // "Content from a canvas that is not origin-clean MUST NOT be captured. This method throws a
  // SecurityError exception if the canvas is not origin-clean."
  if (!bitmap.originClean) throw securityError("Failed to execute 'captureStream' on 'HTMLCanvasElement': the canvas has been tainted by cross-origin data.");
  // "This method throws a NotSupportedError if frameRequestRate is negative."
  if (frameRequestRate !== undefined && frameRequestRate < 0) {
    throw notSupported(`Failed to execute 'captureStream' on 'HTMLCanvasElement': the frame rate ${frameRequestRate} is negative.`);
  }
  const capture = new CanvasCapture(bitmap, frameRequestRate);
  // "The resulting media stream has a single video CanvasCaptureMediaStreamTrack."
  const track = interfaces.createCanvasCaptureMediaStreamTrack(capture.trackInit(), canvas, () => capture.requestFrame());
  return interfaces.createMediaStream([track]).object;
}

/** One captureStream() call: the source of its track (and of the track's clones). */
class CanvasCapture implements CanvasObserver {
  readonly #bitmap: CanvasBitmap;
  readonly #frameRequestRate: number | undefined;
  readonly #source: GeneratorSource;
  /**
   * [[frameCaptureRequested]]: "set to true when the track is created" (a captured stream MUST
   * request capture of a frame when created, even if frameRequestRate is zero).
   */
  #frameCaptureRequested = true;
  #timer: ReturnType<typeof realSetInterval> | undefined;
  #unobserve: () => void;
  /** Whether a sink reads the track: without one, no pixels are read back. */
  #demand = false;

  constructor(bitmap: CanvasBitmap, frameRequestRate: number | undefined) {
    this.#bitmap = bitmap;
    this.#frameRequestRate = frameRequestRate;
    this.#source = new GeneratorSource('video', {
      onStop: () => this.#stop(),
      onDemand: (active) => {
        this.#demand = active;
      },
    });
    this.#unobserve = bitmap.observe(this);
    // "On creation of the captured track with a specific, non-zero frameRequestRate, the user agent
    // starts a periodic timer at an interval of 1/frameRequestRate seconds. At each activation of
    // the timer, [[frameCaptureRequested]] is set to true."
    if (frameRequestRate !== undefined && frameRequestRate > 0) {
      this.#timer = realSetInterval(() => {
        this.#frameCaptureRequested = true;
      }, 1000 / frameRequestRate);
      this.#timer.unref();
    }
  }

  /** How to create the track: a generator-like source whose settings report the canvas's size until a frame says otherwise. */
  trackInit(): TrackInit {
    const base = generatorTrackSource(this.#source);
    const bitmap = this.#bitmap;
    const rate = this.#frameRequestRate;
    const source = this.#source;
    return {
      source: {
        ...base,
        liveSettings(stored: MediaTrackSettings): MediaTrackSettings {
          const live = base.liveSettings(stored);
          if (!source.written && stored.resizeMode !== 'crop-and-scale') {
            bitmap.follow();
            Object.assign(live, { width: bitmap.width, height: bitmap.height });
            if (bitmap.height > 0) live.aspectRatio = roundAspectRatio(bitmap.width / bitmap.height);
          }
          if (rate !== undefined && live.frameRate === undefined) live.frameRate = rate;
          return sortMembers(live);
        },
      },
      settings: initialGeneratorSettings(this.#source),
      constraints: {},
    };
  }

  /** requestFrame(): "manually request that a frame from the canvas be captured". */
  requestFrame(): void {
    this.#frameCaptureRequested = true;
  }

  /** "Each time that the captured canvas is painted", for this track (step 1 of the loop). */
  painted(bitmap: CanvasBitmap): void {
    // 1.1. If new content has been drawn to the canvas since it was last painted (the bitmap's
    //      condition for calling this), and if [[frameCaptureRequested]] is set, add a new frame to
    //      track containing what was painted to the canvas. (A tainted canvas adds none: its track
    //      is muted, "producing no new content".)
    if (this.#frameCaptureRequested && bitmap.originClean && this.#demand) this.#addFrame(bitmap);
    // 1.2. If a frameRequestRate value was specified, set [[frameCaptureRequested]] to false.
    if (this.#frameRequestRate !== undefined) this.#frameCaptureRequested = false;
  }

  /**
   * "A captured stream MUST immediately cease to capture content if the origin-clean flag of the
   * source canvas becomes false ... The captured MediaStreamTrack MUST become muted."
   */
  originTainted(): void {
    this.#source.setMutedState(true);
  }

  /** A VideoFrame of the canvas's pixels: RGBA, alpha kept unless the context is opaque (then RGBX). */
  #addFrame(bitmap: CanvasBitmap): void {
    const pixels = bitmap.pixels();
    if (pixels.width === 0 || pixels.height === 0) return;
    const data = new Uint8Array(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength);
    this.#source.write(
      videoFrameFromPlanes({ format: pixels.alpha ? 'RGBA' : 'RGBX', codedWidth: pixels.width, codedHeight: pixels.height, timestamp: Math.round(this.#source.now()), data }),
    );
  }

  /** The last track ended: the capture stops following the canvas. */
  #stop(): void {
    this.#unobserve();
    if (this.#timer !== undefined) realClearInterval(this.#timer);
  }
}

function sortMembers(settings: MediaTrackSettings): MediaTrackSettings {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = value;
  return out;
}
