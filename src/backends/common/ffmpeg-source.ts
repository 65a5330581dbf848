/**
 * A Source fed by an ffmpeg process that writes raw media to its stdout: I420 video
 * (`-f rawvideo -pix_fmt yuv420p`) or 32-bit float audio (`-f f32le`). The input is whatever
 * ffmpeg arguments the backend gives: a media file (file backend), an X11 display (`-f x11grab`,
 * x11 backend), a camera (`-f v4l2`, v4l2 backend).
 *
 * Two ways to pace the media:
 * - "live" (screens, cameras): each unit is emitted as soon as ffmpeg delivers it, stamped with
 *   the time the device captured it (ffmpeg's showinfo, capture-times.ts), or with its arrival time
 *   when that is not known. The device sets the rate.
 * - "paced" (files): ffmpeg decodes as fast as we read, a few units ahead (stdout is paused when
 *   the queue is full, which blocks ffmpeg's write), and the clock emits one unit per frame
 *   interval (or per 10 ms of audio), stamped with the tick's due time: timestamps are exact
 *   multiples of the interval. A tick the clock had to drop (the event loop was blocked) drops its
 *   unit too, so the content stays in step with time.
 *
 * The process runs from `start()` until the source is released (last track stopped, or ended):
 * then it is killed and reaped. An exit nobody asked for ends the source ("the device went away").
 *
 * Why ffmpeg converts to yuv420p rather than us converting its native format (e.g. x11grab's
 * bgr0): measured at 1280x720 on this project's CI machine, ffmpeg's swscale does bgr0 → yuv420p
 * in ~2.9 ms a frame (in its own process, SIMD), our `rgbaToI420` in ~5.8 ms on the event loop,
 * and bgr0 is 2.7 times the bytes to pipe. See bench/README.md "Screen capture".
 */
import type { AudioMode, DeviceDescriptor, VideoMode } from '../../media/modes.js';
import { BufferPool } from '../../media/buffer-pool.js';
import { RealClock, type Clock, type PeriodicHandle } from '../../media/clock/index.js';
import { i420Size } from '../../media/convert/image.js';
import { Source } from '../../media/source.js';
import { notReadable } from '../../platform/errors.js';
import { REC601_COLOR_SPACE, audioDataFromBuffer, videoFrameFromPlanes } from '../../webcodecs/internal.js';
import { OwnedProcess, type ProcessExit } from './process.js';
import { CaptureTimes, SHOWINFO_ARGS } from './capture-times.js';
import { ByteChunker } from './chunker.js';
import { clearTimeout, setTimeout } from '../../platform/timers.js';

/** How media leaves the source: as ffmpeg delivers it, or on the clock's schedule. */
export type Pacing = 'live' | 'paced';

export interface FfmpegSourceOptions {
  /**
   * ffmpeg arguments that open the input, up to and including `-i <input>`; a function of the
   * mode for live devices that can switch modes (applyConstraints restarts ffmpeg in the new one).
   */
  readonly input: readonly string[] | ((mode: VideoMode | AudioMode) => readonly string[]);
  /** What is captured, for messages: `X11 display ":99.0"`, `file "clip.y4m"`, `camera /dev/video0`. */
  readonly what: string;
  readonly pacing: Pacing;
  /** The clock for timestamps and pacing. Default: a RealClock. */
  readonly clock?: Clock;
  /** How long `start()` waits for the first unit of media. Default 10 000 ms. */
  readonly startTimeoutMs?: number;
  /** Environment for ffmpeg (DISPLAY, XAUTHORITY, …). Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** The ffmpeg program. Default "ffmpeg". */
  readonly ffmpeg?: string;
}

/** Audio is cut into chunks of this many milliseconds. */
export const AUDIO_CHUNK_MS = 10;

/** The output half of the ffmpeg command line for a mode, and the bytes of one unit. */
export function ffmpegOutput(mode: VideoMode | AudioMode, pacing: Pacing): { args: string[]; unitSize: number } {
  if ('width' in mode) {
    // Live: pass frames through as the device makes them. Paced: a constant rate, so each frame
    // fills exactly one tick (ffmpeg duplicates or drops frames of variable-rate files).
    const rate = pacing === 'live' ? ['-fps_mode', 'passthrough'] : ['-fps_mode', 'cfr', '-r', String(mode.frameRate)];
    // `-threads 1`: ffmpeg 5.1 runs the rawvideo "encoder" frame-threaded otherwise, and hands each
    // picture out only when the next one comes in (a camera's or a screen's frame a frame late).
    return {
      args: ['-map', '0:v:0', '-an', '-sn', '-dn', ...rate, '-threads', '1', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'],
      unitSize: i420Size(mode.width, mode.height),
    };
  }
  const frames = chunkFrames(mode.sampleRate);
  return {
    args: ['-map', '0:a:0', '-vn', '-sn', '-dn', '-f', 'f32le', '-ac', String(mode.channelCount), '-ar', String(mode.sampleRate), 'pipe:1'],
    unitSize: frames * mode.channelCount * 4,
  };
}

function chunkFrames(sampleRate: number): number {
  return Math.max(1, Math.round((sampleRate * AUDIO_CHUNK_MS) / 1000));
}

/** One ffmpeg process and what it makes: its mode, and pools of buffers of its unit size. */
interface Run {
  readonly proc: OwnedProcess;
  readonly mode: VideoMode | AudioMode;
  readonly args: readonly string[];
  readonly pool: BufferPool;
  readonly planar: BufferPool | undefined;
}

/** A source whose media comes from an ffmpeg process (a new one when it changes modes). */
export class FfmpegSource extends Source {
  readonly #options: FfmpegSourceOptions;
  readonly #clock: Clock;
  #run: Run | undefined;
  #schedule: PeriodicHandle | undefined;
  #queue: Uint8Array[] = [];
  #paused = false;
  /** Paced: how many units the ticks have taken (emitted or dropped); tick N takes unit N. */
  #taken = 0;
  #started = false;
  #released = false;
  #units = 0;
  #emitted = 0;
  #underruns = 0;
  /** The last live frame whose capture time ffmpeg told: its index in the run, and that time. */
  #lastCaptured: { index: number; time: number } | undefined;

  constructor(device: DeviceDescriptor, mode: VideoMode | AudioMode, options: FfmpegSourceOptions) {
    super(device, mode);
    this.#options = options;
    this.#clock = options.clock ?? new RealClock();
  }

  /** On the real clock (a camera, a screen, a file played in real time): scale other sizes off the main thread. */
  protected override get scalesOffThread(): boolean {
    return this.#clock instanceof RealClock;
  }

  /** The interval between units, µs: one frame, or one audio chunk. */
  get interval(): number {
    const mode = this.mode;
    return 'width' in mode ? 1e6 / mode.frameRate : (chunkFrames(mode.sampleRate) / mode.sampleRate) * 1e6;
  }

  /** The ffmpeg process id while it runs. */
  get pid(): number | undefined {
    return this.#run?.proc.running ? this.#run.proc.pid : undefined;
  }

  /** Resolves once the current ffmpeg has exited and been reaped (after the source is released). */
  get exited(): Promise<ProcessExit | undefined> {
    return this.#run?.proc.exited ?? Promise.resolve(undefined);
  }

  /** Units (frames, audio chunks) read from ffmpeg, emitted, and ticks that found none ready. */
  get stats(): { units: number; emitted: number; underruns: number } {
    return { units: this.#units, emitted: this.#emitted, underruns: this.#underruns };
  }

  /** The full ffmpeg argument list of the process running now (or that would run, before `start()`). */
  get args(): string[] {
    return [...(this.#run?.args ?? this.#argsFor(this.mode))];
  }

  /**
   * Starts ffmpeg and resolves once the first unit of media has arrived. Rejects with a
   * NotReadableError DOMException (and releases everything) if ffmpeg cannot start, exits, or
   * delivers nothing within the start timeout.
   */
  async start(): Promise<void> {
    if (this.#started) throw new Error('internal: FfmpegSource started twice');
    this.#started = true;
    try {
      await this.#launch(this.mode);
    } catch (e) {
      this.#released = true;
      throw e;
    }
  }

  /**
   * A live source changes modes by restarting ffmpeg: the old process is ended first (a camera
   * cannot be opened twice), then the new one started; if it fails, the old mode is started again
   * and the answer is false (the track keeps its settings). A file has one mode.
   */
  protected override async reconfigureSource(mode: VideoMode | AudioMode): Promise<boolean> {
    const old = this.#run;
    if (this.#options.pacing !== 'live' || typeof this.#options.input !== 'function' || !old || this.#released) return false;
    this.#run = undefined;
    await old.proc.kill();
    try {
      await this.#launch(mode);
      return !this.#released;
    } catch {
      if (this.#released) return false;
      try {
        await this.#launch(old.mode);
      } catch (e) {
        this.end(`${this.#options.what} could not be restarted: ${(e as Error).message}`);
      }
      return false;
    }
  }

  /** Live video reads each frame's capture time from ffmpeg's showinfo lines (capture-times.ts). */
  #timed(mode: VideoMode | AudioMode): boolean {
    return this.#options.pacing === 'live' && 'width' in mode;
  }

  #argsFor(mode: VideoMode | AudioMode): string[] {
    const input = typeof this.#options.input === 'function' ? this.#options.input(mode) : this.#options.input;
    const timed = this.#timed(mode);
    // showinfo prints at the "info" level; the other info lines only come at start-up.
    return ['-hide_banner', '-nostdin', '-nostats', '-loglevel', timed ? 'info' : 'error', ...input, ...(timed ? SHOWINFO_ARGS : []), ...ffmpegOutput(mode, this.#options.pacing).args];
  }

  /** Starts an ffmpeg for `mode`, makes it the current run, and resolves at its first unit. */
  #launch(mode: VideoMode | AudioMode): Promise<void> {
    const { what } = this.#options;
    // Released while a mode switch waited for the old process: start nothing.
    if (this.#released) return Promise.reject(notReadable(`Could not capture ${what}: the source was stopped`));
    const { unitSize } = ffmpegOutput(mode, this.#options.pacing);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.#run === run) this.#run = undefined;
        void proc.kill();
        reject(notReadable(`Could not capture ${what}: ${why}`));
      };
      const timeoutMs = this.#options.startTimeoutMs ?? 10_000;
      const timer = setTimeout(() => fail(`ffmpeg delivered nothing within ${timeoutMs} ms`), timeoutMs);
      const args = this.#argsFor(mode);
      const times = this.#timed(mode) ? new CaptureTimes() : undefined;
      const proc: OwnedProcess = new OwnedProcess(this.#options.ffmpeg ?? 'ffmpeg', args, {
        env: this.#options.env ?? process.env,
        killGraceMs: 1000,
        debianPackage: 'ffmpeg',
        ...(times ? { onStderrLine: (line: string) => void times.line(line), stderrTailFilter: (line: string) => !line.includes('Parsed_showinfo') } : {}),
        onUnexpectedExit: (exit) => {
          if (!settled) fail(proc.describeExit(exit));
          else if (this.#run === run) this.processExited(exit, proc.describeExit(exit));
        },
      });
      const run: Run = {
        proc,
        mode,
        args,
        // Video in the kernels' memory (scaled and converted in place), and on SharedArrayBuffers
        // where the scaling thread may read it (scalesOffThread).
        pool: new BufferPool(unitSize, { shared: 'width' in mode && this.scalesOffThread, resident: 'width' in mode }),
        planar: 'width' in mode ? undefined : new BufferPool(unitSize),
      };
      this.#run = run;
      proc.started.catch((err: Error) => fail(err.message));
      let index = 0;
      this.#lastCaptured = undefined;
      const chunker = new ByteChunker(unitSize, run.pool.take.bind(run.pool), (unit) => {
        const n = index++;
        const captured = times?.take(n);
        if (this.#run !== run || this.#released) return run.pool.give(unit);
        this.#onUnit(unit, n, captured);
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          resolve();
        }
      });
      proc.stdout.on('data', (chunk: Buffer) => {
        if (this.#run === run && !this.#released) chunker.push(chunk);
      });
    });
  }

  /**
   * Called when ffmpeg exits by itself after media flowed. The default ends the source; a
   * backend may override it to say why in its own words.
   */
  protected processExited(_exit: ProcessExit, description: string): void {
    this.end(`${this.#options.what} stopped: ${description}`);
  }

  protected stopSource(): void {
    this.#released = true;
    this.#schedule?.cancel();
    this.#schedule = undefined;
    this.#queue = [];
    // A paced ffmpeg may be blocked writing to the paused pipe, where it would not act on SIGTERM
    // until the kill grace ends: let it write (the bytes are dropped) so it exits at once.
    if (this.#paused) this.#run?.proc.stdout.resume();
    void this.#run?.proc.kill();
  }

  #onUnit(unit: Uint8Array, index: number, captured: number | undefined): void {
    this.#units++;
    if (this.#options.pacing === 'live') this.#emitUnit(unit, this.#liveTime(index, captured));
    else {
      this.#queue.push(unit);
      if (this.#queue.length >= this.#maxQueue && !this.#paused) {
        this.#paused = true;
        this.#run?.proc.stdout.pause();
      }
      if (!this.#schedule) {
        this.#schedule = this.#clock.every(this.interval, (time, index) => this.#tick(time, index), {
          firstAt: this.#clock.now(),
          // Audio takes a few late ticks (a sound card's buffer); video drops them (a camera).
          maxLate: 'width' in this.mode ? 0 : 5,
        });
      }
    }
  }

  #tick(time: number, index: number): void {
    // Tick N takes unit N of the stream. The units of ticks that passed without theirs (ticks the
    // clock dropped while the event loop was blocked, or ticks that found the queue empty because
    // ffmpeg decodes slower than real time) are dropped when they come, keeping the content in
    // step with time.
    while (this.#taken < index && this.#queue.length > 0) {
      this.#recycle(this.#queue.shift()!);
      // A frame (or chunk) ffmpeg made and nobody could take in time: the tracks count it as dropped.
      if (this.hasDemand) this.#lost(time - (index - this.#taken) * this.interval);
      this.#taken++;
    }
    const unit = this.#taken === index ? this.#queue.shift() : undefined;
    if (this.#paused && this.#queue.length < this.#maxQueue) {
      this.#paused = false;
      this.#run?.proc.stdout.resume();
    }
    if (!unit) {
      this.#underruns++;
      return;
    }
    this.#taken++;
    this.#emitUnit(unit, time);
  }

  /**
   * The timestamp of live frame `index` of the current run: the device's capture time (see
   * capture-times.ts) when it is plausible, within a second of now (another clock, like a
   * VirtualClock's, or a file's own timestamps, are not) and never later than now (the wall clock
   * behind it may have been slewed against the monotonic one). A frame whose showinfo line was not
   * read yet (stdout and stderr are separate pipes) gets the time the frame rate says it followed
   * the last known one by: stamping it with its arrival instead would put it out of step with its
   * neighbours, and decimation would drop the frames after it.
   */
  #liveTime(index: number, captured: number | undefined): number {
    const arrival = this.#clock.now();
    const last = this.#lastCaptured;
    const estimate = captured ?? (last && index > last.index ? last.time + (index - last.index) * this.interval : undefined);
    if (estimate === undefined || Math.abs(arrival - estimate) >= 1e6) return arrival;
    const time = Math.min(estimate, arrival);
    if (captured !== undefined) this.#lastCaptured = { index, time };
    return time;
  }

  /** Counts the unit due at `time` as lost (see `Source.dropped`). */
  #lost(time: number): void {
    const mode = this.#run?.mode ?? this.mode;
    if ('width' in mode) this.dropped({ frames: 1, duration: Math.round(this.interval), timestamp: Math.round(time) });
    else this.dropped({ frames: Math.round((this.interval * mode.sampleRate) / 1e6), duration: this.interval, timestamp: Math.round(time) });
  }

  /** The clock's time: the time line of the timestamps. */
  override now(): number {
    return this.#clock.now();
  }

  /** Paced sources decode ahead by about a tenth of a second (4 frames; 10 audio chunks). */
  get #maxQueue(): number {
    return 'width' in this.mode ? 4 : 10;
  }

  #recycle(unit: Uint8Array): void {
    this.#run?.pool.give(unit);
  }

  #emitUnit(unit: Uint8Array, timestamp: number): void {
    const run = this.#run;
    // Nobody reads: keep the buffer, make no frame.
    if (!run || this.#released || !this.hasDemand) return this.#recycle(unit);
    this.#emitted++;
    const mode = run.mode;
    const ts = Math.round(timestamp);
    if ('width' in mode) {
      this.emit(
        videoFrameFromPlanes({
          format: 'I420',
          codedWidth: mode.width,
          codedHeight: mode.height,
          timestamp: ts,
          duration: Math.round(1e6 / mode.frameRate),
          data: unit,
          colorSpace: REC601_COLOR_SPACE,
          release: run.pool.give,
        }),
      );
      return;
    }
    // f32le is interleaved; the pipeline's native audio format is f32-planar.
    const channels = mode.channelCount;
    const frames = unit.byteLength / 4 / channels;
    const planar = run.planar!.take();
    const src = new Float32Array(unit.buffer, unit.byteOffset, frames * channels);
    const dst = new Float32Array(planar.buffer, planar.byteOffset, frames * channels);
    for (let c = 0; c < channels; c++) {
      const base = c * frames;
      for (let i = 0, j = c; i < frames; i++, j += channels) dst[base + i] = src[j]!;
    }
    this.#recycle(unit);
    this.emit(
      audioDataFromBuffer({
        format: 'f32-planar',
        sampleRate: mode.sampleRate,
        numberOfFrames: frames,
        numberOfChannels: channels,
        timestamp: ts,
        data: planar,
        release: run.planar!.give,
      }),
    );
  }
}
