/**
 * Media files as devices, like Chromium's `--use-file-for-fake-video-capture` and
 * `--use-file-for-fake-audio-capture`: each configured file that ffmpeg can read (Y4M, WAV, MP4,
 * WebM, MJPEG, …) is a camera if it has a video stream and a microphone if it has an audio
 * stream, both in one group. The native mode is the file's own: its size and frame rate, its
 * sample rate and channel count (ffprobe). The file plays in a loop, forever, paced by the clock.
 */
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Clock } from '../../media/clock/index.js';
import type { AudioMode, DeviceDescriptor, VideoMode } from '../../media/modes.js';
import { notReadable } from '../../platform/errors.js';
import type { DeviceProvider, OpenRequest } from '../provider.js';
import { AUDIO_CHUNK_MS, FfmpegSource } from '../common/ffmpeg-source.js';
import { probeFile, type ProbedFile } from './probe.js';
import { OpenSources } from '../common/open-sources.js';

/** One file to expose as devices. */
export interface FileDeviceConfig {
  /** Any file ffmpeg can read. Relative paths are resolved against the working directory. */
  readonly path: string;
  /** Label of its devices. Default: "File camera (NAME)" / "File microphone (NAME)". */
  readonly label?: string;
  /** Expose its video stream as a camera. Default true (when it has one). */
  readonly video?: boolean;
  /** Expose its audio stream as a microphone. Default true (when it has one). */
  readonly audio?: boolean;
}

export interface FileProviderOptions {
  /** The clock that paces playback and stamps the frames. Default: a RealClock. */
  readonly clock?: Clock;
  /** How long opening waits for the first decoded frame. Default 10 000 ms. */
  readonly startTimeoutMs?: number;
}

interface Probed {
  readonly mtimeMs: number;
  readonly info: ProbedFile;
}

/** The file backend: a DeviceProvider named "file". */
export class FileProvider implements DeviceProvider {
  readonly name = 'file';
  readonly files: readonly FileDeviceConfig[];
  readonly #options: FileProviderOptions;
  readonly #probed = new Map<string, Probed>();
  readonly #sources = new OpenSources<FfmpegSource>();
  readonly #listeners = new Set<() => void>();

  constructor(files: readonly (string | FileDeviceConfig)[], options: FileProviderOptions = {}) {
    this.files = files.map((f) => {
      const config = typeof f === 'string' ? { path: f } : f;
      return { ...config, path: resolve(config.path) };
    });
    this.#options = options;
  }

  /**
   * The devices of the files that can be read now. A file that is missing or not media has no
   * devices (it is probed again on the next call, and re-probed when it changes).
   */
  async enumerate(): Promise<readonly DeviceDescriptor[]> {
    const lists = await Promise.all(this.files.map(async (file) => this.#descriptors(file, await this.#probe(file.path))));
    return lists.flat();
  }

  /** Files do not come and go by themselves; call `rescan()` after changing them. */
  watch(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells watchers that the files may have changed (a devicechange follows if what script sees changed). */
  rescan(): void {
    this.#probed.clear();
    for (const l of [...this.#listeners]) l();
  }

  async open(device: DeviceDescriptor, request: OpenRequest): Promise<FfmpegSource> {
    const path = device.rawId.slice(0, device.rawId.lastIndexOf('#'));
    if (!this.files.some((f) => f.path === path)) throw notReadable(`No file device "${device.rawId}" is configured.`);
    const source = new FfmpegSource(device, request.mode, {
      // Loop forever; decode as fast as the queue drains (no -re: the clock paces).
      input: ['-stream_loop', '-1', '-i', path],
      what: `file "${path}"`,
      pacing: 'paced',
      ...(this.#options.clock ? { clock: this.#options.clock } : {}),
      ...(this.#options.startTimeoutMs ? { startTimeoutMs: this.#options.startTimeoutMs } : {}),
    });
    await source.start();
    this.#sources.add(source);
    return source;
  }

  /** The sources playing now. */
  get openSources(): readonly FfmpegSource[] {
    return this.#sources.list;
  }

  close(): void {
    this.#listeners.clear();
  }

  async #probe(path: string): Promise<ProbedFile | undefined> {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(path)).mtimeMs;
    } catch {
      return undefined;
    }
    const cached = this.#probed.get(path);
    if (cached && cached.mtimeMs === mtimeMs) return cached.info;
    try {
      const info = await probeFile(path);
      this.#probed.set(path, { mtimeMs, info });
      return info;
    } catch {
      return undefined;
    }
  }

  #descriptors(file: FileDeviceConfig, info: ProbedFile | undefined): DeviceDescriptor[] {
    if (!info) return [];
    const name = basename(file.path);
    const out: DeviceDescriptor[] = [];
    if (info.video && file.video !== false) {
      const mode: VideoMode = { width: info.video.width, height: info.video.height, frameRate: info.video.frameRate, pixelFormat: 'I420' };
      out.push({ rawId: `${file.path}#video`, kind: 'videoinput', label: file.label ?? `File camera (${name})`, groupKey: `file:${file.path}`, videoModes: [mode] });
    }
    if (info.audio && file.audio !== false) {
      const mode: AudioMode = { sampleRate: info.audio.sampleRate, channelCount: info.audio.channelCount, sampleSize: info.audio.sampleSize, latency: AUDIO_CHUNK_MS / 1000 };
      out.push({
        rawId: `${file.path}#audio`,
        kind: 'audioinput',
        label: file.label ?? `File microphone (${name})`,
        groupKey: `file:${file.path}`,
        audioModes: [mode],
        echoCancellation: [false],
        autoGainControl: [false],
        noiseSuppression: [false],
      });
    }
    return out;
  }
}
