/**
 * One recording encoded by one ffmpeg process: raw video and audio in through Unix sockets
 * (see socket-input.ts), the streamable file out on stdout, stderr kept for error messages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EncoderCallbacks, EncoderConfig, EncoderSession } from '../encoder.js';
import { OwnedProcess, runProgram, type ProcessExit } from '../common/process.js';
import { buildFfmpegArgs, seekableRemuxArgs } from './args.js';
import type { FfmpegCapabilities } from './probe.js';
import { SocketInput } from './socket-input.js';

/** How long ffmpeg may go without writing anything once its inputs have ended, before it is killed. */
const FINISH_STALL_MS = 30_000;

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
  readonly #video: SocketInput | null;
  readonly #audio: SocketInput | null;
  #process: OwnedProcess | null = null;
  #finishing = false;
  #aborted = false;
  #failed = false;
  #lastOutput = Date.now();
  #cleaned = false;

  constructor(caps: FfmpegCapabilities, config: EncoderConfig, encoders: ChosenEncoders, callbacks: EncoderCallbacks) {
    this.#caps = caps;
    this.#config = config;
    this.#callbacks = callbacks;
    this.#dir = mkdtempSync(join(tmpdir(), 'mediacapture-rec-'));
    this.#video = config.video ? new SocketInput(join(this.#dir, 'video.sock')) : null;
    this.#audio = config.audio ? new SocketInput(join(this.#dir, 'audio.sock')) : null;
    this.started = this.#start(encoders);
    this.started.catch(() => this.#cleanup());
  }

  get pid(): number | undefined {
    return this.#process?.pid;
  }

  get backlogBytes(): number {
    return (this.#video?.pendingBytes ?? 0) + (this.#audio?.pendingBytes ?? 0);
  }

  async #start(encoders: ChosenEncoders): Promise<void> {
    await Promise.all([this.#video?.listening, this.#audio?.listening]);
    if (this.#aborted) throw new Error('The recording was stopped before the encoder started.');
    const args = buildFfmpegArgs(this.#config, { video: this.#video?.url, audio: this.#audio?.url }, encoders, Math.min(availableParallelism(), 8));
    const proc = new OwnedProcess(this.#caps.path, args, {
      // Its own process group: Ctrl-C in a terminal must not cut the file short; stop() ends it.
      detached: true,
      debianPackage: 'ffmpeg',
      killGraceMs: 1000,
      stderrTailBytes: 2048,
      onUnexpectedExit: (exit) => this.#exited(exit),
    });
    this.#process = proc;
    proc.stdout.on('data', (chunk: Buffer) => {
      this.#lastOutput = Date.now();
      this.#callbacks.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    });
    await proc.started;
  }

  /** Any exit not asked for by kill(): the normal end after finish(), or a failure. */
  #exited(exit: ProcessExit): void {
    this.#closeInputs();
    if (this.#finishing && exit.code === 0) return;
    this.#fail(this.#process!.describeExit(exit));
  }

  #fail(message: string): void {
    if (this.#failed || this.#aborted) return;
    this.#failed = true;
    this.#callbacks.failed(message);
  }

  writeVideo(frame: Uint8Array, done: () => void): void {
    if (this.#video) this.#video.write(frame, done);
    else done();
  }

  writeAudio(samples: Uint8Array, done: () => void): void {
    if (this.#audio) this.#audio.write(samples, done);
    else done();
  }

  endVideo(): void {
    this.#video?.end();
    this.#inputsMayHaveEnded();
  }

  endAudio(): void {
    this.#audio?.end();
    this.#inputsMayHaveEnded();
  }

  /** Once every input has ended, ffmpeg's exit with status 0 is the normal end, whoever ended them. */
  #inputsMayHaveEnded(): void {
    if ((this.#video?.ending ?? true) && (this.#audio?.ending ?? true)) this.#finishing = true;
  }

  async finish(): Promise<void> {
    this.#finishing = true;
    this.endVideo();
    this.endAudio();
    try {
      await this.started;
    } catch {
      return;
    }
    const proc = this.#process!;
    // Never hang: an encoder that stops producing output after its inputs ended is killed.
    const watchdog = setInterval(() => {
      if (proc.running && Date.now() - this.#lastOutput > FINISH_STALL_MS) {
        this.#fail(`${proc.program} did not finish within ${FINISH_STALL_MS / 1000} s after its input ended; it was killed.`);
        void proc.kill();
      }
    }, 1000);
    watchdog.unref();
    this.#lastOutput = Date.now();
    await proc.exited;
    clearInterval(watchdog);
    this.#cleanup();
  }

  async abort(): Promise<void> {
    this.#aborted = true;
    this.#closeInputs();
    await this.#process?.kill();
    this.#cleanup();
  }

  async makeSeekable(file: Uint8Array): Promise<Uint8Array | null> {
    const ext = this.#config.container === 'mp4' ? 'mp4' : this.#config.container === 'ogg' ? 'ogg' : 'mkv';
    const dir = mkdtempSync(join(tmpdir(), 'mediacapture-remux-'));
    try {
      const input = join(dir, `streamed.${ext}`);
      const output = join(dir, `seekable.${ext}`);
      const audio = this.#config.audio;
      // ffmpeg's AAC encoder primes with 1024 samples.
      const priming = audio?.codec === 'aac' ? 1024 / audio.sampleRate : 0;
      const args = seekableRemuxArgs(this.#config.container, input, output, priming);
      if (args === null) return null;
      await writeFile(input, file);
      await runProgram(this.#caps.path, args, { timeoutMs: 60_000, debianPackage: 'ffmpeg' });
      return new Uint8Array(await readFile(output));
    } catch {
      return null;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  #closeInputs(): void {
    this.#video?.close();
    this.#audio?.close();
  }

  #cleanup(): void {
    if (this.#cleaned) return;
    this.#cleaned = true;
    this.#closeInputs();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
