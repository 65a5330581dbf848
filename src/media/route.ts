import type { AudioData } from '../webcodecs/audio-data.js';
import type { VideoFrame } from '../webcodecs/video-frame.js';
import { AudioAdapter } from './adapt/audio-adapter.js';
import { VideoAdapter } from './adapt/video-adapter.js';
import { queueMicrotask } from '../platform/timers.js';

/** A frame or a chunk of samples. Whoever receives one owns it and must close it. */
export type Media = VideoFrame | AudioData;

/** Receives media; takes ownership of each frame. */
export type MediaSinkFunction = (media: Media) => void;

/**
 * What became of one frame of a source (a video frame, or a chunk of audio) for the tracks of a
 * route, in the terms of https://w3c.github.io/mediacapture-extensions/#the-mediastreamtrackvideostats-interface:
 * "delivered" to the sinks (or it would have been, had one been connected), "discarded" to
 * achieve the target frame rate, or "dropped" for any other reason (the scaling thread was too
 * far behind, the device's frames came faster than the process could take them).
 */
export type FrameFate = 'delivered' | 'discarded' | 'dropped';

/** A frame or chunk as it is counted. */
export interface CountedMedia {
  /** 1 for a video frame; the number of audio frames (samples per channel) of a chunk. */
  readonly frames: number;
  /** Its duration, µs (0 when unknown). */
  readonly duration: number;
  /** Its capture time, µs, on the source's time line (see `Source.now`). */
  readonly timestamp: number;
}

/** Told the fate of each frame of a route, as it is decided: a track's statistics. */
export type FrameCounter = (fate: FrameFate, media: CountedMedia) => void;

/** How `media` is counted. */
export function countedMedia(media: Media): CountedMedia {
  if ('codedWidth' in media) return { frames: 1, duration: media.duration ?? 0, timestamp: media.timestamp };
  return { frames: media.numberOfFrames, duration: media.duration, timestamp: media.timestamp };
}

/** What a track's settings ask of its source's media: the size and rate of video frames. */
export interface VideoTarget {
  readonly kind: 'video';
  readonly width: number;
  readonly height: number;
  readonly frameRate: number;
}

/** What a track's settings ask of its source's audio. */
export interface AudioTarget {
  readonly kind: 'audio';
  readonly sampleRate: number;
  readonly channelCount: number;
}

/** A target, or null for "as the source makes it". */
export type MediaTarget = VideoTarget | AudioTarget | null;

/** The adaptation a track's settings ask for: the size and rate, or the sample rate and channels; null when they do not say. */
export function targetFromSettings(
  kind: 'audio' | 'video',
  settings: { readonly width?: number; readonly height?: number; readonly frameRate?: number; readonly sampleRate?: number; readonly channelCount?: number },
): MediaTarget {
  if (kind === 'video') {
    const { width, height, frameRate } = settings;
    if (typeof width === 'number' && typeof height === 'number' && typeof frameRate === 'number') {
      return { kind: 'video', width, height, frameRate };
    }
    return null;
  }
  const { sampleRate, channelCount } = settings;
  if (typeof sampleRate === 'number' && typeof channelCount === 'number') return { kind: 'audio', sampleRate, channelCount };
  return null;
}

export function targetKey(target: MediaTarget): string {
  if (target === null) return 'native';
  return target.kind === 'video' ? `v:${target.width}x${target.height}@${target.frameRate}` : `a:${target.sampleRate}/${target.channelCount}`;
}

/**
 * One distinct adaptation of a source's media and the sinks that want it. Each frame is adapted
 * once per route, however many tracks share the settings; the result goes to every sink by
 * reference (a clone shares the pixels). The route also tells its counters (the statistics of the
 * tracks with these settings) what became of each frame; a route with counters and no sinks only
 * decides that (decimation by timestamp), and makes no pixels for nobody.
 */
export class MediaRoute {
  readonly target: MediaTarget;
  /**
   * The sinks, as an array replaced (never changed) when one comes or goes: push iterates a
   * snapshot, so a sink that unsubscribes during delivery does not disturb it, and a frame costs
   * no copy of the set.
   */
  #sinks: readonly MediaSinkFunction[] = [];
  /** The counters, replaced when one comes or goes, as the sinks are. */
  #counters: readonly FrameCounter[] = [];
  #adapter: VideoAdapter | AudioAdapter | null;

  readonly #scaleOffThread: boolean;

  /** @param options.scaleOffThread video may be scaled on the scaling thread (see `Source.scalesOffThread`). */
  constructor(target: MediaTarget, { scaleOffThread = false }: { scaleOffThread?: boolean } = {}) {
    this.target = target;
    this.#adapter = target === null ? null : target.kind === 'video' ? new VideoAdapter(target) : new AudioAdapter(target);
    this.#scaleOffThread = scaleOffThread;
  }

  /** Sinks and counters: a route with neither is not needed. */
  get size(): number {
    return this.#sinks.length + this.#counters.length;
  }

  /** The sinks (the frames go to them). */
  get sinkCount(): number {
    return this.#sinks.length;
  }

  addCounter(counter: FrameCounter): void {
    if (!this.#counters.includes(counter)) this.#counters = [...this.#counters, counter];
  }

  /** Removes `counter`; false if it was not there. */
  deleteCounter(counter: FrameCounter): boolean {
    if (!this.#counters.includes(counter)) return false;
    this.#counters = this.#counters.filter((c) => c !== counter);
    return true;
  }

  add(sink: MediaSinkFunction): void {
    if (!this.#sinks.includes(sink)) this.#sinks = [...this.#sinks, sink];
  }

  /** Removes `sink`; false if it was not there. */
  delete(sink: MediaSinkFunction): boolean {
    if (!this.#sinks.includes(sink)) return false;
    this.#sinks = this.#sinks.filter((s) => s !== sink);
    return true;
  }

  /**
   * Adapts `media` (borrowed: the caller closes it) and hands the result to every sink: now, or,
   * for a frame scaled on the scaling thread (src/media/adapt/scaler-thread.ts), in a later task,
   * to the sinks there are then (none, if the track has left this route: the frame is closed).
   * Each counter hears the frame's fate once it is known.
   */
  push(media: Media): void {
    const adapter = this.#adapter;
    const counted = this.#counters.length > 0 ? countedMedia(media) : undefined;
    if (this.#sinks.length === 0) {
      // Counters only: what would have become of the frame. Audio is never discarded.
      if (counted) this.#count(adapter instanceof VideoAdapter && !adapter.keep(counted.timestamp) ? 'discarded' : 'delivered', counted);
      return;
    }
    if (this.#scaleOffThread && adapter instanceof VideoAdapter && adapter.mayScale(media as VideoFrame)) {
      const deliver = (out: Media) => this.#deliver(out, counted);
      const lost = counted && ((fate: FrameFate) => this.#count(fate, counted));
      if (adapter.processOffThread(media as VideoFrame, deliver, lost)) return;
    }
    const out = adapter === null ? media.clone() : adapter.process(media as never);
    // Video: null is decimation. Audio: the resampler keeps the chunk's samples for its next output.
    if (out === null) {
      if (counted) this.#count(adapter instanceof VideoAdapter ? 'discarded' : 'delivered', counted);
      return;
    }
    this.#deliver(out, counted);
  }

  /**
   * The source lost a frame it had captured (see `Source.dropped`): counted as dropped, or as
   * discarded where decimation would have discarded it anyway (the schedule moves on as if it came).
   */
  countLost(counted: CountedMedia): void {
    if (this.#counters.length === 0) return;
    const adapter = this.#adapter;
    this.#count(adapter instanceof VideoAdapter && !adapter.keep(counted.timestamp) ? 'discarded' : 'dropped', counted);
  }

  #count(fate: FrameFate, counted: CountedMedia): void {
    const counters = this.#counters;
    for (let i = 0; i < counters.length; i++) counters[i]!(fate, counted);
  }

  #deliver(out: Media, counted: CountedMedia | undefined): void {
    if (counted) this.#count('delivered', counted);
    const sinks = this.#sinks;
    for (let i = 0; i < sinks.length; i++) {
      const mine = i === sinks.length - 1 ? out : out.clone();
      try {
        sinks[i]!(mine);
      } catch (e) {
        // A sink's bug must not stop the source for the other sinks.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
    if (sinks.length === 0) out.close();
  }
}
