/**
 * `mediacapture snapshot out.png|out.jpg [--width N] [--height N] [--device ID] [--screen]`: one
 * frame from a camera or the screen, as MDN's "Taking still photos with getUserMedia()" does it
 * (a video track, one frame drawn and saved), written as PNG (our encoder) or JPEG (ffmpeg).
 */
import { stat, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { positiveIntegerOption, stringOption, type ParsedArgs } from './args.js';
import { getDisplayMedia, getUserMedia, nextFrame, resolveDeviceId } from './capture.js';
import { CliError, EXIT, usageError } from './exit.js';
import { requireFfmpeg, writeJpeg } from './ffmpeg.js';
import { formatBytes } from './format.js';
import type { CliIo } from './io.js';
import { encodePng } from './png.js';
import type { CliScope } from './scope.js';

/** What `snapshot` wrote. */
export interface SnapshotResult {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;
  readonly label: string;
}

function formatOf(path: string): 'png' | 'jpeg' {
  const ext = extname(path).toLowerCase();
  if (ext === '.png') return 'png';
  if (ext === '.jpg' || ext === '.jpeg') return 'jpeg';
  throw usageError(`The snapshot file must end in .png, .jpg or .jpeg (got "${path}").`);
}

export async function snapshotCommand(args: ParsedArgs, scope: CliScope, io: CliIo): Promise<void> {
  if (args.positionals.length !== 1) throw usageError(`'mediacapture snapshot' takes one file name, e.g. photo.png (got ${args.positionals.length}).`);
  const path = args.positionals[0]!;
  const format = formatOf(path);
  const width = positiveIntegerOption(args, 'width');
  const height = positiveIntegerOption(args, 'height');
  const device = stringOption(args, 'device');
  const screen = args.options.has('screen');
  if (screen && device !== undefined) throw usageError('--screen and --device cannot be combined: the screen is chosen in getDisplayMedia, not by id.');
  // Before any device opens: a JPEG needs ffmpeg.
  if (format === 'jpeg') await requireFfmpeg(io.env);

  let stream;
  if (screen) {
    // getDisplayMedia allows no min or exact (Screen Capture §5.1): ask for at most the size, ideally it.
    const size = (n: number | undefined) => (n === undefined ? undefined : { max: n, ideal: n });
    stream = await getDisplayMedia(scope, { video: { ...(width ? { width: size(width) } : {}), ...(height ? { height: size(height) } : {}) }, audio: false });
  } else {
    const video: Record<string, unknown> = {};
    if (width !== undefined) video.width = { exact: width };
    if (height !== undefined) video.height = { exact: height };
    if (device !== undefined) video.deviceId = { exact: await resolveDeviceId(scope, device, 'videoinput') };
    stream = await getUserMedia(scope, { video: Object.keys(video).length > 0 ? video : true }, { video: true });
  }
  const track = stream.getVideoTracks()[0];
  if (!track) throw new CliError(EXIT.failure, 'The stream has no video track.');
  let result: SnapshotResult;
  try {
    const frame = await nextFrame(track);
    try {
      // copyTo() converts the visible rectangle: that is the picture's size.
      const { width: w, height: h } = frame.visibleRect!;
      const rgba = new Uint8Array(frame.allocationSize({ format: 'RGBA' }));
      await frame.copyTo(rgba, { format: 'RGBA' });
      if (format === 'png') {
        const png = encodePng(rgba, w, h);
        await writeFile(path, png);
      } else {
        await writeJpeg(io.env, path, rgba, w, h);
      }
      const { size } = await stat(path);
      result = { path, width: w, height: h, bytes: size, label: track.label };
    } finally {
      frame.close();
    }
  } finally {
    track.stop();
  }
  io.out(`${result.path}: ${result.width}x${result.height} ${format.toUpperCase()}, ${formatBytes(result.bytes)}, from "${result.label}"`);
}
