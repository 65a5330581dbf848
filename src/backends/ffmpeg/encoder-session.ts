/**
 * One recording encoded by one ffmpeg process: raw video and audio with timestamps in one live
 * Matroska stream (raw-matroska.ts) through a Unix socket (socket-input.ts), the streamable file
 * out on stdout, stderr kept for error messages; when asked, a seekable copy of the file written
 * next to it by the same process.
 *
 * The end. `finish()` ends the inputs and lets ffmpeg encode and write what it already has. With
 * a deadline, ffmpeg still running when it passes gets SIGTERM, on which it stops reading, writes
 * out what its encoders hold and the file's trailer, and exits; if it has not exited
 * `KILL_GRACE_MS` later (it is stopped or hung) it gets SIGKILL. What it wrote is kept either way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EncoderCallbacks, EncoderConfig, EncoderSession, FinishOptions, FinishResult, InputQueue } from '../encoder.js';
import { OwnedProcess, type ProcessExit } from '../common/process.js';
import { buildFfmpegArgs, seekableMuxerOptions } from './args.js';
import { OutputSplitter } from './output-units.js';
import type { FfmpegCapabilities } from './probe.js';
import { RawMatroskaWriter } from './raw-matroska.js';
import { SocketInput, type WriteKind } from './socket-input.js';
import { encoderThreads } from './threads.js';
import { clearTimeout, monotonicNow, setInterval, setTimeout } from '../../platform/timers.js';

/** How long ffmpeg may go without writing anything once its inputs have ended, before it is killed (no deadline given). */
const FINISH_STALL_MS = 30_000;
/** With a deadline: the longest ffmpeg may take to open its inputs, before it is stopped. */
const STARTUP_LIMIT_MS = 10_000;
/** After the SIGTERM of the deadline (or of abort()), how long before SIGKILL. */
const KILL_GRACE_MS = 100;

/** The encoders a configuration needs, chosen from what this ffmpeg has. */
export interface ChosenEncoders {
  video?: string | undefined;
  audio?: string | undefined;
}


export class FfmpegEncoderSession implements EncoderSession {
  readonly started: Promise<void>;
  readonly #caps: FfmpegCapabilities;
  readonly #config: EncoderConfig;
  readonly #callbacks: EncoderCallbacks;
  readonly #dir: string;
  readonly #input: SocketInput;
  /** Whether the video / audio track has ended (or is absent): no more of its media is written. */
  readonly #ended: Record<WriteKind, boolean>;
  /** Audio samples (per channel) written so far: the next chunk's timestamp. */
  #audioSamples = 0;
  /** Where the seekable copy is written, if one is made. */
  readonly #seekablePath: string | null;
  #seekable: Uint8Array | null = null;
  /** Splits ffmpeg's output into the container's units. */
  readonly #output: OutputSplitter;
  #process: OwnedProcess | null = null;
  #finishing = false;
  #aborted = false;
  #failed = false;
  #lastOutput = monotonicNow();
  #cleaned = false;

  constructor(caps: FfmpegCapabilities, config: EncoderConfig, encoders: ChosenEncoders, callbacks: EncoderCallbacks) {
    this.#caps = caps;
    this.#config = config;
    this.#callbacks = callbacks;
    this.#dir = mkdtempSync(join(tmpdir(), 'mediacapture-rec-'));
    const writer = new RawMatroskaWriter({
      video: config.video && { width: config.video.width, height: config.video.height },
      audio: config.audio && { sampleRate: config.audio.sampleRate, channels: config.audio.channelCount },
    });
    this.#input = new SocketInput(join(this.#dir, 'media.sock'), writer.header(), (kind, timestamp, size) =>
      writer.blockHeader(kind === 'video' ? writer.videoTrack : writer.audioTrack, timestamp / 1000, size),
    );
    this.#ended = { video: !config.video, audio: !config.audio };
    this.#output = new OutputSplitter(config.container);
    const ext = config.container === 'mp4' ? 'mp4' : config.container === 'ogg' ? 'ogg' : 'mkv';
    this.#seekablePath = config.seekableCopy && seekableMuxerOptions(config.container) !== null ? join(this.#dir, `seekable.${ext}`) : null;
    this.started = this.#start(encoders);
    this.started.catch(() => this.#cleanup());
  }

  get pid(): number | undefined {
    return this.#process?.pid;
  }

  get backlogBytes(): number {
    return this.#input.pendingBytes;
  }

  get videoQueue(): InputQueue {
    return { ...this.#input.pending('video'), open: this.#input.connected };
  }

  get audioQueue(): InputQueue {
    return { ...this.#input.pending('audio'), open: this.#input.connected };
  }

  async #start(encoders: ChosenEncoders): Promise<void> {
    await this.#input.listening;
    if (this.#aborted) throw new Error('The recording was stopped before the encoder started.');
    const outputs = this.#seekablePath ? { seekablePath: this.#seekablePath } : {};
    const args = buildFfmpegArgs(this.#config, { media: this.#input.url }, encoders, encoderThreads(), outputs);
    const proc = new OwnedProcess(this.#caps.path, args, {
      // Its own process group: Ctrl-C in a terminal must not cut the file short; stop() ends it.
      detached: true,
      debianPackage: 'ffmpeg',
      killGraceMs: KILL_GRACE_MS,
      stderrTailBytes: 2048,
      onUnexpectedExit: (exit) => this.#exited(exit),
    });
    this.#process = proc;
    proc.stdout.on('data', (chunk: Buffer) => {
      this.#lastOutput = monotonicNow();
      for (const unit of this.#output.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))) this.#callbacks.data(unit.bytes, unit.media);
    });
    await proc.started;
  }

  /** Any exit not asked for by kill(): the normal end after finish(), or a failure. */
  #exited(exit: ProcessExit): void {
    this.#closeInputs();
    this.#flushOutput();
    if (this.#finishing && exit.code === 0) return;
    this.#fail(this.#process!.describeExit(exit));
  }

  #fail(message: string): void {
    if (this.#failed || this.#aborted) return;
    this.#failed = true;
    this.#callbacks.failed(message);
  }

  writeVideo(frame: Uint8Array, timestamp: number, done: (taken: boolean) => void): void {
    if (this.#ended.video) done(false);
    else this.#input.write('video', timestamp, frame, done);
  }

  writeAudio(samples: Uint8Array, done: (taken: boolean) => void): void {
    if (this.#ended.audio) return done(false);
    // Audio is continuous: each chunk starts where the samples before it ended.
    const timestamp = (this.#audioSamples * 1e6) / this.#config.audio!.sampleRate;
    this.#audioSamples += samples.byteLength / (4 * this.#config.audio!.channelCount);
    this.#input.write('audio', timestamp, samples, done);
  }

  endVideo(): void {
    this.#end('video');
  }

  endAudio(): void {
    this.#end('audio');
  }

  /**
   * No more of `kind`. The stream has no end of one track: the muxer stops waiting for it after
   * `-max_interleave_delta`. Once both have ended the input ends, and ffmpeg's exit with status 0
   * is the normal end, whoever ended them.
   */
  #end(kind: WriteKind): void {
    this.#ended[kind] = true;
    if (this.#ended.video && this.#ended.audio) {
      this.#finishing = true;
      this.#input.end();
    }
  }

  dropQueuedVideo(frames: number): number {
    return this.#input.dropOldest('video', frames);
  }

  discardQueued(): { videoFrames: number; audioBytes: number } {
    const discarded = this.#input.discardQueued();
    return { videoFrames: discarded.video.items, audioBytes: discarded.audio.bytes };
  }

  async finish(options: FinishOptions = {}): Promise<FinishResult> {
    this.#finishing = true;
    this.endVideo();
    this.endAudio();
    try {
      await this.started;
    } catch {
      return { complete: false };
    }
    const proc = this.#process!;
    let cut = false;
    let timer: NodeJS.Timeout | undefined;
    const deadline = options.deadlineMs;
    if (deadline !== undefined && Number.isFinite(deadline)) {
      // 1. The deadline counts from when ffmpeg reads its input: it covers the encoding of what
      // it has, not its start-up (a recording stopped at once is still a file). Then it is
      // stopped, keeping what it wrote.
      const cutShort = () => {
        if (!proc.running) return;
        cut = true;
        void proc.kill();
      };
      const startup = setTimeout(cutShort, STARTUP_LIMIT_MS);
      void Promise.race([this.#input.opened, proc.exited]).then(() => {
        clearTimeout(startup);
        if (proc.running) timer = setTimeout(cutShort, Math.max(0, deadline));
      });
      await proc.exited;
      clearTimeout(startup);
    } else {
      // Never hang: an encoder that stops producing output after its inputs ended is killed.
      this.#lastOutput = monotonicNow();
      timer = setInterval(() => {
        if (proc.running && monotonicNow() - this.#lastOutput > FINISH_STALL_MS) {
          this.#fail(`${proc.program} did not finish within ${FINISH_STALL_MS / 1000} s after its input ended; it was killed.`);
          void proc.kill();
        }
      }, 1000);
      timer.unref();
    }
    const exit = await proc.exited;
    clearTimeout(timer);
    this.#flushOutput();
    // 2. The seekable copy is whole when ffmpeg wrote its trailer: it ended by itself, or on the
    // deadline's SIGTERM (status 255), not when it was killed.
    const trailerWritten = !this.#failed && (exit.code === 0 || (cut && exit.signal === null));
    if (this.#seekablePath && trailerWritten) {
      try {
        this.#seekable = new Uint8Array(await readFile(this.#seekablePath));
      } catch {
        this.#seekable = null;
      }
    }
    this.#cleanup();
    return { complete: !cut };
  }

  async abort(): Promise<void> {
    this.#aborted = true;
    this.#closeInputs();
    await this.#process?.kill();
    this.#cleanup();
  }

  async seekableFile(): Promise<Uint8Array | null> {
    const file = this.#seekable;
    this.#seekable = null;
    return file;
  }

  /** What ffmpeg wrote last, when it did not end a unit (it was killed while writing). */
  #flushOutput(): void {
    const rest = this.#output.flush();
    if (rest) this.#callbacks.data(rest.bytes, rest.media);
  }

  #closeInputs(): void {
    this.#input.close();
  }

  #cleanup(): void {
    if (this.#cleaned) return;
    this.#cleaned = true;
    this.#closeInputs();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
