/**
 * The V4L2 backend: the cameras of a Linux machine (/dev/videoN), listed from sysfs and
 * `v4l2-ctl -D --list-formats-ext` (v4l-utils), captured with ffmpeg's v4l2 input as I420.
 *
 * A node is a camera when its device capabilities include "Video Capture" and it offers a size
 * in a pixel format ffmpeg reads (formats.ts). UVC cameras also create a metadata node (sysfs
 * index 1, "Metadata Capture"): it is left out. facingMode is not known on Linux and is omitted.
 *
 * A camera another program holds fails to open: ffmpeg says "Device or resource busy", and
 * getUserMedia rejects with NotReadableError.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { DeviceDescriptor, VideoMode } from '../../media/modes.js';
import type { Clock } from '../../media/clock/index.js';
import { notReadable } from '../../platform/errors.js';
import { FfmpegSource } from '../common/ffmpeg-source.js';
import { runProgram } from '../common/process.js';
import type { DeviceProvider, OpenRequest } from '../provider.js';
import { FFMPEG_INPUT_FORMATS, parseV4l2Info, videoModesOf } from './formats.js';
import { listVideoNodes, type VideoNode } from '../common/sysfs.js';
import { OpenSources } from '../common/open-sources.js';
import { WatchedList } from '../common/watched-list.js';
import { clearTimeout, setTimeout } from '../../platform/timers.js';

export interface V4l2ProviderOptions {
  /** Where sysfs is mounted. Default "/sys" (tests point it at a fake tree). */
  readonly sysRoot?: string;
  /** Where the device nodes are. Default "/dev". */
  readonly devRoot?: string;
  /** What the node says about itself: v4l2-ctl's `-D --list-formats-ext` text. Default: runs v4l2-ctl. */
  readonly queryDevice?: (path: string) => Promise<string>;
  /**
   * The ffmpeg input arguments that capture a node in a mode. Default {@link v4l2Input}. Tests
   * replace the camera with a stream of the same shape (e.g. an MJPEG file read with `-re`).
   */
  readonly captureInput?: (node: string, mode: VideoMode) => string[];
  readonly clock?: Clock;
  /** How long opening waits for the first frame. Default 10 000 ms (cameras can take a second to start). */
  readonly startTimeoutMs?: number;
}

/** The ffmpeg input arguments that capture `path` at `mode` (whose pixelFormat is a V4L2 FourCC). */
export function v4l2Input(path: string, mode: VideoMode): string[] {
  const format = FFMPEG_INPUT_FORMATS.get(mode.pixelFormat ?? '');
  return [
    '-f', 'v4l2',
    ...(format ? ['-input_format', format] : []),
    '-video_size', `${mode.width}x${mode.height}`,
    '-framerate', String(mode.frameRate),
    '-i', path,
  ];
}

/** Runs `v4l2-ctl -d PATH -D --list-formats-ext`. */
export async function queryWithV4l2Ctl(path: string): Promise<string> {
  const { stdout } = await runProgram('v4l2-ctl', ['-d', path, '-D', '--list-formats-ext'], { timeoutMs: 5000, debianPackage: 'v4l-utils' });
  return stdout.toString('utf8');
}

/** Cameras from /dev/video*. */
export class V4l2Provider implements DeviceProvider {
  readonly name = 'v4l2';
  readonly #options: V4l2ProviderOptions;
  /** What each node said, by path and its sysfs identity (a replugged camera is asked again). */
  readonly #cache = new Map<string, { identity: string; modes: VideoMode[]; capture: boolean }>();
  readonly #listeners = new Set<() => void>();
  readonly #sources = new OpenSources<FfmpegSource>();
  #watcher: FSWatcher | undefined;
  #debounce: NodeJS.Timeout | undefined;
  /** Changes with every video node event in /dev and whenever the watcher starts or stops. */
  #version = 0;
  readonly #known = new WatchedList<{ cameras: DeviceDescriptor[]; complete: boolean }>(() => (this.#watcher ? this.#version : undefined));

  constructor(options: V4l2ProviderOptions = {}) {
    this.#options = options;
  }

  async enumerate(): Promise<readonly DeviceDescriptor[]> {
    return (await this.#list()).cameras;
  }

  /**
   * The cameras, listed again only after a video node came or went in /dev since the last listing
   * (inotify, while watch() has listeners), or when a node could not be asked (busy: ask again).
   */
  async knownDevices(): Promise<readonly DeviceDescriptor[]> {
    return (await this.#known.get(() => this.#list(), (list) => list.complete)).cameras;
  }

  async #list(): Promise<{ cameras: DeviceDescriptor[]; complete: boolean }> {
    const nodes = await listVideoNodes(this.#options.sysRoot, this.#options.devRoot);
    const described = await Promise.all(nodes.map(async (node) => ({ node, ...(await this.#describe(node)) })));
    const cameras = described.filter((d) => d.capture && d.modes.length > 0);
    return {
      cameras: cameras.map(({ node, modes }, i): DeviceDescriptor => ({
        rawId: node.path,
        kind: 'videoinput',
        label: node.name,
        groupKey: node.groupKey,
        videoModes: modes,
        isDefault: i === 0,
      })),
      complete: described.every((d) => !d.unanswered),
    };
  }

  /** Watches /dev for video nodes coming and going (hot-plug). */
  watch(listener: () => void): () => void {
    this.#listeners.add(listener);
    if (!this.#watcher) {
      try {
        this.#watcher = watch(this.#options.devRoot ?? '/dev', { persistent: false }, (_event, file) => {
          if (file && !String(file).startsWith('video')) return;
          this.#version++;
          clearTimeout(this.#debounce);
          this.#debounce = setTimeout(() => {
            for (const l of [...this.#listeners]) l();
          }, 100);
          this.#debounce.unref();
        });
        this.#version++;
        this.#watcher.on('error', () => this.#stopWatching());
      } catch {
        // No /dev to watch: hot-plug is not seen, enumeration still is.
      }
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stopWatching();
    };
  }

  async open(device: DeviceDescriptor, request: OpenRequest): Promise<FfmpegSource> {
    const mode = request.mode as VideoMode;
    if (!('width' in mode)) throw notReadable(`Camera ${device.rawId} was asked for an audio mode.`);
    const captureInput = this.#options.captureInput ?? v4l2Input;
    const source = new FfmpegSource(device, mode, {
      // A function of the mode: applyConstraints can restart capture in another native mode.
      input: (m) => captureInput(device.rawId, m as VideoMode),
      what: `camera "${device.label}" (${device.rawId})`,
      pacing: 'live',
      ...(this.#options.clock ? { clock: this.#options.clock } : {}),
      ...(this.#options.startTimeoutMs ? { startTimeoutMs: this.#options.startTimeoutMs } : {}),
    });
    await source.start();
    this.#sources.add(source);
    return source;
  }

  /** The cameras capturing now. */
  get openSources(): readonly FfmpegSource[] {
    return this.#sources.list;
  }

  close(): void {
    this.#listeners.clear();
    this.#stopWatching();
  }

  #stopWatching(): void {
    this.#version++;
    this.#watcher?.close();
    this.#watcher = undefined;
    clearTimeout(this.#debounce);
  }

  async #describe(node: VideoNode): Promise<{ modes: VideoMode[]; capture: boolean; unanswered?: true }> {
    const identity = `${node.sysfsPath ?? ''}|${node.name}|${node.index}`;
    const cached = this.#cache.get(node.path);
    if (cached && cached.identity === identity) return cached;
    let text: string;
    try {
      text = await (this.#options.queryDevice ?? queryWithV4l2Ctl)(node.path);
    } catch {
      return { modes: [], capture: false, unanswered: true }; // busy or gone: asked again next time
    }
    const info = parseV4l2Info(text);
    // Without a Driver Info section (an older v4l2-ctl), the formats alone decide.
    const capture = info.deviceCaps.length === 0 || info.deviceCaps.includes('Video Capture');
    const entry = { identity, modes: capture ? videoModesOf(info) : [], capture };
    this.#cache.set(node.path, entry);
    return entry;
  }
}
