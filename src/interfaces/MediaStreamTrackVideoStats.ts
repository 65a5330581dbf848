import type { VideoTrackStats } from '../algorithms/track/stats.js';
import { illegalConstructor, illegalInvocation } from '../platform/errors.js';
import { INTERNAL, exposeInterface, idlLength } from '../platform/interface.js';

/**
 * MediaStreamTrackVideoStats (https://w3c.github.io/mediacapture-extensions/#the-mediastreamtrackvideostats-interface):
 * `track.stats` of a camera or screen track. The counters are read once per task: two reads in
 * one task give the same values.
 *
 * @example
 * const { deliveredFrames, discardedFrames, totalFrames } = track.stats;
 * const otherwiseDropped = totalFrames - deliveredFrames - discardedFrames;
 */
export class MediaStreamTrackVideoStats {
  #stats: VideoTrackStats;

  /** Not constructible by script ("Illegal constructor"): a track makes its own. */
  constructor(token?: typeof INTERNAL, stats?: VideoTrackStats) {
    if (token !== INTERNAL || !stats) throw illegalConstructor('MediaStreamTrackVideoStats');
    this.#stats = stats;
  }

  /** Frames delivered to the track's sinks, or that would have been had one been connected. */
  get deliveredFrames(): number {
    if (!(#stats in this)) throw illegalInvocation('MediaStreamTrackVideoStats', 'deliveredFrames');
    // Upon getting, run the expose video frame counters steps and return [[DeliveredFrames]].
    this.#stats.expose();
    return this.#stats.deliveredFrames;
  }

  /** Frames discarded to achieve the track's `frameRate`. */
  get discardedFrames(): number {
    if (!(#stats in this)) throw illegalInvocation('MediaStreamTrackVideoStats', 'discardedFrames');
    this.#stats.expose();
    return this.#stats.discardedFrames;
  }

  /** Every frame of the source this track processed: delivered, discarded, or dropped for another reason. */
  get totalFrames(): number {
    if (!(#stats in this)) throw illegalInvocation('MediaStreamTrackVideoStats', 'totalFrames');
    this.#stats.expose();
    return this.#stats.totalFrames;
  }

  /** WebIDL's default toJSON: the attributes, in the order the interface declares them. */
  toJSON(): { deliveredFrames: number; discardedFrames: number; totalFrames: number } {
    if (!(#stats in this)) throw illegalInvocation('MediaStreamTrackVideoStats', 'toJSON');
    return { deliveredFrames: this.deliveredFrames, discardedFrames: this.discardedFrames, totalFrames: this.totalFrames };
  }
}
exposeInterface(MediaStreamTrackVideoStats);
// No constructor in the IDL (the one here takes an internal token): length 0.
idlLength(MediaStreamTrackVideoStats, 0);
