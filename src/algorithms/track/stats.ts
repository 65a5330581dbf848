/**
 * MediaStreamTrack statistics (https://w3c.github.io/mediacapture-extensions/#mediastreamtrack-statistics):
 * the frame counters of one track, as the user agent counts them, and as script sees them
 * (the "expose … frame counters steps", which copy them into the [[…]] slots at most once per
 * task, so that values read twice in one task agree).
 *
 * Where the counting happens: the track's source tells each route's counters what became of
 * every frame it makes (src/media/route.ts): delivered to the track's sinks (or it would have
 * been, had one been connected), discarded by the frame-rate decimation, or dropped (the scaling
 * thread was too far behind; the device's frames came faster than the process took them). A
 * frame is counted only while the track is enabled, and none flow while it is muted.
 *
 * One departure, forced by how sources run here: a source makes frames only while some consumer
 * reads them (a camera nobody reads captures nothing), so a track whose source has no consumer
 * at all counts nothing. Frames its source makes for other tracks are counted, as "would have
 * been delivered".
 */
import { setImmediate } from '../../platform/timers.js';
import type { CountedMedia, FrameFate } from '../../media/route.js';

let taskNumber = 0;
let taskEnding = false;

/**
 * "The current task", as a number that changes between tasks. Node runs no HTML event loop;
 * here a task ends at the next check phase of Node's loop (when `queueTask`'s tasks run), so
 * values read in one callback and its promise reactions agree, and the next turn sees new ones.
 */
export function currentTask(): number {
  if (!taskEnding) {
    taskEnding = true;
    setImmediate(() => {
      taskEnding = false;
      taskNumber++;
    }).unref();
  }
  return taskNumber;
}

/** The frame counters of a video track (https://w3c.github.io/mediacapture-extensions/#the-mediastreamtrackvideostats-interface). */
export class VideoTrackStats {
  readonly kind = 'video';
  /** delivered video frames, discarded video frames, total video frames: counted as frames come. */
  #delivered = 0;
  #discarded = 0;
  #total = 0;
  /** [[DeliveredFrames]] */
  deliveredFrames = 0;
  /** [[DiscardedFrames]] */
  discardedFrames = 0;
  /** [[TotalFrames]] */
  totalFrames = 0;
  /** [[LastTask]] */
  #lastTask: number | null = null;

  /** Counts one frame's fate. Delivered and discarded frames are counted in the total at the same time. */
  count(fate: FrameFate): void {
    this.#total++;
    if (fate === 'delivered') this.#delivered++;
    else if (fate === 'discarded') this.#discarded++;
  }

  /** The expose video frame counters steps. */
  expose(): void {
    // 1. Let task be the current task.
    const task = currentTask();
    // 2. If [[LastTask]] is equal to task, abort these steps.
    if (this.#lastTask === task) return;
    // 3. Set [[LastTask]] to task.
    this.#lastTask = task;
    // 4. Set [[DeliveredFrames]], [[DiscardedFrames]] and [[TotalFrames]].
    this.deliveredFrames = this.#delivered;
    this.discardedFrames = this.#discarded;
    this.totalFrames = this.#total;
  }
}

/** The frame counters and input latency of an audio track (https://w3c.github.io/mediacapture-extensions/#the-mediastreamtrackaudiostats-interface). */
export class AudioTrackStats {
  readonly kind = 'audio';
  /** The time line of the source's timestamps, µs (`Source.now`). */
  readonly #now: () => number;
  // Counted as audio comes.
  #delivered = 0;
  #deliveredDuration = 0;
  #dropped = 0;
  #droppedDuration = 0;
  /** The latest input latency, ms; and the measurements since the latency reset time. */
  #latency = 0;
  #latencySum = 0;
  #latencyCount = 0;
  #latencyMin = 0;
  #latencyMax = 0;
  /** [[DeliveredFrames]] */
  deliveredFrames = 0;
  /** [[DeliveredFramesDuration]], ms */
  deliveredFramesDuration = 0;
  /** [[DroppedFrames]] */
  droppedFrames = 0;
  /** [[DroppedFramesDuration]], ms */
  droppedFramesDuration = 0;
  /** [[Latency]], ms */
  latency = 0;
  /** [[AverageLatency]], ms */
  averageLatency = 0;
  /** [[MinimumLatency]], ms */
  minimumLatency = 0;
  /** [[MaximumLatency]], ms */
  maximumLatency = 0;
  /** [[LastTask]] */
  #lastTask: number | undefined;
  /** [[LastExposureTime]], µs on the source's time line */
  #lastExposureTime: number | undefined;

  constructor(now: () => number) {
    this.#now = now;
  }

  /**
   * Counts a chunk's fate. A delivered chunk also updates the input latency: from the capture of
   * its last sample to now, when it is available to the track's sinks.
   */
  count(fate: FrameFate, media: CountedMedia): void {
    // Durations are measured in milliseconds.
    const duration = media.duration / 1000;
    if (fate !== 'delivered') {
      this.#dropped += media.frames;
      this.#droppedDuration += duration;
      return;
    }
    this.#delivered += media.frames;
    this.#deliveredDuration += duration;
    const latency = Math.max(0, (this.#now() - (media.timestamp + media.duration)) / 1000);
    this.#latency = latency;
    this.#latencySum += latency;
    this.#latencyMin = this.#latencyCount === 0 ? latency : Math.min(this.#latencyMin, latency);
    this.#latencyMax = this.#latencyCount === 0 ? latency : Math.max(this.#latencyMax, latency);
    this.#latencyCount++;
  }

  /** The expose audio frame counters steps. */
  expose(): void {
    // 1. Let task be the current task.
    const task = currentTask();
    // 2. If [[LastTask]] is equal to task, abort these steps.
    if (this.#lastTask === task) return;
    // 3. Set [[LastTask]] to task.
    this.#lastTask = task;
    // 4. Set the slots to the counters and the latency measurements.
    this.deliveredFrames = this.#delivered;
    this.deliveredFramesDuration = this.#deliveredDuration;
    this.droppedFrames = this.#dropped;
    this.droppedFramesDuration = this.#droppedDuration;
    this.latency = this.#latency;
    // Since the last reset, with no measurement yet: the latest one.
    this.averageLatency = this.#latencyCount > 0 ? this.#latencySum / this.#latencyCount : this.#latency;
    this.minimumLatency = this.#latencyCount > 0 ? this.#latencyMin : this.#latency;
    this.maximumLatency = this.#latencyCount > 0 ? this.#latencyMax : this.#latency;
    //    Set [[LastExposureTime]] to reflect the time that these metrics were exposed.
    this.#lastExposureTime = this.#now();
  }

  /** resetLatency() (§6.2). */
  resetLatency(): void {
    // 1. Run the expose audio frame counters steps.
    this.expose();
    // 2. Set [[AverageLatency]], [[MinimumLatency]] and [[MaximumLatency]] to [[Latency]].
    this.averageLatency = this.latency;
    this.minimumLatency = this.latency;
    this.maximumLatency = this.latency;
    // 3. Set the latency reset time to [[LastExposureTime]]: the average, minimum and maximum
    //    are of the measurements made from then on.
    this.#latencySum = 0;
    this.#latencyCount = 0;
  }

  /** [[LastExposureTime]], for tests. */
  get lastExposureTime(): number | undefined {
    return this.#lastExposureTime;
  }
}

/** [[Stats]] of a track. */
export type TrackStats = VideoTrackStats | AudioTrackStats;
