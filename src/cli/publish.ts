/**
 * `mediacapture publish <url> [--video[=JSON]] [--audio[=JSON]] [--screen] [--duration 10s]
 * [--token T] [--display NAME]`: the camera, microphone and/or screen sent to a media server over
 * WebRTC (our RTCPeerConnection), through WHIP or a Janus videoroom (servers.ts says which URL is
 * which).
 *
 * It says when the server has the stream (the PeerConnection is "connected"), shows the live
 * status line (frames per second, dropped frames, bytes sent, the audio level) on a terminal, and
 * stops after --duration, on Ctrl-C or SIGTERM, when every track has ended, or when the connection
 * fails; stopping ends the session on the server (WHIP's DELETE, Janus's detach and destroy). A
 * second Ctrl-C quits at once (exit 130).
 */
import type { MediaStreamTrack } from '../interfaces/MediaStreamTrack.js';
import { RTCPeerConnection } from '../webrtc/RTCPeerConnection.js';
import { parseDuration, stringOption, type ParsedArgs } from './args.js';
import { CliError, EXIT, fromMediaError, usageError, type ExitCode } from './exit.js';
import { formatBytes, formatClock } from './format.js';
import type { CliIo } from './io.js';
import { RecordingMonitor, statusLine } from './progress.js';
import type { CliScope } from './scope.js';
import { connected, parseServerUrl, publishTo, type Publication } from './servers.js';
import { chooseSources, openStream } from './sources.js';
import { clearInterval, clearTimeout, monotonicNow, setInterval, setTimeout } from '../platform/timers.js';

/** How long ending the session on the server may take after the stop. */
const CLOSE_MS = 3000;

type StoppedBy = 'duration' | 'signal' | 'tracks ended' | 'connection lost';

export async function publishCommand(args: ParsedArgs, scope: CliScope, io: CliIo): Promise<ExitCode> {
  if (args.positionals.length !== 1) throw usageError(`'mediacapture publish' takes one server URL, e.g. https://host/whip/endpoint or janus://127.0.0.1:8088/1234 (got ${args.positionals.length}).`);
  const url = args.positionals[0]!;
  const target = parseServerUrl(url);
  const sources = chooseSources(args, 'publish');
  if (args.options.get('duration') === true) throw usageError('--duration needs a value, e.g. --duration 10s.');
  const durationText = stringOption(args, 'duration');
  const durationMs = durationText === undefined ? undefined : parseDuration(durationText);
  const token = stringOption(args, 'token');
  const display = stringOption(args, 'display');
  if (token !== undefined && target.kind !== 'whip') throw usageError('--token is for WHIP endpoints (http:// or https:// URLs).');
  if (display !== undefined && target.kind !== 'janus') throw usageError('--display is for Janus rooms (janus:// URLs).');

  let pc: RTCPeerConnection;
  try {
    pc = new RTCPeerConnection();
  } catch (e) {
    throw fromMediaError(e);
  }
  let tracks: MediaStreamTrack[] = [];
  let publication: Publication | undefined;
  let monitor: RecordingMonitor | undefined;
  /** Run when the command ends: the signal listeners (a second Ctrl-C while closing quits at once). */
  const cleanups: (() => void)[] = [];
  // From here on, Ctrl-C stops cleanly: while connecting too, the session is ended on the server.
  const signals = watchSignals(io, cleanups);
  try {
    const stream = await openStream(scope, sources);
    tracks = stream.getTracks();
    for (const track of tracks) pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    io.err(`Connecting to ${url}…`);
    publication = await publishTo(target, pc, { ...(token !== undefined ? { token } : {}), display: display ?? 'mediacapture' });
    signals.describe(publication.description);
    await connected(pc, publication.description, signals.signalled);
    monitor = new RecordingMonitor(tracks);
    const hasVideo = stream.getVideoTracks().length > 0;
    const run = signals.fired
      ? { stoppedBy: 'signal' as const, publishedMs: 0, frames: 0, bytes: 0, state: pc.connectionState }
      : await runPublication(pc, tracks, monitor, io, { description: publication.description, durationMs, hasVideo, hasAudio: stream.getAudioTracks().length > 0, cleanups, signalled: signals.signalled });
    io.status('');
    const closing = publication;
    publication = undefined;
    await withinTime(closing.close(), CLOSE_MS).catch((e: unknown) => io.err(`mediacapture publish: warning: ending the session on the server failed: ${(e as Error).message}`));
    const fields = [`Published ${formatClock(run.publishedMs)} to ${closing.description}`];
    if (hasVideo) fields.push(`${run.frames} video frames`);
    io.out(`${fields.join(', ')}, ${formatBytes(run.bytes)} sent (stopped by ${run.stoppedBy})`);
    if (run.stoppedBy === 'connection lost') throw new CliError(EXIT.server, `The connection to ${closing.description} was lost (${run.state}) after ${formatClock(run.publishedMs)}.`);
    return EXIT.ok;
  } finally {
    for (const cleanup of cleanups) cleanup();
    monitor?.close();
    for (const t of tracks) t.stop();
    if (publication) await withinTime(publication.close(), CLOSE_MS).catch(() => {});
    pc.close();
    await RTCPeerConnection.closed(pc);
  }
}

interface Run {
  readonly stoppedBy: StoppedBy;
  readonly publishedMs: number;
  readonly frames: number;
  readonly bytes: number;
  /** The connection state that stopped it ("connection lost"). */
  readonly state: string;
}

/** RTP bytes sent so far (werift's outbound-rtp statistics). */
async function bytesSent(pc: RTCPeerConnection): Promise<number> {
  let bytes = 0;
  for (const stats of (await pc.getStats().catch(() => new Map())).values()) {
    const s = stats as { type?: string; bytesSent?: number };
    if (s.type === 'outbound-rtp' && typeof s.bytesSent === 'number') bytes += s.bytesSent;
  }
  return bytes;
}

/** Publishes until the duration, a signal, the tracks' end or the connection's loss. */
function runPublication(
  pc: RTCPeerConnection,
  tracks: readonly MediaStreamTrack[],
  monitor: RecordingMonitor,
  io: CliIo,
  options: { description: string; durationMs: number | undefined; hasVideo: boolean; hasAudio: boolean; cleanups: (() => void)[]; signalled: Promise<unknown> },
): Promise<Run> {
  return new Promise((resolve) => {
    const startedAt = monotonicNow();
    let bytes = 0;
    let frames = 0;
    const cleanups: (() => void)[] = [];
    let stopped = false;
    const stop = (stoppedBy: StoppedBy) => {
      if (stopped) return;
      stopped = true;
      const state = pc.connectionState;
      for (const c of cleanups) c();
      frames = monitor.take().frames;
      void bytesSent(pc).then((b) => resolve({ stoppedBy, publishedMs: monotonicNow() - startedAt, frames, bytes: Math.max(b, bytes), state }));
    };

    void options.signalled.then(() => stop('signal'));

    const onState = () => {
      const state = pc.connectionState;
      if (state === 'failed' || state === 'closed') stop('connection lost');
    };
    pc.addEventListener('connectionstatechange', onState);
    cleanups.push(() => pc.removeEventListener('connectionstatechange', onState));
    const onEnded = () => tracks.every((t) => t.readyState === 'ended') && stop('tracks ended');
    for (const t of tracks) t.addEventListener('ended', onEnded);
    cleanups.push(() => tracks.forEach((t) => t.removeEventListener('ended', onEnded)));

    if (options.durationMs !== undefined) {
      const timer = setTimeout(() => stop('duration'), options.durationMs);
      cleanups.push(() => clearTimeout(timer));
    }
    io.err(`Publishing to ${options.description}${options.durationMs !== undefined ? ` for ${formatClock(options.durationMs)}` : ''}; press Ctrl-C to stop.`);
    if (io.interactive) {
      const ticker = setInterval(() => {
        void bytesSent(pc).then((b) => {
          bytes = b;
          if (!stopped) io.status(statusLine(monotonicNow() - startedAt, monitor.take(), bytes, { video: options.hasVideo, audio: options.hasAudio }, '● LIVE', ' sent'));
        });
      }, 250);
      cleanups.push(() => clearInterval(ticker));
    }
  });
}

/**
 * Ctrl-C and SIGTERM: the first resolves `signalled` (the command then ends the session on the
 * server and quits); a second quits at once (exit 130). The listeners go with `cleanups`.
 */
function watchSignals(io: CliIo, cleanups: (() => void)[]): { signalled: Promise<NodeJS.Signals>; readonly fired: boolean; describe(server: string): void } {
  let fired = false;
  let server = 'the server';
  let resolve!: (signal: NodeJS.Signals) => void;
  const signalled = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const onSignal = (signal: NodeJS.Signals) => {
    if (fired) {
      io.err(`mediacapture publish: stopped at once by a second ${signal}.`);
      process.exit(130);
    }
    fired = true;
    io.status('');
    io.err(`Stopping: ending the session at ${server} (Ctrl-C again to quit at once).`);
    resolve(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, onSignal);
    cleanups.push(() => process.removeListener(signal, onSignal));
  }
  return {
    signalled,
    get fired() {
      return fired;
    },
    describe: (description) => void (server = description),
  };
}

/** `promise`, or a rejection after `ms`. */
function withinTime<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}
