/**
 * VideoPlaybackQuality (Media Playback Quality, https://w3c.github.io/media-playback-quality/#videoplaybackquality-interface):
 * what getVideoPlaybackQuality() returns. `totalVideoFrames` counts the frames the element showed
 * plus those it dropped; `droppedVideoFrames` the frames of a file that came too late for their
 * time (the decoder was slower than the clock).
 */
import { illegalConstructor } from '../../platform/errors.js';
import { INTERNAL, exposeInterface } from '../../platform/interface.js';

export class VideoPlaybackQuality {
  readonly #creationTime: number;
  readonly #dropped: number;
  readonly #total: number;

  /** Made by getVideoPlaybackQuality() only: script gets "Illegal constructor". */
  constructor(token: typeof INTERNAL, creationTime: number, dropped: number, total: number) {
    if (token !== INTERNAL) throw illegalConstructor('VideoPlaybackQuality');
    this.#creationTime = creationTime;
    this.#dropped = dropped;
    this.#total = total;
  }

  /** The time (the window's `performance.now()`) the object was made. */
  get creationTime(): number {
    if (!(#creationTime in this)) throw new TypeError('Illegal invocation: VideoPlaybackQuality.creationTime');
    return this.#creationTime;
  }

  get droppedVideoFrames(): number {
    if (!(#dropped in this)) throw new TypeError('Illegal invocation: VideoPlaybackQuality.droppedVideoFrames');
    return this.#dropped;
  }

  get totalVideoFrames(): number {
    if (!(#total in this)) throw new TypeError('Illegal invocation: VideoPlaybackQuality.totalVideoFrames');
    return this.#total;
  }

  /** Deprecated in the spec, kept by browsers: no frame is ever corrupted here. */
  get corruptedVideoFrames(): number {
    if (!(#total in this)) throw new TypeError('Illegal invocation: VideoPlaybackQuality.corruptedVideoFrames');
    return 0;
  }
}
exposeInterface(VideoPlaybackQuality);
