import type { Track, TrackInit } from '../algorithms/track/track.js';
import { illegalConstructor, illegalInvocation } from '../platform/errors.js';
import { INTERNAL, exposeInterface } from '../platform/interface.js';
import { registerInterface } from '../webidl/index.js';
import { MediaStreamTrack, trackOf } from './MediaStreamTrack.js';

let create: (init: TrackInit, canvas: object, requestFrame: () => void) => Track;
let isCanvasTrack: (value: unknown) => boolean;

/**
 * CanvasCaptureMediaStreamTrack (https://w3c.github.io/mediacapture-fromelement/#the-canvascapturemediastreamtrack):
 * the video track of `canvas.captureStream()`, with the canvas it captures and `requestFrame()`.
 * Script cannot construct it.
 */
export class CanvasCaptureMediaStreamTrack extends MediaStreamTrack {
  #canvas: object;
  #requestFrame: () => void;

  // (A rest parameter, so that the interface object's length is 0, as WebIDL has it for an interface without a constructor.)
  constructor(...args: [token?: typeof INTERNAL, init?: TrackInit, canvas?: object, requestFrame?: () => void]) {
    const [token, init, canvas, requestFrame] = args;
    if (token !== INTERNAL || !init || !canvas || !requestFrame) throw illegalConstructor('CanvasCaptureMediaStreamTrack');
    super(token, init);
    this.#canvas = canvas;
    this.#requestFrame = requestFrame;
  }

  /** The canvas element this track captures. */
  get canvas(): object {
    if (!(#canvas in this)) throw illegalInvocation('CanvasCaptureMediaStreamTrack', 'canvas');
    return this.#canvas;
  }

  /**
   * requestFrame() (https://w3c.github.io/mediacapture-fromelement/#dom-canvascapturemediastreamtrack-requestframe):
   * the next paint of the canvas with new content is captured, whatever the frame rate.
   */
  requestFrame(): undefined {
    if (!(#canvas in this)) throw illegalInvocation('CanvasCaptureMediaStreamTrack', 'requestFrame');
    this.#requestFrame();
    return undefined;
  }

  static {
    create = (init, canvas, requestFrame) => trackOf(new CanvasCaptureMediaStreamTrack(INTERNAL, init, canvas, requestFrame))!;
    isCanvasTrack = (value) => typeof value === 'object' && value !== null && #canvas in value;
  }
}
exposeInterface(CanvasCaptureMediaStreamTrack);

/** Package-internal: a new CanvasCaptureMediaStreamTrack ("create a MediaStreamTrack" with `init`); returns its Track. */
export function createCanvasCaptureMediaStreamTrack(init: TrackInit, canvas: object, requestFrame: () => void): Track {
  return create(init, canvas, requestFrame);
}

/** Brand check usable from other modules. */
export function isCanvasCaptureMediaStreamTrack(value: unknown): value is CanvasCaptureMediaStreamTrack {
  return isCanvasTrack(value);
}

registerInterface('CanvasCaptureMediaStreamTrack', isCanvasCaptureMediaStreamTrack);
declare module '../webidl/interface-types.js' {
  interface InterfaceTypes {
    CanvasCaptureMediaStreamTrack: CanvasCaptureMediaStreamTrack;
  }
}
