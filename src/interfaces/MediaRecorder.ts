import { DEFAULT_AUDIO_BITS_PER_SECOND, DEFAULT_VIDEO_BITS_PER_SECOND, splitBitsPerSecond } from '../algorithms/recorder/bitrates.js';
import { configureRecorder } from '../algorithms/recorder/configuration.js';
import { availableEncoderBackends, noEncoderMessage } from '../algorithms/recorder/encoder.js';
import { recorderErrorEvent } from '../algorithms/recorder/error-event.js';
import { isTypeSupported } from '../algorithms/recorder/is-type-supported.js';
import { liveTracks, RecordingSession, type SessionHooks, type TimecodeOrigin } from '../algorithms/recorder/recording-session.js';
import { RecorderTaskQueue } from '../algorithms/recorder/task-queue.js';
// The default encoder backend: the system ffmpeg (registers itself).
import '../backends/ffmpeg/index.js';
import { domException, illegalInvocation, invalidState, notSupported, type DOMExceptionName } from '../platform/errors.js';
import { defineEventHandler } from '../platform/event-handler.js';
import { exposeInterface } from '../platform/interface.js';
import { dictionaryObject, toDOMString, toDouble, toEnum, toUnsignedLong } from '../webidl/converters.js';
import { BlobEvent } from './BlobEvent.js';
import type { Stream } from '../algorithms/track/stream.js';
import { streamOf, type MediaStream } from './MediaStream.js';

/** RecordingState (§2.7). */
export type RecordingState = 'inactive' | 'recording' | 'paused';
/** BitrateMode (§2.6). */
export type BitrateMode = 'constant' | 'variable';

/** MediaRecorderOptions (§2.5). */
export interface MediaRecorderOptions {
  mimeType?: string;
  audioBitsPerSecond?: number;
  videoBitsPerSecond?: number;
  bitsPerSecond?: number;
  audioBitrateMode?: BitrateMode;
  videoKeyFrameIntervalDuration?: number;
  videoKeyFrameIntervalCount?: number;
}

const BITRATE_MODES: readonly BitrateMode[] = ['constant', 'variable'];
/** The "minimum time slice imposed by the UA" (start() step 15.7), in milliseconds. */
const MIN_TIMESLICE_MS = 10;

/** Package-internal access to a recorder's current recording (diagnostics, tests, the bench). */
export let mediaRecorderInternals: {
  session(recorder: MediaRecorder): RecordingSession | null;
};

/** The MediaRecorderOptions dictionary, members converted in WebIDL order (lexicographic). */
function convertOptions(value: unknown) {
  const ctx = (m: string) => `Failed to construct 'MediaRecorder': member ${m} of MediaRecorderOptions`;
  const o = dictionaryObject(value, "Failed to construct 'MediaRecorder': argument 2");
  const get = (name: string) => o?.[name];
  const audioBitrateMode = get('audioBitrateMode') === undefined ? 'variable' : toEnum(get('audioBitrateMode'), BITRATE_MODES, ctx('audioBitrateMode'), 'BitrateMode');
  const audioBitsPerSecond = get('audioBitsPerSecond') === undefined ? undefined : toUnsignedLong(get('audioBitsPerSecond'), ctx('audioBitsPerSecond'));
  const bitsPerSecond = get('bitsPerSecond') === undefined ? undefined : toUnsignedLong(get('bitsPerSecond'), ctx('bitsPerSecond'));
  const mimeType = get('mimeType') === undefined ? '' : toDOMString(get('mimeType'), ctx('mimeType'));
  const videoBitsPerSecond = get('videoBitsPerSecond') === undefined ? undefined : toUnsignedLong(get('videoBitsPerSecond'), ctx('videoBitsPerSecond'));
  const videoKeyFrameIntervalCount = get('videoKeyFrameIntervalCount') === undefined ? undefined : toUnsignedLong(get('videoKeyFrameIntervalCount'), ctx('videoKeyFrameIntervalCount'));
  const videoKeyFrameIntervalDuration = get('videoKeyFrameIntervalDuration') === undefined ? undefined : toDouble(get('videoKeyFrameIntervalDuration'), ctx('videoKeyFrameIntervalDuration'));
  return { audioBitrateMode, audioBitsPerSecond, bitsPerSecond, mimeType, videoBitsPerSecond, videoKeyFrameIntervalCount, videoKeyFrameIntervalDuration };
}

/**
 * MediaRecorder (MediaStream Recording §2): records a MediaStream into a container file, handed
 * out as `Blob`s in `dataavailable` events. Encoding is done by an encoder backend (the system
 * ffmpeg; see src/backends/ffmpeg/index.ts).
 *
 * As the spec notes, the methods change `state` at once and fire their events from queued tasks.
 * Each recorder's events come in the order of the calls and happenings that caused them (see
 * src/algorithms/recorder/task-queue.ts).
 */
export class MediaRecorder extends EventTarget {
  // Event handler attributes, defined on the prototype by defineEventHandler (below).
  declare onstart: ((this: MediaRecorder, ev: Event) => unknown) | null;
  declare onstop: ((this: MediaRecorder, ev: Event) => unknown) | null;
  declare ondataavailable: ((this: MediaRecorder, ev: BlobEvent) => unknown) | null;
  declare onpause: ((this: MediaRecorder, ev: Event) => unknown) | null;
  declare onresume: ((this: MediaRecorder, ev: Event) => unknown) | null;
  declare onerror: ((this: MediaRecorder, ev: Event) => unknown) | null;
  #stream: MediaStream;
  /** The recorded stream's slots. */
  #streamModel: Stream;
  #constrainedMimeType: string;
  #constrainedBitsPerSecond: number | null;
  #videoKeyFrameIntervalDuration: number | null;
  #videoKeyFrameIntervalCount: number | null;
  #mimeType: string;
  #state: RecordingState = 'inactive';
  #videoBitsPerSecond: number;
  #audioBitsPerSecond: number;
  #audioBitrateMode: BitrateMode;
  #session: RecordingSession | null = null;
  #tasks = new RecorderTaskQueue();
  #timecodes: TimecodeOrigin = { origin: null };

  constructor(stream: MediaStream, options: MediaRecorderOptions = {}) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'MediaRecorder': 1 argument required, but only 0 present.");
    const streamModel = streamOf(stream);
    if (!streamModel) throw new TypeError("Failed to construct 'MediaRecorder': parameter 1 is not of type 'MediaStream'.");
    const opts = convertOptions(options);
    // 1.–3.
    const type = opts.mimeType;
    // 4.
    if (!isTypeSupported(type, true)) {
      if (availableEncoderBackends().length === 0) throw notSupported(`MediaRecorder cannot record on this machine. ${noEncoderMessage()}`);
      throw notSupported(`MediaRecorder cannot record "${type}" here (MediaRecorder.isTypeSupported is false for it).`);
    }
    // 5.
    super();
    // 6.
    this.#constrainedMimeType = type;
    // 7.
    this.#constrainedBitsPerSecond = opts.bitsPerSecond ?? null;
    // 8.
    this.#videoKeyFrameIntervalDuration = opts.videoKeyFrameIntervalDuration ?? null;
    // 9.
    this.#videoKeyFrameIntervalCount = opts.videoKeyFrameIntervalCount ?? null;
    // 10.
    this.#stream = stream;
    this.#streamModel = streamModel;
    // 11.
    this.#mimeType = this.#constrainedMimeType;
    // 12. (#state starts "inactive")
    // 13.
    this.#videoBitsPerSecond = opts.videoBitsPerSecond ?? DEFAULT_VIDEO_BITS_PER_SECOND;
    // 14.
    this.#audioBitsPerSecond = opts.audioBitsPerSecond ?? DEFAULT_AUDIO_BITS_PER_SECOND;
    // 15.
    if (this.#constrainedBitsPerSecond !== null) this.#splitConstrainedBitsPerSecond();
    // 16. both modes are supported.
    this.#audioBitrateMode = opts.audioBitrateMode;
    // 17.
  }

  /** The recorded stream. */
  get stream(): MediaStream {
    if (!(#stream in this)) throw illegalInvocation('MediaRecorder', 'stream');
    return this.#stream;
  }

  /** The MIME type asked for; while recording (from the `start` event on), the one in use with its codecs. */
  get mimeType(): string {
    if (!(#mimeType in this)) throw illegalInvocation('MediaRecorder', 'mimeType');
    return this.#mimeType;
  }

  get state(): RecordingState {
    if (!(#state in this)) throw illegalInvocation('MediaRecorder', 'state');
    return this.#state;
  }

  get videoBitsPerSecond(): number {
    if (!(#videoBitsPerSecond in this)) throw illegalInvocation('MediaRecorder', 'videoBitsPerSecond');
    return this.#videoBitsPerSecond;
  }

  get audioBitsPerSecond(): number {
    if (!(#audioBitsPerSecond in this)) throw illegalInvocation('MediaRecorder', 'audioBitsPerSecond');
    return this.#audioBitsPerSecond;
  }

  get audioBitrateMode(): BitrateMode {
    if (!(#audioBitrateMode in this)) throw illegalInvocation('MediaRecorder', 'audioBitrateMode');
    return this.#audioBitrateMode;
  }

  /** start() (§2.3). `timeslice`: hand out data every this many milliseconds of recording. */
  start(timeslice?: number): void {
    if (!(#state in this)) throw illegalInvocation('MediaRecorder', 'start');
    const ts = timeslice === undefined ? undefined : toUnsignedLong(timeslice, "Failed to execute 'start' on 'MediaRecorder': parameter 1");
    // 1.–3.
    const stream = this.#stream;
    // 4.
    const tracks = liveTracks(this.#streamModel);
    // 5.
    if (this.#state !== 'inactive') throw invalidState(`MediaRecorder.start: the recorder is already ${this.#state}; stop() it first.`);
    // 6. Isolation properties (peerIdentity, cross-origin content) do not exist for the streams
    // this implementation makes: every stream may be recorded.
    // 7.
    if (!stream.active) throw notSupported('MediaRecorder.start: the stream is inactive (it has no live track); there is nothing to record.');
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
      timeslice: ts,
    });
    // 15. state, then in parallel: 15.1 (the configuration is complete), 15.3 start recording.
    this.#state = 'recording';
    const slice = ts === undefined ? undefined : Math.max(ts, MIN_TIMESLICE_MS);
    const session = new RecordingSession(this.#streamModel, config, slice, this.#timecodes, this.#hooksFor(() => session));
    this.#session = session;
    let startFailure: string | null = null;
    this.#tasks.enqueue(
      () => {
        if (startFailure !== null) {
          // 15.2. the combination could not be started.
          // 15.2.1.
          if (this.#session === session) this.#inactivate();
          // 15.2.2.–15.2.3.
          this.dispatchEvent(recorderErrorEvent(domException('NotSupportedError', startFailure)));
          this.dispatchEvent(new Event('stop'));
          return;
        }
        // 15.3.1.–15.3.3. (not if stop() has inactivated the recorder since)
        if (this.#session === session && this.#state !== 'inactive') this.#mimeType = config.mimeType;
        // 15.3.4.
        this.dispatchEvent(new Event('start'));
      },
      () =>
        session.started.catch((e: unknown) => {
          startFailure = `MediaRecorder could not start encoding ${config.mimeType}: ${e instanceof Error ? e.message : String(e)}`;
          return session.abort();
        }),
    );
  }

  /** stop() (§2.3): the last data comes in a `dataavailable` event, then `stop`. */
  stop(): void {
    if (!(#state in this)) throw illegalInvocation('MediaRecorder', 'stop');
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
        this.dispatchEvent(new Event('stop'));
      },
      () => finished,
    );
    // 5.
  }

  /** pause() (§2.3). */
  pause(): void {
    if (!(#state in this)) throw illegalInvocation('MediaRecorder', 'pause');
    // 1.
    if (this.#state === 'inactive') throw invalidState('MediaRecorder.pause: the recorder is inactive; start() it first.');
    // 2.
    if (this.#state === 'paused') return;
    // 3. 3.1. (stop gathering) is done at once, so that nothing captured after pause() is recorded.
    this.#state = 'paused';
    this.#session!.pause();
    // 3.2.
    this.#tasks.enqueue(() => this.dispatchEvent(new Event('pause')));
    // 4.
  }

  /** resume() (§2.3). */
  resume(): void {
    if (!(#state in this)) throw illegalInvocation('MediaRecorder', 'resume');
    // 1.
    if (this.#state === 'inactive') throw invalidState('MediaRecorder.resume: the recorder is inactive; start() it first.');
    // 2.
    if (this.#state === 'recording') return;
    // 3. 3.1. (gather again) is done at once, like pause().
    this.#state = 'recording';
    this.#session!.resume();
    // 3.2.
    this.#tasks.enqueue(() => this.dispatchEvent(new Event('resume')));
    // 4.
  }

  /** requestData() (§2.3): the data so far in a `dataavailable` event; recording goes on into a new Blob. */
  requestData(): void {
    if (!(#state in this)) throw illegalInvocation('MediaRecorder', 'requestData');
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

  /** isTypeSupported() (§2.3): whether this MIME type can be recorded here. */
  static isTypeSupported(type: string): boolean {
    if (arguments.length < 1) throw new TypeError("Failed to execute 'isTypeSupported' on 'MediaRecorder': 1 argument required, but only 0 present.");
    return isTypeSupported(toDOMString(type, "Failed to execute 'isTypeSupported' on 'MediaRecorder': parameter 1"), false);
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

  /** "Fire a blob event named dataavailable" with the data collected so far (§2.4). */
  #fireDataAvailable(session: RecordingSession): void {
    const { blob, timecode } = session.takeBlob();
    this.dispatchEvent(new BlobEvent('dataavailable', { data: blob, timecode }));
  }

  /** The tasks steps 15.5–15.8 queue when the recording reports something. */
  #hooksFor(session: () => RecordingSession): SessionHooks {
    const end = (error: { name: DOMExceptionName; message: string } | null) => {
      const s = session();
      this.#tasks.enqueue(
        () => {
          // 1. (the recorder may be recording again, with a new session, by then)
          if (this.#session === s && this.#state !== 'inactive') this.#inactivate();
          // 2. error, if any
          if (error) this.dispatchEvent(recorderErrorEvent(domException(error.name, error.message)));
          // 3. dataavailable, 4. stop
          this.#fireDataAvailable(s);
          s.delivered = true;
          this.dispatchEvent(new Event('stop'));
        },
        () => s.finish(),
      );
    };
    return {
      // 15.7.
      slice: (blob, timecode) => this.#tasks.enqueue(() => this.dispatchEvent(new BlobEvent('dataavailable', { data: blob, timecode }))),
      // 15.8.
      allTracksEnded: () => end(null),
      // 15.5.
      trackSetChanged: () =>
        end({ name: 'InvalidModificationError', message: "MediaRecorder stopped: a track was added to or removed from the recorded stream's track set." }),
      // 15.6.
      failed: (message) => end({ name: 'UnknownError', message: `MediaRecorder stopped: the encoder failed (${message}).` }),
    };
  }

  static {
    mediaRecorderInternals = {
      session: (recorder) => recorder.#session,
    };
  }
}

for (const type of ['start', 'stop', 'dataavailable', 'pause', 'resume', 'error']) {
  defineEventHandler(MediaRecorder.prototype, type, 'MediaRecorder', isMediaRecorder);
}
exposeInterface(MediaRecorder);

/** Brand check. */
export function isMediaRecorder(value: unknown): value is MediaRecorder {
  try {
    Reflect.get(MediaRecorder.prototype, 'state', value as object);
    return true;
  } catch {
    return false;
  }
}
