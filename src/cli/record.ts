/**
 * `mediacapture record out.webm [--video[=JSON]] [--audio[=JSON]] [--screen] [--duration 10s]
 * [--mime TYPE]`: getUserMedia (and getDisplayMedia for --screen) into a MediaRecorder, the
 * recorder's `dataavailable` blobs appended to the file as they come (MediaStream Recording §7.2),
 * then rewritten with an index so that players can seek (ffmpeg.ts, makeSeekable).
 *
 * Stopping: after --duration, on Ctrl-C (SIGINT) or SIGTERM, or when every track has ended, the
 * recorder is stopped as the spec says: the last `dataavailable` comes before `stop`, and the file
 * is complete once `stop` has fired. Ctrl-C says it is finishing and ends within 2 s, whatever
 * the recorder does; a second Ctrl-C gives up at once (exit 130).
 *
 * The summary is what the file holds, read back with ffprobe: its real duration, and for video
 * the frames captured (the track's statistics), encoded (in the file) and dropped (the
 * difference). A file shorter than asked is a warning and exit status 10 (EXIT.incomplete).
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { extname } from 'node:path';
import { probeFfmpegAsync } from '../backends/ffmpeg/probe.js';
import type { MediaStreamTrack } from '../interfaces/MediaStreamTrack.js';
import { MediaStreamTrackVideoStats } from '../interfaces/MediaStreamTrackVideoStats.js';
import { parseDuration, stringOption, type ParsedArgs } from './args.js';
import { CliError, EXIT, fromMediaError, usageError, type ExitCode } from './exit.js';
import { makeSeekable, probeRecording, requireFfmpeg, type RecordedFile } from './ffmpeg.js';
import { formatBytes, formatClock } from './format.js';
import type { CliIo } from './io.js';
import { RecordingMonitor, statusLine } from './progress.js';
import type { CliScope } from './scope.js';
import { connected, parseServerUrl, receiveFrom, type Publication, type ServerTarget } from './servers.js';
import { chooseSources, openStream } from './sources.js';
import { nextFrame } from './capture.js';
import { createMediaStream, mediaStreamOf, type MediaStream } from '../interfaces/MediaStream.js';
import { trackOf } from '../interfaces/MediaStreamTrack.js';
import { RTCPeerConnection } from '../webrtc/RTCPeerConnection.js';
import type { RTCTrackEvent } from '../webrtc/events.js';
import { clearInterval, clearTimeout, monotonicNow, setInterval, setTimeout } from '../platform/timers.js';

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

/** How long Ctrl-C may take to end the command: stop the recorder, write the rest, check the file (ms). */
export const FINISH_MS = 2000;

/**
 * How much shorter than asked a file may be before it is reported (ms): 10 % of what was asked
 * or one timeslice, whichever is less, but never less than 100 ms (a recording starts at its
 * first frame and ends at its last, a frame or two of the edges).
 */
export function shortfallTolerance(askedMs: number): number {
  return Math.max(100, Math.min(0.1 * askedMs, TIMESLICE_MS));
}

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

/** What `record` saw while recording. */
interface Recording {
  readonly mimeType: string;
  readonly stoppedBy: 'duration' | 'signal' | 'tracks ended' | 'error';
  /** How long it recorded: from start() to the stop (ms). */
  readonly recordedMs: number;
  readonly bytes: number;
  /** Video frames the track had during the recording (delivered, or lost before delivery); undefined without video. */
  readonly captured: number | undefined;
  /** Ctrl-C's time ran out before the recorder's `stop` event: the end of the recording may be missing. */
  readonly unfinished: boolean;
  /** After Ctrl-C: when (monotonicNow()) the command must have ended. */
  readonly deadline: number | undefined;
}

/**
 * The frames a video track had so far: the frames of its source it took (mediacapture-extensions
 * track statistics: total minus those decimation discarded), whether delivered or lost first.
 */
function framesOf(track: MediaStreamTrack | undefined): number | undefined {
  const stats = track?.stats;
  return stats instanceof MediaStreamTrackVideoStats ? stats.totalFrames - stats.discardedFrames : undefined;
}

export async function recordCommand(args: ParsedArgs, scope: CliScope, io: CliIo): Promise<ExitCode> {
  if (args.positionals.length !== 1) throw usageError(`'mediacapture record' takes one output file, e.g. out.webm (got ${args.positionals.length}).`);
  const path = args.positionals[0]!;
  const from = stringOption(args, 'from');
  if (args.options.get('from') === true) throw usageError('--from needs a server URL, e.g. --from janus://127.0.0.1:8088/1234.');
  const target = from === undefined ? undefined : parseServerUrl(from);
  if (target && ['video', 'audio', 'screen'].some((o) => args.options.has(o))) throw usageError('--from records what the server sends: leave out --video, --audio and --screen.');
  const token = stringOption(args, 'token');
  if (token !== undefined && target?.kind !== 'whip') throw usageError('--token is for WHEP endpoints (--from with an http:// or https:// URL).');
  const { screen, video, audio } = target ? { screen: false, video: true, audio: true } : chooseSources(args, 'record');
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

  const received = target ? await receive(target, io, token) : undefined;
  const stream = received ? received.stream : await openStream(scope, { screen, video, audio });
  const tracks = stream.getTracks();
  let file: FileHandle | undefined;
  let monitor: RecordingMonitor | undefined;
  const cleanups: (() => void)[] = [];
  try {
    let recorder: Recorder;
    try {
      recorder = new MediaRecorder(stream, { mimeType });
    } catch (e) {
      throw fromMediaError(e);
    }
    file = await open(path, 'w');
    monitor = new RecordingMonitor(tracks);
    const recording = await runRecording(recorder, file, monitor, io, {
      path, durationMs, hasVideo, hasAudio: stream.getAudioTracks().length > 0, videoTrack: stream.getVideoTracks()[0], cleanups,
    });
    io.status('');
    for (const t of tracks) t.stop();
    await file.close();
    file = undefined;
    return await finish(recording, io, { path, durationMs, hasVideo });
  } finally {
    for (const cleanup of cleanups) cleanup();
    monitor?.close();
    for (const t of tracks) t.stop();
    await file?.close();
    await received?.close();
  }
}

/**
 * `--from URL`: the server's stream, received through an RTCPeerConnection (servers.ts), once
 * the connection is up. `close()` ends the session on the server and the connection.
 */
async function receive(target: ServerTarget, io: CliIo, token: string | undefined): Promise<{ stream: MediaStream; close(): Promise<void> }> {
  let pc: RTCPeerConnection;
  try {
    pc = new RTCPeerConnection();
  } catch (e) {
    throw fromMediaError(e);
  }
  const tracks: MediaStreamTrack[] = [];
  pc.addEventListener('track', (e) => tracks.push((e as RTCTrackEvent).track));
  let session: Publication | undefined;
  const close = async () => {
    await session?.close().catch((e: unknown) => io.err(`mediacapture record: warning: ending the session on the server failed: ${(e as Error).message}`));
    pc.close();
    await RTCPeerConnection.closed(pc);
  };
  try {
    io.err(`Connecting to ${target.kind === 'whip' ? target.url : `Janus room ${target.room} at ${target.api}`}…`);
    session = await receiveFrom(target, pc, token !== undefined ? { token } : {});
    await connected(pc, session.description);
    if (tracks.length === 0) throw new CliError(EXIT.server, `${session.description} sends no track.`);
    // "Receiving" once the picture flows (the recorder would also wait for the first frame of a
    // track whose settings give no size yet, and take its size).
    const video = tracks.find((t) => t.kind === 'video');
    if (video) (await nextFrame(video)).close();
    io.err(`Receiving from ${session.description}.`);
    return { stream: mediaStreamOf(createMediaStream(tracks.map((t) => trackOf(t)!))), close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * After the recorder's `stop`: the file made seekable, read back, the summary printed, and a file
 * shorter than asked reported. After Ctrl-C, each step gets what is left of its 2 s.
 */
async function finish(recording: Recording, io: CliIo, options: { path: string; durationMs: number | undefined; hasVideo: boolean }): Promise<ExitCode> {
  const { path } = options;
  const left = (reserve: number): number => (recording.deadline === undefined ? Number.POSITIVE_INFINITY : recording.deadline - monotonicNow() - reserve);
  // Written as it came, the file has no index: rewrite it with one so that players can seek.
  // After Ctrl-C only if there is time: the streamed file plays as it is.
  if (recording.bytes > 0 && !recording.unfinished && left(600) > 0) {
    const seekable = await makeSeekable(io.env, path, recording.mimeType, Math.min(120_000, left(400)));
    if (!seekable && /webm|matroska|mp4/i.test(recording.mimeType)) io.err(`note: ${path} plays, but could not be made seekable (ffmpeg's stream copy failed or ran out of time).`);
  }
  const file: RecordedFile | null = recording.bytes > 0 && left(100) > 0 ? await probeRecording(io.env, path, Math.min(30_000, left(50))) : null;
  const { size } = await stat(path);

  // The summary: what the file holds.
  const captured = recording.captured;
  const encoded = file?.videoFrames;
  const fields = [
    file ? `${path}: ${formatClock(file.durationMs)} of ${recording.mimeType}` : `${path}: ${formatClock(recording.recordedMs)} recorded as ${recording.mimeType} (the file was not read back)`,
  ];
  if (options.hasVideo) {
    if (captured !== undefined && encoded !== undefined) {
      fields.push(`${captured} frames captured`, `${encoded} encoded`, `${Math.max(0, captured - encoded)} dropped`);
      if (encoded > captured) fields.push(`${encoded - captured} repeated`);
    } else if (captured !== undefined) {
      fields.push(`${captured} frames captured`);
    }
  }
  io.out(`${fields.join(', ')}, ${formatBytes(size)} (stopped by ${recording.stoppedBy})`);

  // What was asked: the duration (also when the tracks ended before it), else until Ctrl-C.
  const askedMs = options.durationMs !== undefined && recording.stoppedBy !== 'signal' ? options.durationMs : recording.recordedMs;
  if (recording.unfinished) {
    io.err(`mediacapture record: warning: the recorder did not finish within ${FINISH_MS / 1000} s of the signal; the end of the recording may be missing from ${path}.`);
    return EXIT.incomplete;
  }
  if (recording.bytes === 0) {
    io.err(`mediacapture record: warning: nothing was recorded into ${path}.`);
    return EXIT.incomplete;
  }
  if (file === null) {
    io.err(`note: ${path} could not be read back with ffprobe, so its duration was not checked.`);
    return EXIT.ok;
  }
  const shortBy = askedMs - file.durationMs;
  if (shortBy > shortfallTolerance(askedMs)) {
    const frames = captured !== undefined && encoded !== undefined ? ` (${Math.max(0, captured - encoded)} of ${captured} video frames dropped)` : '';
    io.err(
      `mediacapture record: warning: ${path} holds ${formatClock(file.durationMs)} of the ${formatClock(askedMs)} asked for${frames}: ` +
        `${recording.stoppedBy === 'tracks ended' ? 'the devices ended early' : 'the encoder or this machine could not keep up'}. The file is kept.`,
    );
    return EXIT.incomplete;
  }
  return EXIT.ok;
}

interface RunOptions {
  readonly path: string;
  readonly durationMs: number | undefined;
  readonly hasVideo: boolean;
  readonly hasAudio: boolean;
  readonly videoTrack: MediaStreamTrack | undefined;
  /** Run when the command ends: signal listeners, timers. */
  readonly cleanups: (() => void)[];
}

/**
 * Records until the duration, a signal, or the tracks' end; resolves once the recorder has
 * fired `stop` and its data is in the file, or, after Ctrl-C, when the time to finish runs short.
 */
function runRecording(recorder: Recorder, file: FileHandle, monitor: RecordingMonitor, io: CliIo, options: RunOptions): Promise<Recording> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let writes: Promise<unknown> = Promise.resolve();
    let writeError: unknown;
    let recorderError: unknown;
    let stoppedBy: Recording['stoppedBy'] = 'tracks ended';
    let startedAt = 0;
    let capturedAtStart: number | undefined;
    let deadline: number | undefined;
    let settled = false;
    monitor.take();
    let ticker: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;
    options.cleanups.push(() => {
      clearInterval(ticker);
      clearTimeout(timer);
    });

    // What the recording was when it was asked to stop: the recorder gathers nothing after that.
    let final: { at: number; captured: number | undefined } | undefined;
    const takeFinal = () => (final ??= { at: monotonicNow(), captured: framesOf(options.videoTrack) });
    const stop = (by: Recording['stoppedBy']) => {
      if (recorder.state === 'inactive') return;
      stoppedBy = by;
      takeFinal();
      recorder.stop();
    };
    const done = (unfinished: boolean) => {
      if (settled) return;
      settled = true;
      clearInterval(ticker);
      clearTimeout(timer);
      const end = takeFinal();
      const captured = capturedAtStart === undefined || end.captured === undefined ? undefined : end.captured - capturedAtStart;
      const recording: Recording = { mimeType: recorder.mimeType, stoppedBy, recordedMs: end.at - startedAt, bytes, captured, unfinished, deadline };
      // The blobs that came are written (a local file: quick), also when time ran out.
      void writes.then(() => {
        if (unfinished) return resolve({ ...recording, bytes });
        if (writeError) return reject(new CliError(EXIT.failure, `Could not write ${options.path}: ${(writeError as Error).message}.`));
        if (recorderError) {
          const e = fromMediaError(recorderError);
          return reject(new CliError(e.exitCode, `The recording failed: ${e.message} What was recorded until then is in ${options.path}.`));
        }
        resolve({ ...recording, bytes });
      });
    };

    recorder.addEventListener('dataavailable', (event) => {
      const data = (event as Event & { data: Blob }).data;
      // After the time to finish ran out, the file is being closed: later data is left out.
      if (!data || data.size === 0 || settled) return;
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
    // Stopped (by us, or by itself: every track ended, or an error): the data is all there.
    recorder.addEventListener('stop', () => done(false));

    // Ctrl-C and SIGTERM stop the recording and end the command within FINISH_MS; a second one gives up.
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        io.err(`mediacapture record: stopped at once by a second ${signal}; ${options.path} may be incomplete.`);
        process.exit(130);
      }
      signalled = true;
      deadline = monotonicNow() + FINISH_MS;
      io.status('');
      io.err(`Finishing: stopping the recorder and closing ${options.path} (Ctrl-C again to quit at once).`);
      stop('signal');
      // The recorder gets most of the time; the file's index and the check get the rest, if any.
      const waitForRecorder = setTimeout(() => done(true), FINISH_MS - 700);
      options.cleanups.push(() => clearTimeout(waitForRecorder));
      // Whatever happens, the process ends in time: a recorder or ffmpeg still running is left
      // behind (the exit hook kills the children). Armed past the command's end, which may come
      // before the process's (it would wait for such a child); with the command's status then.
      setTimeout(() => {
        if (process.exitCode === undefined) io.err(`mediacapture record: did not finish within ${FINISH_MS / 1000} s of ${signal}; quitting. ${options.path} may be incomplete.`);
        process.exit(process.exitCode ?? EXIT.incomplete);
      }, FINISH_MS).unref();
    };
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, onSignal);
      options.cleanups.push(() => process.removeListener(signal, onSignal));
    }

    try {
      capturedAtStart = framesOf(options.videoTrack);
      startedAt = monotonicNow();
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
        io.status(statusLine(monotonicNow() - startedAt, monitor.take(), bytes, { video: options.hasVideo, audio: options.hasAudio }));
      }, 250);
    }
  });
}
