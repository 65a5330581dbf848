/**
 * What `v4l2-ctl -d /dev/videoN -D --list-formats-ext` (v4l-utils) prints about a camera, read
 * into data (pure functions; see test/fixtures/v4l2/ for real-shaped outputs), and the native
 * modes a camera gets from it.
 *
 * The shape, as v4l-utils 1.22 prints it (tabs at the start of lines):
 *
 * ```
 * Driver Info:
 * 	Driver name      : uvcvideo
 * 	Card type        : HD Pro Webcam C920
 * 	Device Caps      : 0x04200001
 * 		Video Capture
 * 		Streaming
 * ioctl: VIDIOC_ENUM_FMT
 * 	Type: Video Capture
 *
 * 	[0]: 'YUYV' (YUYV 4:2:2)
 * 		Size: Discrete 640x480
 * 			Interval: Discrete 0.033s (30.000 fps)
 * 	[1]: 'MJPG' (Motion-JPEG, compressed)
 * 		Size: Stepwise 32x32 - 2592x1944 with step 2/2
 * ```
 *
 * Frame intervals are listed only under discrete sizes; they may be "Discrete 0.033s (30.000
 * fps)", "Continuous 0.033s - 1.000s (1.000-30.000 fps)" or "Stepwise 0.033s - 1.000s with step
 * 0.033s (1.000-30.000 fps)".
 */
import type { VideoMode } from '../../media/modes.js';

export type V4l2Interval =
  | { readonly type: 'discrete'; readonly fps: number }
  | { readonly type: 'continuous' | 'stepwise'; readonly minFps: number; readonly maxFps: number };

export type V4l2Size =
  | { readonly type: 'discrete'; readonly width: number; readonly height: number; readonly intervals: V4l2Interval[] }
  | {
      readonly type: 'continuous' | 'stepwise';
      readonly minWidth: number;
      readonly minHeight: number;
      readonly maxWidth: number;
      readonly maxHeight: number;
      readonly stepWidth: number;
      readonly stepHeight: number;
    };

export interface V4l2Format {
  /** The FourCC, e.g. "YUYV", "MJPG", "NV12". */
  readonly fourcc: string;
  readonly description: string;
  /** Flagged ", compressed" (MJPG, H264, …). */
  readonly compressed: boolean;
  readonly sizes: V4l2Size[];
}

export interface V4l2DeviceInfo {
  readonly driverName?: string;
  readonly cardType?: string;
  readonly busInfo?: string;
  /** The capability names listed under "Device Caps" (what this node can do), e.g. ["Video Capture", "Streaming"]. */
  readonly deviceCaps: string[];
  /** "Video Capture", "Video Capture Multiplanar", … from the "Type:" line. */
  readonly bufferType?: string;
  readonly formats: V4l2Format[];
}

const FPS = String.raw`\(([\d.]+)(?:-([\d.]+))? fps\)`;

/** Parses v4l2-ctl's `-D` and `--list-formats-ext` output (either or both). */
export function parseV4l2Info(text: string): V4l2DeviceInfo {
  const info: { -readonly [K in keyof V4l2DeviceInfo]: V4l2DeviceInfo[K] } = { deviceCaps: [], formats: [] };
  let format: V4l2Format | undefined;
  let size: V4l2Size | undefined;
  let capsList: string[] | undefined;
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    let m: RegExpExecArray | null;
    if (!raw.startsWith('\t') && !raw.startsWith(' ')) {
      // A section heading: "Driver Info:", "ioctl: VIDIOC_ENUM_FMT", "Media Driver Info:", …
      section = line;
      capsList = undefined;
      continue;
    }
    if (section.startsWith('Driver Info')) {
      if ((m = /^([A-Za-z ]+?)\s*: (.*)$/.exec(line))) {
        const [, key, value] = m;
        capsList = key === 'Device Caps' ? info.deviceCaps : key === 'Capabilities' ? [] : undefined;
        if (key === 'Driver name') info.driverName = value!.trim();
        else if (key === 'Card type') info.cardType = value!.trim();
        else if (key === 'Bus info') info.busInfo = value!.trim();
      } else capsList?.push(line);
      continue;
    }
    if (!section.startsWith('ioctl: VIDIOC_ENUM_FMT')) continue;
    if ((m = /^Type: (.*)$/.exec(line))) {
      info.bufferType = m[1]!.trim();
    } else if ((m = /^\[\d+\]: '([^']+)' \((.*)\)$/.exec(line))) {
      const flags = m[2]!.split(', ');
      format = { fourcc: m[1]!.trim(), description: flags[0]!, compressed: flags.slice(1).includes('compressed'), sizes: [] };
      info.formats.push(format);
      size = undefined;
    } else if ((m = /^Size: Discrete (\d+)x(\d+)$/.exec(line)) && format) {
      size = { type: 'discrete', width: Number(m[1]), height: Number(m[2]), intervals: [] };
      format.sizes.push(size);
    } else if ((m = /^Size: (Stepwise|Continuous) (\d+)x(\d+) - (\d+)x(\d+)(?: with step (\d+)\/(\d+))?$/.exec(line)) && format) {
      size = {
        type: m[1] === 'Stepwise' ? 'stepwise' : 'continuous',
        minWidth: Number(m[2]),
        minHeight: Number(m[3]),
        maxWidth: Number(m[4]),
        maxHeight: Number(m[5]),
        stepWidth: Number(m[6] ?? 1),
        stepHeight: Number(m[7] ?? 1),
      };
      format.sizes.push(size);
    } else if ((m = new RegExp(`^Interval: Discrete [\\d.]+s ${FPS}$`).exec(line)) && size?.type === 'discrete') {
      size.intervals.push({ type: 'discrete', fps: Number(m[1]) });
    } else if ((m = new RegExp(`^Interval: (Stepwise|Continuous) .* ${FPS}$`).exec(line)) && size?.type === 'discrete') {
      // "(1.000-30.000 fps)": the lowest rate first.
      const a = Number(m[2]);
      const b = Number(m[3] ?? m[2]);
      size.intervals.push({ type: m[1] === 'Stepwise' ? 'stepwise' : 'continuous', minFps: Math.min(a, b), maxFps: Math.max(a, b) });
    }
  }
  return info;
}

/**
 * The pixel formats ffmpeg's v4l2 input can read (its `-input_format` name), most preferred
 * first: uncompressed formats before MJPEG (no decoding, no artefacts), as Chromium prefers them.
 * H.264 and other formats are left out.
 */
export const FFMPEG_INPUT_FORMATS: ReadonlyMap<string, string> = new Map([
  ['NV12', 'nv12'],
  ['YU12', 'yuv420p'],
  ['YUYV', 'yuyv422'],
  ['UYVY', 'uyvy422'],
  ['NV21', 'nv21'],
  ['RGB3', 'rgb24'],
  ['BGR3', 'bgr24'],
  ['GREY', 'gray'],
  ['MJPG', 'mjpeg'],
  ['JPEG', 'mjpeg'],
]);

/** Sizes offered from a stepwise or continuous range: the common ones that fit, and the largest. */
const COMMON_SIZES: readonly [number, number][] = [
  [160, 120], [320, 240], [640, 360], [640, 480], [1280, 720], [1920, 1080], [2560, 1440], [3840, 2160],
];

/** Frame rate assumed for sizes whose intervals v4l2-ctl does not list (stepwise sizes). */
export const ASSUMED_FRAME_RATE = 30;

/**
 * The native modes of a camera: one per distinct size and frame rate, read in the most preferred
 * pixel format that offers it (`pixelFormat` is the FourCC). Formats ffmpeg cannot read, and
 * multiplanar devices (ffmpeg's v4l2 input reads single-planar buffers only), give none.
 */
export function videoModesOf(info: V4l2DeviceInfo): VideoMode[] {
  if (info.bufferType !== undefined && info.bufferType !== 'Video Capture') return [];
  const rank = [...FFMPEG_INPUT_FORMATS.keys()];
  const formats = info.formats.filter((f) => FFMPEG_INPUT_FORMATS.has(f.fourcc)).sort((a, b) => rank.indexOf(a.fourcc) - rank.indexOf(b.fourcc));
  const modes = new Map<string, VideoMode>();
  for (const format of formats) {
    for (const size of format.sizes) {
      for (const [width, height, frameRate] of sizeModes(size)) {
        const key = `${width}x${height}@${frameRate}`;
        if (!modes.has(key)) modes.set(key, { width, height, frameRate, pixelFormat: format.fourcc });
      }
    }
  }
  // Largest first, then fastest: the device's own best mode is its first.
  return [...modes.values()].sort((a, b) => b.width * b.height - a.width * a.height || b.frameRate - a.frameRate);
}

function sizeModes(size: V4l2Size): [number, number, number][] {
  if (size.type === 'discrete') {
    const rates = new Set<number>();
    for (const i of size.intervals) {
      if (i.type === 'discrete') rates.add(i.fps);
      else {
        rates.add(i.maxFps);
        if (i.minFps < ASSUMED_FRAME_RATE && ASSUMED_FRAME_RATE < i.maxFps) rates.add(ASSUMED_FRAME_RATE);
      }
    }
    if (rates.size === 0) rates.add(ASSUMED_FRAME_RATE);
    return [...rates].filter((r) => r > 0).map((r) => [size.width, size.height, r]);
  }
  const fits = (w: number, h: number) =>
    w >= size.minWidth && w <= size.maxWidth && h >= size.minHeight && h <= size.maxHeight &&
    (w - size.minWidth) % size.stepWidth === 0 && (h - size.minHeight) % size.stepHeight === 0;
  const sizes = COMMON_SIZES.filter(([w, h]) => fits(w, h));
  if (!sizes.some(([w, h]) => w === size.maxWidth && h === size.maxHeight)) sizes.push([size.maxWidth, size.maxHeight]);
  return sizes.map(([w, h]) => [w, h, ASSUMED_FRAME_RATE]);
}
