/**
 * One ffmpeg process decoding one stream of a media file from a position: raw I420 frames at the
 * file's frame rate, or 10 ms chunks of f32 audio, each with its presentation time. It decodes a
 * few units ahead and then waits (stdout is paused, which blocks ffmpeg's write): the element takes
 * units when the media clock reaches their time. Killed and reaped by `close()`.
 */
import { AUDIO_CHUNK_MS, ffmpegOutput } from '../../backends/common/ffmpeg-source.js';
import { ByteChunker } from '../../backends/common/chunker.js';
import { OwnedProcess } from '../../backends/common/process.js';
import { BufferPool } from '../../media/buffer-pool.js';
import type { AudioMode, VideoMode } from '../../media/modes.js';

/** A decoded unit and its presentation time (seconds on the file's timeline). */
export interface DecodedUnit {
  readonly data: Uint8Array;
  readonly time: number;
}

export class FileDecoder {
  readonly mode: VideoMode | AudioMode;
  readonly pool: BufferPool;
  readonly #proc: OwnedProcess;
  readonly #queue: DecodedUnit[] = [];
  readonly #maxQueue: number;
  readonly #onReady: () => void;
  #index = 0;
  readonly #start: number;
  readonly #interval: number;
  #paused = false;
  #eof = false;
  #closed = false;
  #failure: string | undefined;

  /**
   * @param input what ffmpeg reads (a path or an http(s) URL)
   * @param start the position to decode from, seconds
   * @param onReady called when a unit was added to the queue, or the stream ended or failed
   */
  constructor(input: string, mode: VideoMode | AudioMode, start: number, onReady: () => void) {
    this.mode = mode;
    this.#onReady = onReady;
    this.#maxQueue = 'width' in mode ? 4 : 20;
    const { args, unitSize } = ffmpegOutput(mode, 'paced');
    this.pool = new BufferPool(unitSize);
    // -ss before -i: ffmpeg seeks the input and decodes from the exact position; the output
    // timestamps restart at 0 there, so unit N is at start + N × interval.
    const ffArgs = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-ss', start.toFixed(6), '-i', input, ...args];
    const interval = 'width' in mode ? 1 / mode.frameRate : AUDIO_CHUNK_MS / 1000;
    this.#start = start;
    this.#interval = interval;
    this.#proc = new OwnedProcess('ffmpeg', ffArgs, {
      killGraceMs: 1000,
      debianPackage: 'ffmpeg',
      onUnexpectedExit: (exit) => {
        if (exit.code !== 0) this.#failure = this.#proc.describeExit(exit);
        this.#eof = true;
        this.#onReady();
      },
    });
    this.#proc.started.catch((e: Error) => {
      this.#failure = e.message;
      this.#eof = true;
      this.#onReady();
    });
    const chunker = new ByteChunker(unitSize, () => this.pool.take(), (data) => {
      if (this.#closed) return this.pool.give(data);
      this.#queue.push({ data, time: start + this.#index++ * interval });
      if (this.#queue.length >= this.#maxQueue && !this.#paused) {
        this.#paused = true;
        this.#proc.stdout.pause();
      }
      this.#onReady();
    });
    this.#proc.stdout.on('data', (chunk: Buffer) => chunker.push(chunk));
  }

  /** The time of the unit after the last one decoded (the next to come when the queue is empty). */
  get nextTime(): number {
    return this.#start + this.#index * this.#interval;
  }

  /** The next unit, without taking it. */
  peek(): DecodedUnit | undefined {
    return this.#queue[0];
  }

  /** Takes the next unit (the caller owns its buffer: give it back to `pool`). */
  take(): DecodedUnit | undefined {
    const unit = this.#queue.shift();
    if (this.#paused && this.#queue.length < this.#maxQueue) {
      this.#paused = false;
      this.#proc.stdout.resume();
    }
    return unit;
  }

  /** ffmpeg has written everything (or failed) and the queue is empty. */
  get drained(): boolean {
    return this.#eof && this.#queue.length === 0;
  }

  /** ffmpeg's message when it failed (exit status other than 0). */
  get failure(): string | undefined {
    return this.#failure;
  }

  /** The ffmpeg process id while it runs. */
  get pid(): number | undefined {
    return this.#proc.running ? this.#proc.pid : undefined;
  }

  /** Resolves once ffmpeg has exited and been reaped. */
  get exited(): Promise<unknown> {
    return this.#proc.exited;
  }

  /** Kills ffmpeg (it may be blocked on the paused pipe: let it write, the bytes are dropped). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const unit of this.#queue.splice(0)) this.pool.give(unit.data);
    this.#proc.stdout.resume();
    void this.#proc.kill();
  }
}
