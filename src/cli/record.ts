/**
 * `mediacapture record out.webm [--video[=JSON]] [--audio[=JSON]] [--screen] [--duration 10s]
 * [--mime TYPE]`: getUserMedia (and getDisplayMedia for --screen) into a MediaRecorder, the
 * recorder's `dataavailable` blobs appended to the file as they come (MediaStream Recording §7.2),
 * then rewritten with an index so that players can seek (ffmpeg.ts, makeSeekable).
 *
 * Stopping: after --duration, on Ctrl-C (SIGINT) or SIGTERM, or when every track has ended, the
 * recorder is stopped as the spec says: the last `dataavailable` comes before `stop`, and the file
 * is complete once `stop` has fired. A second Ctrl-C gives up at once (exit 130).
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import type { MediaStream } from '../interfaces/MediaStream.js';
import { parseDuration, stringOption, type ParsedArgs } from './args.js';
import { getDisplayMedia, getUserMedia } from './capture.js';
import { CliError, EXIT, badJson, fromMediaError, usageError } from './exit.js';
import { probeFfmpegAsync } from '../backends/ffmpeg/probe.js';
import { makeSeekable, requireFfmpeg } from './ffmpeg.js';
import { formatBytes, formatClock } from './format.js';
import type { CliIo } from './io.js';
import { RecordingMonitor, statusLine } from './progress.js';
import type { CliScope } from './scope.js';

type MediaRecorderClass = typeof import('../interfaces/MediaRecorder.js').MediaRecorder;
type Recorder = InstanceType<MediaRecorderClass>;

/**
 * MediaRecorder, loaded when a recording is asked for: it brings the ffmpeg encoder backend,
 * which the other commands do not need.
 */
async function loadMediaRecorder(): Promise<MediaRecorderClass> {
  return (await import('../interfaces/MediaRecorder.js')).MediaRecorder;
}

/** How often the recorder hands over data (ms): the file grows as the recording goes. */
const TIMESLICE_MS = 1000;

/** The mimeType a file name implies, for audio-only or audio+video recordings. */
export function mimeTypeForFile(path: string, hasVideo: boolean): string | undefined {
  switch (extname(path).toLowerCase()) {
    case '.webm':
      return hasVideo ? 'video/webm' : 'audio/webm';
    case '.mkv':
      return 'video/x-matroska';
    case '.mp4':
    case '.m4v':
      return 'video/mp4';
    case '.m4a':
      return 'audio/mp4';
    case '.ogg':
    case '.oga':
    case '.opus':
      return 'audio/ogg';
  }
  return undefined;
}

/** Types to suggest when the asked one is not supported. */
const SUGGESTIONS = [
  'video/webm;codecs=vp9,opus',
  'video/webm;codecs=vp8,opus',
  'video/webm',
  'video/x-matroska;codecs=h264,opus',
  'video/mp4;codecs=avc1,mp4a',
  'audio/webm;codecs=opus',
  'audio/ogg;codecs=opus',
];

function constraintsOption(args: ParsedArgs, name: 'video' | 'audio'): boolean | Record<string, unknown> {
  const value = args.options.get(name);
  if (value === undefined) return false;
  if (value === true) return true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    throw badJson(`--${name}`, value, e, `--${name}='{"${name === 'video' ? 'width' : 'channelCount'}":{"ideal":${name === 'video' ? 1280 : 2}}}'`);
  }
  if (typeof parsed === 'boolean') return parsed;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(EXIT.badConstraints, `--${name} must be MediaTrackConstraints, a JSON object such as {"width":1280} (got ${value}).`);
  }
  return parsed as Record<string, unknown>;
}

/** What `record` did. */
export interface RecordingSummary {
  readonly path: string;
  readonly mimeType: string;
  readonly durationMs: number;
  readonly bytes: number;
  readonly frames: number;
  readonly dropped: number;
  readonly stoppedBy: 'duration' | 'signal' | 'tracks ended' | 'error';
}

export async function recordCommand(args: ParsedArgs, scope: CliScope, io: CliIo): Promise<void> {
  if (args.positionals.length !== 1) throw usageError(`'mediacapture record' takes one output file, e.g. out.webm (got ${args.positionals.length}).`);
  const path = args.positionals[0]!;
  const screen = args.options.has('screen');
  let video = constraintsOption(args, 'video');
  let audio = constraintsOption(args, 'audio');
  if (screen && video !== false) throw usageError('--screen records the screen as the video: leave out --video (one video track per recording).');
  if (!screen && video === false && audio === false) {
    // Neither asked for: the camera and the microphone, as a page's "record me" button does.
    if (args.options.has('video') || args.options.has('audio')) throw usageError('Nothing to record: --video and --audio are both false.');
    video = true;
    audio = true;
  }
  const hasVideo = screen || video !== false;
  const durationText = stringOption(args, 'duration');
  if (args.options.get('duration') === true) throw usageError('--duration needs a value, e.g. --duration 10s.');
  const durationMs = durationText === undefined ? undefined : parseDuration(durationText);
  const mimeType = stringOption(args, 'mime') ?? mimeTypeForFile(path, hasVideo);
  if (mimeType === undefined) throw usageError(`Cannot tell the format from "${path}": name it .webm, .mkv, .mp4 or .ogg, or give --mime.`);

  // Before any device opens: the encoder and the format.
  await requireFfmpeg(io.env);
  // What ffmpeg can encode, found without blocking (isTypeSupported below is synchronous).
  await probeFfmpegAsync();
  const MediaRecorder = await loadMediaRecorder();
  if (!MediaRecorder.isTypeSupported(mimeType)) {
    const supported = SUGGESTIONS.filter((t) => MediaRecorder.isTypeSupported(t));
    throw new CliError(
      EXIT.notSupported,
      `This machine cannot record "${mimeType}" (MediaRecorder.isTypeSupported is false). ${supported.length > 0 ? `Try --mime "${supported[0]}" (supported here: ${supported.join(', ')})` : 'No format is supported: check that ffmpeg has libvpx and libopus'}.`,
    );
  }

  const stream = await openStream(scope, screen, video, audio);
  const tracks = stream.getTracks();
  let file: FileHandle | undefined;
  let monitor: RecordingMonitor | undefined;
  const removeSignals: (() => void)[] = [];
  try {
    let recorder: Recorder;
    try {
      recorder = new MediaRecorder(stream, { mimeType });
    } catch (e) {
      throw fromMediaError(e);
    }
    file = await open(path, 'w');
    monitor = new RecordingMonitor(tracks);
    const summary = await runRecording(recorder, file, monitor, io, { path, durationMs, hasVideo, hasAudio: stream.getAudioTracks().length > 0, removeSignals });
    io.status('');
    for (const t of tracks) t.stop();
    await file.close();
    file = undefined;
    // Written as it came, the file has no index: rewrite it with one so that players can seek.
    if (summary.bytes > 0 && !(await makeSeekable(io.env, path, summary.mimeType))) {
      if (/webm|matroska|mp4/i.test(summary.mimeType)) io.err(`note: ${path} plays, but could not be made seekable (ffmpeg's stream copy failed).`);
    }
    const dropped = hasVideo ? `, ${summary.frames} frames (${summary.dropped} dropped)` : '';
    const { size } = await stat(path);
    io.out(`${summary.path}: ${formatClock(summary.durationMs)} of ${summary.mimeType}${dropped}, ${formatBytes(size)} (stopped by ${summary.stoppedBy})`);
  } finally {
    for (const remove of removeSignals) remove();
    monitor?.close();
    for (const t of tracks) t.stop();
    await file?.close();
  }
}

async function openStream(scope: CliScope, screen: boolean, video: boolean | Record<string, unknown>, audio: boolean | Record<string, unknown>): Promise<MediaStream> {
  if (!screen) return getUserMedia(scope, { video, audio }, { video: video !== false, audio: audio !== false });
  const display = await getDisplayMedia(scope, { video: true, audio: false });
  if (audio === false) return display;
  try {
    const microphone = await getUserMedia(scope, { audio }, { audio: true });
    for (const t of microphone.getAudioTracks()) display.addTrack(t);
    return display;
  } catch (e) {
    for (const t of display.getTracks()) t.stop();
    throw e;
  }
}

interface RunOptions {
  readonly path: string;
  readonly durationMs: number | undefined;
  readonly hasVideo: boolean;
  readonly hasAudio: boolean;
  readonly removeSignals: (() => void)[];
}

/** Records until the duration, a signal, or the tracks' end; resolves once the file is complete. */
function runRecording(recorder: Recorder, file: FileHandle, monitor: RecordingMonitor, io: CliIo, options: RunOptions): Promise<RecordingSummary> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let writes: Promise<unknown> = Promise.resolve();
    let writeError: unknown;
    let recorderError: unknown;
    let stoppedBy: RecordingSummary['stoppedBy'] = 'tracks ended';
    let startedAt = 0;
    monitor.take();
    let ticker: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;

    // What the recording was when it was asked to stop: the recorder gathers nothing after that.
    let final: { at: number; stats: ReturnType<RecordingMonitor['take']> } | undefined;
    const stop = (by: RecordingSummary['stoppedBy']) => {
      if (recorder.state === 'inactive') return;
      stoppedBy = by;
      final ??= { at: performance.now(), stats: monitor.take() };
      recorder.stop();
    };

    recorder.addEventListener('dataavailable', (event) => {
      const data = (event as Event & { data: Blob }).data;
      if (!data || data.size === 0) return;
      // Blobs are written in the order they came: together they are the file.
      writes = writes.then(async () => {
        if (writeError) return;
        try {
          const buffer = new Uint8Array(await data.arrayBuffer());
          await file.write(buffer, 0, buffer.length);
          bytes += buffer.length;
        } catch (e) {
          writeError = e;
          stop('error');
        }
      });
    });
    recorder.addEventListener('error', (event) => {
      recorderError = (event as Event & { error?: unknown }).error ?? new Error('MediaRecorder reported an error.');
      stoppedBy = 'error';
    });
    recorder.addEventListener('stop', () => {
      clearInterval(ticker);
      clearTimeout(timer);
      // Stopped by itself (every track ended, or an error): it stopped gathering just now.
      final ??= { at: performance.now(), stats: monitor.take() };
      const durationMs = final.at - startedAt;
      const { frames, dropped } = final.stats;
      void writes.then(() => {
        if (writeError) return reject(new CliError(EXIT.failure, `Could not write ${options.path}: ${(writeError as Error).message}.`));
        if (recorderError) {
          const e = fromMediaError(recorderError);
          return reject(new CliError(e.exitCode, `The recording failed: ${e.message} What was recorded until then is in ${options.path}.`));
        }
        resolve({ path: options.path, mimeType: recorder.mimeType, durationMs, bytes, frames, dropped, stoppedBy });
      });
    });

    // Ctrl-C and SIGTERM stop the recording; a second one gives up.
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        io.err(`mediacapture record: stopped at once by a second ${signal}; ${options.path} may be incomplete.`);
        process.exit(130);
      }
      signalled = true;
      stop('signal');
    };
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, onSignal);
      options.removeSignals.push(() => process.removeListener(signal, onSignal));
    }

    try {
      startedAt = performance.now();
      recorder.start(TIMESLICE_MS);
    } catch (e) {
      reject(fromMediaError(e));
      return;
    }
    io.err(`Recording ${recorder.mimeType || 'media'} to ${options.path}${options.durationMs !== undefined ? ` for ${formatClock(options.durationMs)}` : ''}; press Ctrl-C to stop.`);
    if (options.durationMs !== undefined) timer = setTimeout(() => stop('duration'), options.durationMs);
    if (io.interactive) {
      ticker = setInterval(() => {
        if (final) return;
        io.status(statusLine(performance.now() - startedAt, monitor.take(), bytes, { video: options.hasVideo, audio: options.hasAudio }));
      }, 250);
    }
  });
}
