import type { AudioData } from '../webcodecs/audio-data.js';
import type { VideoFrame } from '../webcodecs/video-frame.js';
import { AudioAdapter } from './adapt/audio-adapter.js';
import { VideoAdapter } from './adapt/video-adapter.js';

/** A frame or a chunk of samples. Whoever receives one owns it and must close it. */
export type Media = VideoFrame | AudioData;

/** Receives media; takes ownership of each frame. */
export type MediaSinkFunction = (media: Media) => void;

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
 * reference (a clone shares the pixels).
 */
export class MediaRoute {
  readonly target: MediaTarget;
  /**
   * The sinks, as an array replaced (never changed) when one comes or goes: push iterates a
   * snapshot, so a sink that unsubscribes during delivery does not disturb it, and a frame costs
   * no copy of the set.
   */
  #sinks: readonly MediaSinkFunction[] = [];
  #adapter: VideoAdapter | AudioAdapter | null;

  readonly #scaleOffThread: boolean;

  /** @param options.scaleOffThread video may be scaled on the scaling thread (see `Source.scalesOffThread`). */
  constructor(target: MediaTarget, { scaleOffThread = false }: { scaleOffThread?: boolean } = {}) {
    this.target = target;
    this.#adapter = target === null ? null : target.kind === 'video' ? new VideoAdapter(target) : new AudioAdapter(target);
    this.#scaleOffThread = scaleOffThread;
  }

  get size(): number {
    return this.#sinks.length;
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
   */
  push(media: Media): void {
    const adapter = this.#adapter;
    if (this.#scaleOffThread && adapter instanceof VideoAdapter && adapter.processOffThread(media as VideoFrame, this.#deliver)) return;
    const out = adapter === null ? media.clone() : adapter.process(media as never);
    if (out !== null) this.#deliver(out);
  }

  readonly #deliver = (out: Media): void => {
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
  };
}
