import { PlatformEventTarget } from '../realm/current.js';
import { isTypeSupported } from '../algorithms/recorder/is-type-supported.js';
import { Recorder } from '../algorithms/recorder/recorder.js';
import type { RecordingSession } from '../algorithms/recorder/recording-session.js';
import { illegalInvocation } from '../platform/errors.js';
import { defineEventHandler } from '../platform/event-handler.js';
import { exposeInterface, idlLength } from '../platform/interface.js';
import { converters } from '../webidl/index.js';
import type { BitrateMode, MediaRecorderOptions, RecordingState } from '../webidl/recording.js';
import { BlobEvent } from './BlobEvent.js';
import { ErrorEvent } from './ErrorEvent.js';
import { mediaStreamOf, streamOf, type MediaStream } from './MediaStream.js';

export type { BitrateMode, MediaRecorderOptions, RecordingState };

/** Brand check. */
export let isMediaRecorder: (value: unknown) => value is MediaRecorder;

/** Package-internal access to a recorder's current recording (diagnostics, tests, the bench). */
export let mediaRecorderInternals: {
  session(recorder: MediaRecorder): RecordingSession | null;
  /** Sets how long the encoder may take to finish after stop() (ms; default STOP_DEADLINE_MS), for later recordings. */
  setStopDeadline(recorder: MediaRecorder, ms: number): void;
};

/**
 * MediaRecorder (MediaStream Recording §2): records a MediaStream into a container file, handed
 * out as `Blob`s in `dataavailable` events. Encoding is done by an encoder backend (the system
 * ffmpeg; see src/backends/ffmpeg/index.ts). The algorithms are in src/algorithms/recorder/.
 */
export class MediaRecorder extends PlatformEventTarget {
  // Event handler attributes, defined on the prototype by defineEventHandler (below).
  declare onstart: ((this: MediaRecorder, ev: Event) => unknown) | null;
  declare onstop: ((this: MediaRecorder, ev: Event) => unknown) | null;
  declare ondataavailable: ((this: MediaRecorder, ev: BlobEvent) => unknown) | null;
  declare onpause: ((this: MediaRecorder, ev: Event) => unknown) | null;
  declare onresume: ((this: MediaRecorder, ev: Event) => unknown) | null;
  declare onerror: ((this: MediaRecorder, ev: Event) => unknown) | null;
  #recorder: Recorder;

  /** Throws NotSupportedError when `options.mimeType` cannot be recorded here. */
  constructor(stream: MediaStream, options: MediaRecorderOptions = {}) {
    const context = "Failed to construct 'MediaRecorder'";
    if (arguments.length < 1) throw new TypeError(`${context}: 1 argument required, but only 0 present.`);
    const recorded = converters.MediaStream(stream, `${context}: stream`);
    const converted = converters.MediaRecorderOptions(options, `${context}: options`);
    super();
    this.#recorder = new Recorder(streamOf(recorded)!, converted, { target: this, BlobEvent, ErrorEvent });
  }

  /** The recorded stream. */
  get stream(): MediaStream {
    if (!(#recorder in this)) throw illegalInvocation('MediaRecorder', 'stream');
    return mediaStreamOf(this.#recorder.stream);
  }

  /** The MIME type asked for; while recording (from the `start` event on), the one in use with its codecs. */
  get mimeType(): string {
    if (!(#recorder in this)) throw illegalInvocation('MediaRecorder', 'mimeType');
    return this.#recorder.mimeType;
  }

  get state(): RecordingState {
    if (!(#recorder in this)) throw illegalInvocation('MediaRecorder', 'state');
    return this.#recorder.state;
  }

  get videoBitsPerSecond(): number {
    if (!(#recorder in this)) throw illegalInvocation('MediaRecorder', 'videoBitsPerSecond');
    return this.#recorder.videoBitsPerSecond;
  }

  get audioBitsPerSecond(): number {
    if (!(#recorder in this)) throw illegalInvocation('MediaRecorder', 'audioBitsPerSecond');
    return this.#recorder.audioBitsPerSecond;
  }

  get audioBitrateMode(): BitrateMode {
    if (!(#recorder in this)) throw illegalInvocation('MediaRecorder', 'audioBitrateMode');
    return this.#recorder.audioBitrateMode;
  }

  /** start() (§2.3). `timeslice`: hand out data every this many milliseconds of recording. */
  start(timeslice?: number): void {
    if (!(#recorder in this)) throw illegalInvocation('MediaRecorder', 'start');
    const ts = timeslice === undefined ? undefined : converters['unsigned long'](timeslice, "Failed to execute 'start' on 'MediaRecorder': timeslice");
    this.#recorder.start(ts);
  }

  /** stop() (§2.3): the last data comes in a `dataavailable` event, then `stop`. */
  stop(): void {
    if (!(#recorder in this)) throw illegalInvocation('MediaRecorder', 'stop');
    this.#recorder.stop();
  }

  /** pause() (§2.3). */
  pause(): void {
    if (!(#recorder in this)) throw illegalInvocation('MediaRecorder', 'pause');
    this.#recorder.pause();
  }

  /** resume() (§2.3). */
  resume(): void {
    if (!(#recorder in this)) throw illegalInvocation('MediaRecorder', 'resume');
    this.#recorder.resume();
  }

  /** requestData() (§2.3): the data so far in a `dataavailable` event; recording goes on into a new Blob. */
  requestData(): void {
    if (!(#recorder in this)) throw illegalInvocation('MediaRecorder', 'requestData');
    this.#recorder.requestData();
  }

  /** isTypeSupported() (§2.3): whether this MIME type can be recorded here. */
  static isTypeSupported(type: string): boolean {
    const context = "Failed to execute 'isTypeSupported' on 'MediaRecorder'";
    if (arguments.length < 1) throw new TypeError(`${context}: 1 argument required, but only 0 present.`);
    return isTypeSupported(converters.DOMString(type, `${context}: type`), false);
  }

  static {
    isMediaRecorder = (value): value is MediaRecorder => typeof value === 'object' && value !== null && #recorder in value;
    mediaRecorderInternals = {
      session: (recorder) => recorder.#recorder.session,
      setStopDeadline: (recorder, ms) => {
        recorder.#recorder.stopDeadlineMs = ms;
      },
    };
  }
}

for (const type of ['start', 'stop', 'dataavailable', 'pause', 'resume', 'error']) {
  defineEventHandler(MediaRecorder.prototype, type, 'MediaRecorder', isMediaRecorder);
}
exposeInterface(MediaRecorder);
// start(optional unsigned long timeslice)
idlLength(MediaRecorder.prototype.start, 0);
