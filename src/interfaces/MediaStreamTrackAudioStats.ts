import type { AudioTrackStats } from '../algorithms/track/stats.js';
import { illegalConstructor, illegalInvocation } from '../platform/errors.js';
import { INTERNAL, exposeInterface, idlLength } from '../platform/interface.js';

/** What {@link MediaStreamTrackAudioStats.toJSON} returns. */
export interface MediaStreamTrackAudioStatsJSON {
  deliveredFrames: number;
  deliveredFramesDuration: number;
  totalFrames: number;
  totalFramesDuration: number;
  latency: number;
  averageLatency: number;
  minimumLatency: number;
  maximumLatency: number;
}

/**
 * MediaStreamTrackAudioStats (https://w3c.github.io/mediacapture-extensions/#the-mediastreamtrackaudiostats-interface):
 * `track.stats` of a microphone track. Frames are audio frames (one sample per channel); durations
 * and latencies are milliseconds. The values are read once per task: two reads in one task agree.
 *
 * @example
 * const { deliveredFramesDuration, totalFramesDuration, averageLatency } = track.stats;
 * console.log(`${((100 * deliveredFramesDuration) / totalFramesDuration).toFixed(1)} % delivered, ${averageLatency} ms`);
 */
export class MediaStreamTrackAudioStats {
  #stats: AudioTrackStats;

  /** Not constructible by script ("Illegal constructor"): a track makes its own. */
  constructor(token?: typeof INTERNAL, stats?: AudioTrackStats) {
    if (token !== INTERNAL || !stats) throw illegalConstructor('MediaStreamTrackAudioStats');
    this.#stats = stats;
  }

  #exposed(member: string): AudioTrackStats {
    if (!(#stats in this)) throw illegalInvocation('MediaStreamTrackAudioStats', member);
    // Upon getting, run the expose audio frame counters steps.
    this.#stats.expose();
    return this.#stats;
  }

  /** Audio frames delivered to the track's sinks, or that would have been had one been connected. */
  get deliveredFrames(): number {
    return this.#exposed('deliveredFrames').deliveredFrames;
  }

  /** The duration of the delivered frames, ms. */
  get deliveredFramesDuration(): number {
    return this.#exposed('deliveredFramesDuration').deliveredFramesDuration;
  }

  /** Delivered and dropped audio frames: the sum of [[DeliveredFrames]] and [[DroppedFrames]]. */
  get totalFrames(): number {
    const s = this.#exposed('totalFrames');
    return s.deliveredFrames + s.droppedFrames;
  }

  /** The duration of all frames, delivered and dropped, ms. */
  get totalFramesDuration(): number {
    const s = this.#exposed('totalFramesDuration');
    return s.deliveredFramesDuration + s.droppedFramesDuration;
  }

  /** The latest input latency: from the capture of a chunk's last sample to its delivery, ms. */
  get latency(): number {
    return this.#exposed('latency').latency;
  }

  /** The average input latency since the last resetLatency(), ms. */
  get averageLatency(): number {
    return this.#exposed('averageLatency').averageLatency;
  }

  /** The minimum input latency since the last resetLatency(), ms. */
  get minimumLatency(): number {
    return this.#exposed('minimumLatency').minimumLatency;
  }

  /** The maximum input latency since the last resetLatency(), ms. */
  get maximumLatency(): number {
    return this.#exposed('maximumLatency').maximumLatency;
  }

  /** Starts the average, minimum and maximum latency over from the latest one. */
  resetLatency(): undefined {
    if (!(#stats in this)) throw illegalInvocation('MediaStreamTrackAudioStats', 'resetLatency');
    this.#stats.resetLatency();
    return undefined;
  }

  /** WebIDL's default toJSON: the attributes, in the order the interface declares them. */
  toJSON(): MediaStreamTrackAudioStatsJSON {
    if (!(#stats in this)) throw illegalInvocation('MediaStreamTrackAudioStats', 'toJSON');
    return {
      deliveredFrames: this.deliveredFrames,
      deliveredFramesDuration: this.deliveredFramesDuration,
      totalFrames: this.totalFrames,
      totalFramesDuration: this.totalFramesDuration,
      latency: this.latency,
      averageLatency: this.averageLatency,
      minimumLatency: this.minimumLatency,
      maximumLatency: this.maximumLatency,
    };
  }
}
exposeInterface(MediaStreamTrackAudioStats);
// No constructor in the IDL (the one here takes an internal token): length 0.
idlLength(MediaStreamTrackAudioStats, 0);
