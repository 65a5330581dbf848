/**
 * A media file as a media element's resource (`src`): probed with ffprobe (duration, size,
 * streams), decoded by ffmpeg from the playback position ({@link FileDecoder}, one process per
 * stream), and shown frame by frame when the element's media clock reaches each frame's time.
 *
 * URLs: `file:` (a path; a relative `src` resolves against a document at a file: URL), `http:`
 * and `https:` (fetched with the window's fetch, else Node's, into a temporary file), and `blob:` URLs made by Node's `URL.createObjectURL` (as
 * happy-dom's is; the blob is written to a temporary file, removed when the element lets go).
 *
 * Processes: decoders run while the timeline advances, and after a load or seek until the frame
 * at the position is shown. A paused element holds no process, so one paused and dropped leaks
 * nothing; a reset (load, src change) or the installation's uninstall kills them.
 */
import { resolveObjectURL } from 'node:buffer';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUDIO_CHUNK_MS } from '../../backends/common/ffmpeg-source.js';
import { probeFile, type ProbedFile } from '../../backends/file/probe.js';
import type { ClockHandle } from '../../media/clock/index.js';
import { REC601_COLOR_SPACE, audioDataFromBuffer, videoFrameFromPlanes } from '../../webcodecs/internal.js';
import { FileDecoder, type DecodedUnit } from './file-decoder.js';
import type { MediaProvider, ProviderHost } from './provider.js';

/** The part of `fetch` the provider uses. */
export type Fetch = (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

export class FileProvider implements MediaProvider {
  readonly kind = 'url';
  readonly #url: URL;
  readonly #host: ProviderHost;
  #input: string | undefined;
  #tempDir: string | undefined;
  #info: ProbedFile | undefined;
  #video: FileDecoder | undefined;
  #audio: FileDecoder | undefined;
  #timer: ClockHandle | undefined;
  #advancing = false;
  /** Resolves a pending seek once the frame at the new position is shown. */
  #shown: (() => void) | undefined;
  #firstShown = false;
  #enough = false;
  /** Playback waits for the decoder (the element is at HAVE_CURRENT_DATA). */
  #stalled = false;
  #closed = false;

  readonly #isVideo: boolean;
  readonly #fetch: Fetch;

  /**
   * `isVideo`: a `<video>` (an `<audio>` does not render, so does not decode, a file's video).
   * `fetch`: how http(s) URLs are fetched (the window's fetch, else Node's).
   */
  constructor(url: URL, host: ProviderHost, isVideo: boolean, fetch: Fetch) {
    this.#url = url;
    this.#host = host;
    this.#isVideo = isVideo;
    this.#fetch = fetch;
  }

  /** The decoders running now (for tests: their ffmpeg pids). */
  get decoders(): readonly FileDecoder[] {
    return [this.#video, this.#audio].filter((d): d is FileDecoder => d !== undefined);
  }

  start(): void {
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.#input = await this.#inputOf(this.#url);
    } catch (e) {
      return this.#host.failed((e as Error).message, 'src-not-supported');
    }
    if (this.#closed) return this.#removeTemp();
    let info: ProbedFile;
    try {
      info = await probeFile(this.#input);
    } catch (e) {
      if (!this.#closed) this.#host.failed(`ffprobe cannot read ${this.#url.href}: ${(e as Error).message.trim()}`, 'src-not-supported');
      return;
    }
    if (this.#closed) return;
    if (!info.video && !info.audio) return this.#host.failed(`${this.#url.href} has no audio or video stream.`, 'src-not-supported');
    // An <audio> plays a file's audio only (one without audio still paces on its video).
    if (!this.#isVideo && info.audio && info.video) info = { format: info.format, audio: info.audio, ...(info.duration !== undefined ? { duration: info.duration } : {}) };
    this.#info = info;
    this.#host.metadata({
      duration: info.duration ?? Infinity,
      hasVideo: info.video !== undefined,
      hasAudio: info.audio !== undefined,
      ...(info.video ? { width: info.video.width, height: info.video.height } : {}),
    });
    this.#startDecoders(0);
  }

  async #inputOf(url: URL): Promise<string> {
    if (url.protocol === 'file:') return fileURLToPath(url);
    let bytes: Uint8Array;
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      // Fetched as the document fetches (the window's fetch where it has one: a test harness may
      // serve its pages itself), then played from a temporary file (ffmpeg seeks in it).
      const response = await this.#fetch(url.href);
      if (!response.ok) throw new Error(`Fetching ${url.href} failed: HTTP ${response.status}.`);
      bytes = new Uint8Array(await response.arrayBuffer());
    } else if (url.protocol === 'blob:') {
      const blob = resolveObjectURL(url.href);
      if (!blob) throw new Error(`${url.href} is not a blob URL of this process (make it with URL.createObjectURL(blob), or it was revoked).`);
      bytes = new Uint8Array(await blob.arrayBuffer());
    } else throw new Error(`The ${url.protocol} scheme is not supported (use a file:, http:, https: or blob: URL).`);
    this.#tempDir = await mkdtemp(join(tmpdir(), 'mediacapture-media-'));
    const path = join(this.#tempDir, 'media');
    await writeFile(path, bytes);
    return path;
  }

  #startDecoders(position: number): void {
    this.#stopDecoders();
    const info = this.#info!;
    const input = this.#input!;
    this.#firstShown = false;
    if (info.video) {
      const mode = { width: info.video.width, height: info.video.height, frameRate: info.video.frameRate };
      this.#video = new FileDecoder(input, mode, position, () => this.#ready());
    }
    if (info.audio) {
      const mode = { sampleRate: info.audio.sampleRate, channelCount: info.audio.channelCount, sampleSize: 32, latency: AUDIO_CHUNK_MS / 1000 };
      this.#audio = new FileDecoder(input, mode, position, () => this.#ready());
    }
  }

  #stopDecoders(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#video?.close();
    this.#audio?.close();
    this.#video = undefined;
    this.#audio = undefined;
  }

  /** A decoder has a unit (or ended): show the first frame, and keep the schedule going. */
  #ready(): void {
    if (this.#closed) return;
    const failed = this.#video?.failure ?? this.#audio?.failure;
    if (failed && !this.#firstShown) return this.#host.failed(`ffmpeg cannot decode ${this.#url.href}: ${failed}`, 'decode');
    if (!this.#firstShown) {
      // The frame at the position (a file with audio only: its first chunk).
      const video = this.#video;
      if (video) {
        if (!video.peek() && !video.drained) return;
        const unit = video.take();
        if (unit) this.#host.frame(this.#frameOf(video, unit));
      } else if (!this.#audio?.peek() && !this.#audio?.drained) return;
      this.#firstShown = true;
      if (!this.#enough) {
        this.#enough = true;
        this.#host.enoughData();
      }
      this.#shown?.();
      this.#shown = undefined;
      // A paused element needs no decoder once its frame is shown.
      if (!this.#advancing) this.#stopDecoders();
    }
    if (this.#stalled && !this.#starved()) {
      this.#stalled = false;
      this.#host.enoughData();
    }
    this.#schedule();
  }

  /** The decoder that paces playback (video, else audio) has nothing ready yet, and more to come. */
  #starved(): boolean {
    const pacing = this.#video ?? this.#audio;
    return pacing !== undefined && !pacing.peek() && !pacing.drained;
  }

  advancingChanged(advancing: boolean): void {
    this.#advancing = advancing;
    if (this.#closed || !this.#info) return;
    if (!advancing) {
      // Waiting for the decoder is no pause: keep it.
      if (this.#firstShown && !this.#stalled) this.#stopDecoders();
      return;
    }
    if (!this.#video && !this.#audio) {
      // Resume where the timeline is; the frame there is shown again when it comes.
      this.#startDecoders(this.#host.position());
      this.#firstShown = true;
    }
    this.#schedule();
  }

  rateChanged(): void {
    this.#schedule();
  }

  seek(position: number): Promise<void> {
    if (this.#closed || !this.#info) return Promise.resolve();
    this.#shown?.();
    const shown = new Promise<void>((resolve) => (this.#shown = resolve));
    this.#startDecoders(position);
    return shown;
  }

  /** Sets the timer for the next unit due, on the media clock. */
  #schedule(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    if (!this.#advancing || this.#closed) return;
    if (this.#starved()) {
      // The HTML "waiting" case: when the next frame's time comes without a frame, playback
      // waits (readyState HAVE_CURRENT_DATA) until the decoder catches up, rather than skipping.
      const pacing = (this.#video ?? this.#audio)!;
      const at = this.#host.clockTimeOf(Math.max(pacing.nextTime, this.#host.position()));
      if (at === undefined) return;
      this.#timer = this.#host.clock.setTimer(at, () => {
        this.#timer = undefined;
        if (!this.#starved()) return this.#schedule();
        this.#stalled = true;
        this.#host.stalled();
      });
      return;
    }
    const next = [this.#video?.peek(), this.#audio?.peek()].filter((u): u is DecodedUnit => u !== undefined);
    if (next.length === 0) return;
    const time = Math.min(...next.map((u) => u.time));
    const at = this.#host.clockTimeOf(time);
    if (at === undefined) return;
    this.#timer = this.#host.clock.setTimer(at, () => {
      this.#timer = undefined;
      this.#presentDue();
      this.#schedule();
    });
  }

  /** Shows the latest frame whose time has come (earlier ones are dropped) and plays the audio due. */
  #presentDue(): void {
    const position = this.#host.position() + 1e-6;
    const video = this.#video;
    if (video) {
      let due: DecodedUnit | undefined;
      let skipped = 0;
      while (video.peek() && video.peek()!.time <= position) {
        if (due) {
          video.pool.give(due.data);
          skipped++;
        }
        due = video.take();
      }
      if (skipped) this.#host.droppedFrames(skipped);
      if (due) this.#host.frame(this.#frameOf(video, due));
    }
    const audio = this.#audio;
    if (audio) {
      while (audio.peek() && audio.peek()!.time <= position) this.#host.audio(this.#audioOf(audio, audio.take()!));
    }
    // A file whose duration ffprobe did not know ends when its decoders have nothing left.
    if (this.#info?.duration === undefined && (this.#video?.drained ?? true) && (this.#audio?.drained ?? true)) this.#host.endOfMedia();
  }

  #frameOf(decoder: FileDecoder, unit: DecodedUnit) {
    const mode = decoder.mode as { width: number; height: number; frameRate: number };
    return videoFrameFromPlanes({
      format: 'I420',
      codedWidth: mode.width,
      codedHeight: mode.height,
      timestamp: Math.round(unit.time * 1e6),
      duration: Math.round(1e6 / mode.frameRate),
      data: unit.data,
      colorSpace: REC601_COLOR_SPACE,
      release: decoder.pool.give,
    });
  }

  #audioOf(decoder: FileDecoder, unit: DecodedUnit) {
    const mode = decoder.mode as { sampleRate: number; channelCount: number };
    const channels = mode.channelCount;
    const frames = unit.data.byteLength / 4 / channels;
    // f32le is interleaved; AudioData here is f32-planar.
    const planar = new Float32Array(frames * channels);
    const src = new Float32Array(unit.data.buffer, unit.data.byteOffset, frames * channels);
    for (let c = 0; c < channels; c++) for (let i = 0; i < frames; i++) planar[c * frames + i] = src[i * channels + c]!;
    decoder.pool.give(unit.data);
    return audioDataFromBuffer({
      format: 'f32-planar',
      sampleRate: mode.sampleRate,
      numberOfFrames: frames,
      numberOfChannels: channels,
      timestamp: Math.round(unit.time * 1e6),
      data: new Uint8Array(planar.buffer),
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopDecoders();
    this.#shown?.();
    this.#shown = undefined;
    this.#removeTemp();
  }

  #removeTemp(): void {
    if (this.#tempDir) void rm(this.#tempDir, { recursive: true, force: true });
    this.#tempDir = undefined;
  }
}
