/**
 * MediaRecorder's internal slots and algorithms (MediaStream Recording §2.2–§2.4,
 * https://w3c.github.io/mediacapture-record/#mediarecorder-api): the constructor steps, start(),
 * stop(), pause(), resume(), requestData(), "inactivate the recorder", "fire a blob event" and
 * "fire an error event". The MediaRecorder IDL class converts its arguments and calls these.
 *
 * As the spec notes, the methods change `state` at once and fire their events from queued tasks.
 * Each recorder's events come in the order of the calls and happenings that caused them (see
 * task-queue.ts). Encoding is done by an encoder backend (encoder.ts).
 */
import { inRealmOf } from '../../realm/current.js';
import { fireEvent, globalClass } from '../../realm/events.js';
import { domException, invalidState, notSupported, type DOMExceptionName } from '../../platform/errors.js';
import type { BitrateMode, ConvertedMediaRecorderOptions, RecordingState } from '../../webidl/recording.js';
import { isActive, type Stream } from '../track/stream.js';
import { DEFAULT_AUDIO_BITS_PER_SECOND, DEFAULT_VIDEO_BITS_PER_SECOND, splitBitsPerSecond } from './bitrates.js';
import { configureRecorder } from './configuration.js';
import { availableEncoderBackends, noEncoderMessage } from './encoder.js';
import { isTypeSupported } from './is-type-supported.js';
import { liveTracks, RecordingSession, startFailureMessage, type SessionHooks, type TimecodeOrigin } from './recording-session.js';
import { RecorderTaskQueue } from './task-queue.js';

/** The "minimum time slice imposed by the UA" (start() step 15.7), in milliseconds. */
const MIN_TIMESLICE_MS = 10;

/**
 * How long (ms) the encoder may take after stop() (or the end of the tracks) to write what it
 * already has. With the time to stop it (its SIGTERM, then SIGKILL 100 ms later) the last
 * `dataavailable` and `stop` come within 250 ms, however far behind the encoder was; media it had
 * not reached by then is dropped and counted (RecordingSession.stats).
 */
export const STOP_DEADLINE_MS = 120;

/**
 * What the recorder fires its events at, and with which interfaces: the MediaRecorder and the
 * BlobEvent and ErrorEvent classes (IDL classes, which an algorithm does not import).
 */
export interface RecorderEventTarget {
  readonly target: EventTarget;
  readonly BlobEvent: new (type: string, init: { data: Blob; timecode: number }) => Event;
  /** HTML's ErrorEvent, used where the global has none. */
  readonly ErrorEvent: new (type: string, init: { message: string; error: unknown }) => Event;
}

/** The internal slots and algorithms of one MediaRecorder. */
export class Recorder {
  readonly #events: RecorderEventTarget;
  /** The recorded stream (the model of the `stream` attribute's MediaStream). */
  readonly stream: Stream;
  /** [[ConstrainedMimeType]] */
  readonly #constrainedMimeType: string;
  /** [[ConstrainedBitsPerSecond]] */
  readonly #constrainedBitsPerSecond: number | null;
  /** [[VideoKeyFrameIntervalDuration]] */
  readonly #videoKeyFrameIntervalDuration: number | null;
  /** [[VideoKeyFrameIntervalCount]] */
  readonly #videoKeyFrameIntervalCount: number | null;
  #mimeType: string;
  #state: RecordingState = 'inactive';
  #videoBitsPerSecond: number;
  #audioBitsPerSecond: number;
  readonly #audioBitrateMode: BitrateMode;
  #session: RecordingSession | null = null;
  readonly #tasks = new RecorderTaskQueue();
  readonly #timecodes: TimecodeOrigin = { origin: null };
  /**
   * How long the encoder may take to finish, ms (STOP_DEADLINE_MS). Tests on a virtual clock, which
   * are not real time, give it longer, so that what they check does not depend on the machine's load.
   */
  stopDeadlineMs = STOP_DEADLINE_MS;

  /**
   * The constructor steps (§2.2) after the arguments' conversion, but for step 5 ("let recorder be
   * a newly constructed MediaRecorder object", which the IDL class is). Throws NotSupportedError
   * for a type this machine cannot record.
   */
  constructor(stream: Stream, options: ConvertedMediaRecorderOptions, events: RecorderEventTarget) {
    // 1.–3.
    const type = options.mimeType;
    // 4.
    if (!isTypeSupported(type, true)) {
      if (availableEncoderBackends().length === 0) throw notSupported(`MediaRecorder cannot record on this machine. ${noEncoderMessage()}`);
      throw notSupported(`MediaRecorder cannot record "${type}" here (MediaRecorder.isTypeSupported is false for it).`);
    }
    this.#events = events;
    // 6.
    this.#constrainedMimeType = type;
    // 7.
    this.#constrainedBitsPerSecond = options.bitsPerSecond ?? null;
    // 8.
    this.#videoKeyFrameIntervalDuration = options.videoKeyFrameIntervalDuration ?? null;
    // 9.
    this.#videoKeyFrameIntervalCount = options.videoKeyFrameIntervalCount ?? null;
    // 10.
    this.stream = stream;
    // 11.
    this.#mimeType = this.#constrainedMimeType;
    // 12. (#state starts "inactive")
    // 13.
    this.#videoBitsPerSecond = options.videoBitsPerSecond ?? DEFAULT_VIDEO_BITS_PER_SECOND;
    // 14.
    this.#audioBitsPerSecond = options.audioBitsPerSecond ?? DEFAULT_AUDIO_BITS_PER_SECOND;
    // 15.
    if (this.#constrainedBitsPerSecond !== null) this.#splitConstrainedBitsPerSecond();
    // 16. both modes are supported.
    this.#audioBitrateMode = options.audioBitrateMode;
    // 17.
  }

  /** The MIME type asked for; while recording (from the `start` event on), the one in use with its codecs. */
  get mimeType(): string {
    return this.#mimeType;
  }

  get state(): RecordingState {
    return this.#state;
  }

  get videoBitsPerSecond(): number {
    return this.#videoBitsPerSecond;
  }

  get audioBitsPerSecond(): number {
    return this.#audioBitsPerSecond;
  }

  get audioBitrateMode(): BitrateMode {
    return this.#audioBitrateMode;
  }

  /** The current recording, if any (diagnostics, tests, the bench). */
  get session(): RecordingSession | null {
    return this.#session;
  }

  /** start() (§2.3). `timeslice`: hand out data every this many milliseconds of recording. */
  start(timeslice: number | undefined): void {
    // 1.–3.
    const stream = this.stream;
    // 4.
    const tracks = liveTracks(stream);
    // 5.
    if (this.#state !== 'inactive') throw invalidState(`MediaRecorder.start: the recorder is already ${this.#state}; stop() it first.`);
    // 6. Isolation properties (peerIdentity, cross-origin content) do not exist for the streams
    // this implementation makes: every stream may be recorded.
    // 7.
    if (!isActive(stream)) throw notSupported('MediaRecorder.start: the stream is inactive (it has no live track); there is nothing to record.');
    // 9.
    if (this.#constrainedBitsPerSecond !== null) {
      this.#splitConstrainedBitsPerSecond({ video: tracks.some((t) => t.kind === 'video'), audio: tracks.some((t) => t.kind === 'audio') });
    }
    // 12. (checked before the configuration is built, as nothing else may throw it)
    if (this.#videoKeyFrameIntervalDuration !== null && this.#videoKeyFrameIntervalCount !== null) {
      throw notSupported('MediaRecorder.start: videoKeyFrameIntervalDuration and videoKeyFrameIntervalCount cannot both be set.');
    }
    // 8., 10.–14. constrain the configuration; throws NotSupportedError when a track cannot be recorded.
    const config = configureRecorder({
      constrainedMimeType: this.#constrainedMimeType,
      tracks,
      videoBitsPerSecond: this.#videoBitsPerSecond,
      audioBitsPerSecond: this.#audioBitsPerSecond,
      audioBitrateMode: this.#audioBitrateMode,
      videoKeyFrameIntervalDuration: this.#videoKeyFrameIntervalDuration,
      videoKeyFrameIntervalCount: this.#videoKeyFrameIntervalCount,
      timeslice,
    });
    // 15. state, then in parallel: 15.1 (the configuration is complete), 15.3 start recording.
    this.#state = 'recording';
    const slice = timeslice === undefined ? undefined : Math.max(timeslice, MIN_TIMESLICE_MS);
    const session: RecordingSession = new RecordingSession(stream, config, slice, this.#timecodes, this.#hooksFor(() => session), {
      stopDeadlineMs: this.stopDeadlineMs,
      // The window's own Blob where the recorder belongs to a window with its own realm.
      makeBlob: (parts, type) => inRealmOf(this.#events.target, () => new ((globalClass('Blob') as typeof Blob | undefined) ?? Blob)(parts, { type })),
    });
    this.#session = session;
    let startFailure: string | null = null;
    this.#tasks.enqueue(
      () => {
        if (startFailure !== null) {
          // 15.2. the combination could not be started.
          // 15.2.1.
          if (this.#session === session) this.#inactivate();
          // 15.2.2.–15.2.3.
          this.#fireErrorEvent('NotSupportedError', startFailure);
          this.#fire('stop');
          return;
        }
        // 15.3.1.–15.3.3. (not if stop() has inactivated the recorder since)
        if (this.#session === session && this.#state !== 'inactive') this.#mimeType = session.mimeType;
        // 15.3.4.
        this.#fire('start');
      },
      () =>
        session.started.catch((e: unknown) => {
          startFailure = startFailureMessage(session.mimeType, e);
          return session.abort();
        }),
    );
  }

  /** stop() (§2.3): the last data comes in a `dataavailable` event, then `stop`. */
  stop(): void {
    // 1.–2.
    if (this.#state === 'inactive') return;
    // 3.
    this.#inactivate();
    // 4. (not if the recording already ended by itself and queued these steps)
    const session = this.#session!;
    if (!session.claimStop()) return;
    // 4.1. Stop gathering data: done at once, so that nothing captured after stop() is recorded.
    const finished = session.finish();
    let startFailed = false;
    session.started.catch(() => (startFailed = true));
    this.#tasks.enqueue(
      () => {
        // The task of a recording that could not start has already fired `stop`.
        if (startFailed) return;
        // 4.2.
        this.#fireDataAvailable(session);
        session.delivered = true;
        // 4.3.
        this.#fire('stop');
      },
      () => finished,
    );
    // 5.
  }

  /** pause() (§2.3). */
  pause(): void {
    // 1.
    if (this.#state === 'inactive') throw invalidState('MediaRecorder.pause: the recorder is inactive; start() it first.');
    // 2.
    if (this.#state === 'paused') return;
    // 3. 3.1. (stop gathering) is done at once, so that nothing captured after pause() is recorded.
    this.#state = 'paused';
    this.#session!.pause();
    // 3.2.
    this.#tasks.enqueue(() => this.#fire('pause'));
    // 4.
  }

  /** resume() (§2.3). */
  resume(): void {
    // 1.
    if (this.#state === 'inactive') throw invalidState('MediaRecorder.resume: the recorder is inactive; start() it first.');
    // 2.
    if (this.#state === 'recording') return;
    // 3. 3.1. (gather again) is done at once, like pause().
    this.#state = 'recording';
    this.#session!.resume();
    // 3.2.
    this.#tasks.enqueue(() => this.#fire('resume'));
    // 4.
  }

  /** requestData() (§2.3): the data so far in a `dataavailable` event; recording goes on into a new Blob. */
  requestData(): void {
    // 1.
    if (this.#state === 'inactive') throw invalidState('MediaRecorder.requestData: the recorder is inactive; there is no data to request.');
    const session = this.#session!;
    this.#tasks.enqueue(() => {
      // A recording that ended by itself (its tracks ended) has handed out all its data with `stop`.
      if (session.delivered) return;
      // 1.1.–1.2.
      this.#fireDataAvailable(session);
    });
    // 2.
  }

  /** "Inactivate the recorder" (§2.3). */
  #inactivate(): void {
    // 1.
    this.#mimeType = this.#constrainedMimeType;
    // 2.
    this.#state = 'inactive';
    // 3.
    if (this.#constrainedBitsPerSecond !== null) this.#splitConstrainedBitsPerSecond();
  }

  /** Constructor step 15, start() step 9, inactivate step 3: share [[ConstrainedBitsPerSecond]] out. */
  #splitConstrainedBitsPerSecond(kinds?: { video: boolean; audio: boolean }): void {
    const { video, audio } = splitBitsPerSecond(this.#constrainedBitsPerSecond!, kinds);
    this.#videoBitsPerSecond = video;
    this.#audioBitsPerSecond = audio;
  }

  /** Fires a plain event named `type` at the recorder. */
  #fire(type: 'start' | 'stop' | 'pause' | 'resume'): void {
    fireEvent(this.#events.target, type);
  }

  /** "Fire a blob event named dataavailable" with `blob` and `timecode` (§2.4). */
  #fireBlobEvent(blob: Blob, timecode: number): void {
    fireEvent(this.#events.target, 'dataavailable', () => new this.#events.BlobEvent('dataavailable', { data: blob, timecode }));
  }

  /** "Fire a blob event named dataavailable" with the data collected so far. */
  #fireDataAvailable(session: RecordingSession): void {
    const { blob, timecode } = session.takeBlob();
    this.#fireBlobEvent(blob, timecode);
  }

  /**
   * "Fire an error event named N at recorder" (§4.2): an `error` event whose `error` is a
   * DOMException named N (NotSupportedError, SecurityError, InvalidModificationError,
   * UnknownError). A host with its own ErrorEvent (a browser-like window) gets it used.
   */
  #fireErrorEvent(name: DOMExceptionName, message: string): void {
    fireEvent(this.#events.target, 'error', () => {
      // Made in the recorder's realm: its DOMException, its own ErrorEvent where it has one.
      const error = domException(name, message);
      const ErrorEvent = (globalClass('ErrorEvent') as RecorderEventTarget['ErrorEvent'] | undefined) ?? this.#events.ErrorEvent;
      return new ErrorEvent('error', { message: error.message, error });
    });
  }

  /**
   * The tasks steps 15.5–15.8 queue when the recording reports something. The session has stopped
   * gathering data. The task is queued at once: it inactivates the recorder and fires `error`
   * without waiting for the encoder. The blob ("the data so far", steps 3–4) is complete once the
   * encoder has written what it had (within the stop deadline), so `dataavailable` and `stop`
   * follow in a second task then; no other event of this recorder comes between.
   */
  #hooksFor(session: () => RecordingSession): SessionHooks {
    const end = (error: { name: DOMExceptionName; message: string } | null) => {
      const s = session();
      this.#tasks.enqueue(() => {
        // 1. (the recorder may be recording again, with a new session, by then)
        if (this.#session === s && this.#state !== 'inactive') this.#inactivate();
        // 2. error, if any
        if (error) this.#fireErrorEvent(error.name, error.message);
      });
      this.#tasks.enqueue(
        () => {
          // 3. dataavailable, 4. stop
          this.#fireDataAvailable(s);
          s.delivered = true;
          this.#fire('stop');
        },
        () => s.finish(),
      );
    };
    return {
      // 15.7.
      slice: (blob, timecode) => this.#tasks.enqueue(() => this.#fireBlobEvent(blob, timecode)),
      // 15.8.
      allTracksEnded: () => end(null),
      // 15.5.
      trackSetChanged: () =>
        end({ name: 'InvalidModificationError', message: "MediaRecorder stopped: a track was added to or removed from the recorded stream's track set." }),
      // 15.6.
      failed: (message) => end({ name: 'UnknownError', message: `MediaRecorder stopped: the encoder failed (${message}).` }),
    };
  }
}
