import type { AudioData } from '../webcodecs/audio-data.js';
import type { VideoFrame } from '../webcodecs/video-frame.js';
import type { AudioMode, DeviceDescriptor, MediaKind, VideoMode } from './modes.js';
import type { Media, MediaSinkFunction, MediaTarget } from './route.js';
import { Source } from './source.js';

/**
 * The largest frame side a generator track reports and accepts as a constraint, and the largest
 * frame rate: the "system-supported range" of mediacapture-transform §2.2.5.2 (the values of
 * Chromium's media limits, `kMaxDimension` and `kMaxFramesPerSecond`).
 */
export const GENERATOR_MAX_DIMENSION = 32767;
export const GENERATOR_MAX_FRAME_RATE = 1000;

/** Why a generator source stopped: its writable was closed (or aborted), or its last track ended. */
export type GeneratorStopReason = 'closed' | 'stopped';

/** Options of {@link GeneratorSource}. */
export interface GeneratorSourceOptions {
  /** Called once when the source stops, with why. */
  onStop?: (reason: GeneratorStopReason) => void;
  /** Called when the first sink subscribes (true) and the last one leaves (false). */
  onDemand?: (active: boolean) => void;
}

/**
 * The source of tracks made by a VideoTrackGenerator or MediaStreamTrackGenerator (and of tracks
 * received from one in another thread): it emits the frames script writes.
 *
 * Its "device" is synthetic, with one native mode that follows the media: the visible size of the
 * latest frame written (the largest size before any frame), at {@link GENERATOR_MAX_FRAME_RATE}.
 * So SelectSettings and crop-and-scale treat a generator track like a camera track whose camera
 * runs at the written size. A track whose frameRate setting is that maximum is not decimated: the
 * frames pass at whatever rate script writes them.
 */
export class GeneratorSource extends Source {
  #current: VideoMode | AudioMode;
  readonly #rate = new FrameRateEstimator();
  readonly #options: GeneratorSourceOptions;
  #stopReason: GeneratorStopReason = 'stopped';
  #written = false;

  constructor(kind: MediaKind, options: GeneratorSourceOptions = {}) {
    const self: { source?: GeneratorSource } = {};
    const initial = initialMode(kind);
    super(generatorDevice(kind, () => self.source?.mode ?? initial), initial);
    self.source = this;
    this.#current = initial;
    this.#options = options;
  }

  /** The generated media's native mode (see the class comment). */
  override get mode(): VideoMode | AudioMode {
    return this.#current;
  }

  /** True once a frame (or chunk of audio) was written: `mode` then describes real media. */
  get written(): boolean {
    return this.#written;
  }

  /** An estimate of the rate frames are written at (per second), from their timestamps; undefined until two frames came. */
  get frameRateEstimate(): number | undefined {
    return this.#rate.estimate;
  }

  /** Sends `media` (taken over) to every track of this source, adapted to each track's settings. */
  write(media: Media): void {
    if (this.stopped) {
      media.close();
      return;
    }
    this.#follow(media);
    this.emit(media);
  }

  /** The writable was closed or aborted: every track ends ("closeWritable", §2.2.4). */
  close(reason = "The generator's writable stream was closed."): void {
    this.#stopReason = 'closed';
    this.end(reason);
  }

  /** Sets the muted state of the source; each track queues a task to follow. */
  setMutedState(muted: boolean): void {
    this.setMuted(muted);
  }

  /** A frame rate at the maximum means "as written": no decimation (see the class comment). */
  override subscribe(target: MediaTarget, sink: MediaSinkFunction): () => void {
    if (target !== null && target.kind === 'video' && target.frameRate >= GENERATOR_MAX_FRAME_RATE) {
      target = { ...target, frameRate: Infinity };
    }
    return super.subscribe(target, sink);
  }

  protected override async reconfigureSource(): Promise<boolean> {
    // Any mode can be "run": the native mode is whatever is written.
    return true;
  }

  protected override demandChanged(active: boolean): void {
    this.#options.onDemand?.(active);
  }

  protected stopSource(): void {
    this.#options.onStop?.(this.#stopReason);
  }

  #follow(media: Media): void {
    this.#written = true;
    if (this.kind === 'video') {
      const frame = media as VideoFrame;
      const rect = frame.visibleRect!;
      this.#rate.add(frame.timestamp);
      const m = this.#current as VideoMode;
      if (m.width !== rect.width || m.height !== rect.height) {
        this.#current = { width: rect.width, height: rect.height, frameRate: GENERATOR_MAX_FRAME_RATE };
      }
    } else {
      const audio = media as AudioData;
      const m = this.#current as AudioMode;
      if (m.sampleRate !== audio.sampleRate || m.channelCount !== audio.numberOfChannels) {
        this.#current = { sampleRate: audio.sampleRate, channelCount: audio.numberOfChannels, sampleSize: 32, latency: 0 };
      }
    }
  }
}

function initialMode(kind: MediaKind): VideoMode | AudioMode {
  return kind === 'video'
    ? { width: GENERATOR_MAX_DIMENSION, height: GENERATOR_MAX_DIMENSION, frameRate: GENERATOR_MAX_FRAME_RATE }
    : { sampleRate: 48000, channelCount: 1, sampleSize: 32, latency: 0 };
}

/** A device descriptor whose one native mode is always the source's current one. */
function generatorDevice(kind: MediaKind, mode: () => VideoMode | AudioMode): DeviceDescriptor {
  const rawId = `generator:${crypto.randomUUID()}`;
  const base = { rawId, kind: kind === 'video' ? 'videoinput' : 'audioinput', label: '', groupKey: rawId } as const;
  return kind === 'video'
    ? Object.defineProperty({ ...base }, 'videoModes', { get: () => [mode()], enumerable: true })
    : Object.defineProperty({ ...base }, 'audioModes', { get: () => [mode()], enumerable: true });
}

/** The rate of the last frames written, from their timestamps (µs). */
class FrameRateEstimator {
  static readonly WINDOW = 30;
  readonly #times: number[] = [];

  add(timestamp: number): void {
    const times = this.#times;
    // Timestamps that go back (a new stream written into the same generator) restart the estimate.
    if (times.length > 0 && timestamp < times[times.length - 1]!) times.length = 0;
    times.push(timestamp);
    if (times.length > FrameRateEstimator.WINDOW) times.shift();
  }

  get estimate(): number | undefined {
    const times = this.#times;
    const span = times.length > 1 ? times[times.length - 1]! - times[0]! : 0;
    return span > 0 ? ((times.length - 1) * 1e6) / span : undefined;
  }
}
