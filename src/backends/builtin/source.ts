import { RealClock, type Clock, type PeriodicHandle } from '../../media/clock/index.js';
import { BufferPool } from '../../media/buffer-pool.js';
import { i420Size } from '../../media/convert/image.js';
import type { AudioMode, DeviceDescriptor, VideoMode } from '../../media/modes.js';
import { Source } from '../../media/source.js';
import { TestPattern } from '../../media/synthetic/test-pattern.js';
import { ToneGenerator } from '../../media/synthetic/tone.js';
import { REC601_COLOR_SPACE, audioDataFromBuffer, videoFrameFromPlanes } from '../../webcodecs/internal.js';
import type { BuiltinDeviceConfig } from './config.js';

/** Frames a late process still gets (a camera's capture buffers), before older ones are dropped. */
const VIDEO_CAPTURE_BUFFERS = 3;

/** Audio is produced in 10 ms periods, like a typical capture device. */
const AUDIO_PERIOD_MICROS = 10_000;

/**
 * A built-in synthetic device opened in one native mode. The camera draws the moving test
 * pattern (frame number and timestamp readable by a person, and as a bit code by
 * `decodeFrameNumber`); the microphone plays a tone. Media is made on the provider's clock only
 * while someone consumes it. The provider drives its life-cycle (interrupt, resume, unplug).
 */
export class BuiltinSource extends Source {
  readonly config: BuiltinDeviceConfig;
  readonly #clock: Clock;
  readonly #onStop: (source: BuiltinSource) => void;
  /** Clock time the source was opened: frame numbers and sample indices count from here. */
  readonly #openedAt: number;
  #schedule: PeriodicHandle | undefined;
  #pattern: TestPattern | undefined;
  #pool: BufferPool | undefined;
  #tone: ToneGenerator | undefined;
  /** The end (clock time) of the last frame or audio period made since production started. */
  #lastMade: number | undefined;

  constructor(device: DeviceDescriptor, mode: VideoMode | AudioMode, config: BuiltinDeviceConfig, clock: Clock, onStop: (source: BuiltinSource) => void) {
    super(device, mode);
    this.config = config;
    this.#clock = clock;
    this.#onStop = onStop;
    this.#openedAt = clock.now();
  }

  /** The device was interrupted (muted) or came back. */
  interrupt(muted: boolean): void {
    this.setMuted(muted);
  }

  /** The device went away: every track ends. */
  unplugged(): void {
    this.end('The device was unplugged.');
  }

  /** The clock's time: the time line of the timestamps. */
  override now(): number {
    return this.#clock.now();
  }

  /** On the real clock, like a camera: tracks of other sizes are scaled off the main thread. */
  protected override get scalesOffThread(): boolean {
    return this.#clock instanceof RealClock;
  }

  /** A synthetic device can switch to any of its modes at any time. */
  protected override async reconfigureSource(mode: VideoMode | AudioMode): Promise<boolean> {
    const running = this.#schedule !== undefined;
    this.#stopProducing();
    this.#pattern = undefined;
    this.#tone = undefined;
    // The base class records the new mode once this resolves; produce in it from now on.
    if (running) this.#startProducing(mode);
    return true;
  }

  protected override demandChanged(active: boolean): void {
    if (active) this.#startProducing();
    else this.#stopProducing();
  }

  #startProducing(mode: VideoMode | AudioMode = this.mode): void {
    if (this.#schedule) return;
    this.#lastMade = undefined;
    if ('width' in mode) {
      const interval = 1e6 / mode.frameRate;
      // Frame n of the device is due at openedAt + (n + 1) × interval, whenever consumers come.
      const next = Math.floor((this.#clock.now() - this.#openedAt) / interval) + 1;
      this.#schedule = this.#clock.every(interval, (t) => this.#drawFrame(mode, t, Math.round((t - this.#openedAt) / interval) - 1), {
        firstAt: this.#openedAt + next * interval,
        // Like a camera's queue of capture buffers (V4L2 drivers keep about four): frames the
        // process was too busy to take are delivered late rather than lost, up to three.
        maxLate: VIDEO_CAPTURE_BUFFERS,
      });
    } else {
      const next = Math.floor((this.#clock.now() - this.#openedAt) / AUDIO_PERIOD_MICROS) + 1;
      this.#schedule = this.#clock.every(AUDIO_PERIOD_MICROS, (t) => this.#playPeriod(mode, t), {
        firstAt: this.#openedAt + next * AUDIO_PERIOD_MICROS,
        maxLate: 20,
      });
    }
  }

  #stopProducing(): void {
    this.#schedule?.cancel();
    this.#schedule = undefined;
  }

  /** One camera frame: the test pattern for frame `n`, captured at `t` (the end of its interval). */
  #drawFrame(mode: VideoMode, t: number, n: number): void {
    const { width, height } = mode;
    const interval = 1e6 / mode.frameRate;
    // Frames the clock skipped (the process was blocked past the capture buffers) are lost.
    for (let lost = this.#lastMade === undefined ? 0 : Math.round((t - this.#lastMade) / interval) - 1; lost > 0; lost--) {
      this.dropped({ frames: 1, duration: Math.round(interval), timestamp: Math.round(t - (lost + 1) * interval) });
    }
    this.#lastMade = t;
    this.#pattern ??= new TestPattern(width, height);
    // Pixels in the kernels' memory (scaled in place), and on SharedArrayBuffers where the
    // scaling thread may read them (scalesOffThread).
    if (this.#pool?.size !== i420Size(width, height)) {
      this.#pool = new BufferPool(i420Size(width, height), { shared: this.scalesOffThread, resident: true });
    }
    const data = this.#pool.take();
    // Frame n covers [openedAt + n × interval, openedAt + (n + 1) × interval); `t` is its end.
    const timestamp = Math.round(this.#openedAt + (n * 1e6) / mode.frameRate);
    this.#pattern.render(n, timestamp, data);
    this.emit(
      videoFrameFromPlanes({
        format: 'I420', codedWidth: width, codedHeight: height, timestamp, duration: Math.round(1e6 / mode.frameRate),
        data, release: this.#pool.give, colorSpace: REC601_COLOR_SPACE,
      }),
    );
  }

  /** One 10 ms period of the microphone, ending at clock time `t`. */
  #playPeriod(mode: AudioMode, t: number): void {
    const { sampleRate, channelCount } = mode;
    // Periods the clock skipped (past the 20 it delivers late) are lost.
    const gap = this.#lastMade === undefined ? 0 : t - AUDIO_PERIOD_MICROS - this.#lastMade;
    if (gap > AUDIO_PERIOD_MICROS / 2) {
      this.dropped({ frames: Math.round((gap * sampleRate) / 1e6), duration: gap, timestamp: Math.round(this.#lastMade!) });
    }
    this.#lastMade = t;
    this.#tone ??= new ToneGenerator({ sampleRate, ...this.config.tone });
    // Samples are numbered from the opening of the device, so periods join exactly.
    const end = Math.round(((t - this.#openedAt) * sampleRate) / 1e6);
    const start = Math.round(((t - AUDIO_PERIOD_MICROS - this.#openedAt) * sampleRate) / 1e6);
    const frames = end - start;
    if (frames <= 0) return;
    const samples = new Float32Array(frames * channelCount);
    const channels = Array.from({ length: channelCount }, (_, c) => samples.subarray(c * frames, (c + 1) * frames));
    this.#tone.generate(start, frames, channels);
    this.emit(
      audioDataFromBuffer({
        format: 'f32-planar', sampleRate, numberOfFrames: frames, numberOfChannels: channelCount,
        timestamp: this.#openedAt + Math.round((start * 1e6) / sampleRate), data: new Uint8Array(samples.buffer),
      }),
    );
  }

  protected stopSource(): void {
    this.#stopProducing();
    this.#onStop(this);
  }
}
