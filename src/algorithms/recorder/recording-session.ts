/**
 * One recording: from start() to the last byte. "Start recording all tracks in tracks ... and
 * gather the data into a Blob" (MediaStream Recording §2.3, start() step 15.3) and the watching
 * that steps 15.5–15.8 ask for run here; the recorder turns what this reports into queued tasks.
 *
 * Media arrives from each track's sink, is placed on the recording's timeline (timeline.ts),
 * converted to raw bytes (raw-media.ts) and written to the encoder (encoder.ts). The encoder's
 * output is gathered as the current blob's data.
 *
 * Real time. Capture does not wait for the encoder: what waits for it is a short queue per track
 * (about 100 ms of video, 500 ms of audio; more while the encoder starts). When the encoder falls
 * behind, what does not fit is dropped and counted (`stats`), never queued without bound and
 * never made up for later:
 * - video frames make room by dropping the oldest frame still waiting, so the queue holds the
 *   newest and the frame the encoder takes next is at most about 100 ms old, however slow it is.
 *   A dropped frame is simply absent: frames carry their times, so the frame before it lasts
 *   longer (variable frame rate) and picture and sound stay in sync. Only genuine gaps in a
 *   track's frames (a muted camera sends none) are filled with repeats, and only while the queue
 *   has room;
 * - dropped audio becomes silence of the same length, written once the queue has room again
 *   (audio is a continuous count of samples: a gap must be filled to keep sound and picture in
 *   sync). Silence costs no memory: every write of it shares one buffer of zeros.
 * On stop, media still queued is dropped too, and the encoder gets a deadline to write what it
 * already has (`finish`), so `dataavailable` and `stop` come within a frame or two of stop(), as
 * in a browser, however far behind the encoder is.
 *
 * Seekable files. The encoder always writes a streamable file (WebM/Matroska clusters, fragmented
 * MP4, Ogg pages), so data can be handed out at any moment (timeslice, requestData). Such a file
 * has no index and no duration in its header, like browsers' recordings. Without a timeslice, the
 * encoder also writes a seekable copy (WebM/Matroska with Cues and Duration, MP4 with its moov
 * first) from the same packets, completed when it ends; when the whole recording goes out in the
 * last Blob (no requestData returned data before), that Blob holds the seekable copy. Once a Blob
 * has been handed out its bytes cannot change, so a recording delivered in pieces stays
 * streamable: a Duration or a Cues position belongs in the first Blob's header, and neither is
 * known when it is handed out.
 */
import { attachSink } from '../track/sink.js';
import { liveTracksOf, observeTrackSet, type Stream } from '../track/stream.js';
import type { Track } from '../track/track.js';
import type { AudioData } from '../../webcodecs/audio-data.js';
import type { VideoFrame } from '../../webcodecs/video-frame.js';
import type { RecorderConfiguration } from './configuration.js';
import type { EncoderConfig, EncoderSession, InputQueue } from './encoder.js';
import { AudioConverter, blackI420Bytes, i420Bytes } from './raw-media.js';
import { AudioCursor, RecordingTimeline, VideoSlots } from './timeline.js';
import { queueMicrotask } from '../../platform/timers.js';

/** What the session reports; the recorder queues the spec's tasks for each. */
export interface SessionHooks {
  /** Step 15.7: a timeslice of data was collected; `blob` holds it. */
  slice(blob: Blob, timecode: number): void;
  /** Step 15.8: every recorded track ended. */
  allTracksEnded(): void;
  /** Step 15.5: a track was added to or removed from the stream's track set. */
  trackSetChanged(): void;
  /** Step 15.6: the encoder stopped by itself. */
  failed(message: string): void;
}

/** BlobEvent.timecode's origin, shared by all recordings of one MediaRecorder (§3.2). */
export interface TimecodeOrigin {
  /** Capture time (µs) of the first media of the recorder's first blob, or null before any. */
  origin: number | null;
}

/** What a recording did with the media it was given (diagnostics, the CLI, the bench). */
export interface RecordingStats {
  /** Video frames the track delivered while the recording gathered data. */
  videoFramesCaptured: number;
  /** Of those, frames the encoder took. */
  videoFramesWritten: number;
  /**
   * Frames dropped because the encoder was behind (its queue was full, they were the oldest in it
   * when newer ones came, or they were still queued at the end): captured frames that are not in
   * the recording. Frames waiting for the encoder are in neither count yet.
   */
  videoFramesDropped: number;
  /** Repeats the encoder took, for gaps in the track's frames (a muted camera sends none). */
  videoFramesRepeated: number;
  /** Audio dropped because the encoder was behind (ms of sound replaced by silence). */
  audioDroppedMs: number;
}

/** Options of a recording that are not part of its configuration. */
export interface SessionOptions {
  /** How long (ms) the encoder may take, after stop(), to write what it has (see EncoderSession.finish). */
  readonly stopDeadlineMs: number;
  /** Makes the Blob of a slice (the recorder's window's own Blob class, when it has a realm of its own). Default: `new Blob`. */
  readonly makeBlob?: (parts: Uint8Array<ArrayBuffer>[], type: string) => Blob;
}

/** How long (µs) a track may lag the other before its gap is filled (a muted track sends nothing). */
const FILL_LAG = 200_000;
/** Video that may wait for the encoder once it reads its input (ms of frames). */
const VIDEO_QUEUE_MS = 100;
/** Audio that may wait for the encoder once it reads its input (ms). */
const AUDIO_QUEUE_MS = 500;
/** Video that may wait while the encoder starts (it has not opened its input yet), ms of frames. */
const STARTUP_VIDEO_QUEUE_MS = 1000;
/** Audio that may wait while the encoder starts, ms (audio is small and costs little to catch up on). */
const STARTUP_AUDIO_QUEUE_MS = 3000;
/** Samples per write of silence. */
const SILENCE_CHUNK = 4800;

/** Bytes shared by several writes (the last frame is repeated): released when the last write is done. */
class SharedBytes {
  readonly data: Uint8Array;
  #refs = 1;
  readonly #release: () => void;
  constructor(data: Uint8Array, release: () => void) {
    this.data = data;
    this.#release = release;
  }
  retain(): () => void {
    this.#refs++;
    let done = false;
    return () => {
      if (!done) {
        done = true;
        this.release();
      }
    };
  }
  release(): void {
    if (--this.#refs === 0) this.#release();
  }
}

interface VideoState {
  readonly track: Track;
  readonly slots: VideoSlots;
  /** The recorded size (set by the first frame when the track's settings had none). */
  width: number;
  height: number;
  last: SharedBytes | null;
  /** The track sent nothing for a while (muted) and its slots are being filled with repeats. */
  filling: boolean;
  /** Repeats written to finish a fill, not yet taken: they do not take the room of captured frames. */
  tailRepeats: number;
  ended: boolean;
}

interface AudioState {
  readonly track: Track;
  readonly cursor: AudioCursor;
  readonly converter: AudioConverter;
  /** Bytes of one sample frame (all channels). */
  readonly frameBytes: number;
  /** Zeros for SILENCE_CHUNK samples, shared by every write of silence. */
  readonly zeros: Uint8Array;
  ended: boolean;
}

/** How many writes fit in a queue that may hold `ms` of media at `perSecond` writes a second. */
function queueLimit(ms: number, perSecond: number): number {
  return Math.max(2, Math.ceil((ms * perSecond) / 1000) + 1);
}

export class RecordingSession {
  readonly mimeType: string;
  /**
   * Resolves once the encoder runs; rejects if it cannot start. When the size comes from the
   * first frame, resolves at once (the recording has started: "start" does not wait for media)
   * and the encoder starts with the first frame; if it cannot, the recording fails then.
   */
  readonly started: Promise<void>;
  /** What was captured, written, dropped and repeated so far. */
  readonly stats: RecordingStats = { videoFramesCaptured: 0, videoFramesWritten: 0, videoFramesDropped: 0, videoFramesRepeated: 0, audioDroppedMs: 0 };
  /** Null until the first frame when the size comes from it (config.sizeFromFirstFrame). */
  #encoder: EncoderSession | null = null;
  readonly #config: RecorderConfiguration;
  readonly #stream: Stream;
  readonly #trackSet: readonly Track[];
  readonly #hooks: SessionHooks;
  readonly #options: SessionOptions;
  readonly #timeline = new RecordingTimeline();
  readonly #video: VideoState | null;
  readonly #audio: AudioState | null;
  readonly #timeslice: number | undefined;
  readonly #timecodes: TimecodeOrigin;
  #black: SharedBytes | null = null;
  #nextCut: number;
  #gathering = true;
  #stoppedGathering = false;
  #terminal = false;
  #chunks: Uint8Array[] = [];
  /** Whether media (not only the file's header) has come from the encoder since the last timeslice. */
  #mediaSinceCut = false;
  /** A timeslice is due, waiting for media from the encoder. */
  #cutPending = false;
  #deliveredBytes = 0;
  #blobFirstCapture: number | null = null;
  #lastCapture: number | null = null;
  #detach: (() => void)[] = [];
  #finished: Promise<void> | null = null;
  /** Units of media (clusters, fragments, pages) the encoder has given so far (diagnostics, tests). */
  mediaUnits = 0;
  /** Set by the recorder once the last data has been handed out (the `stop` event). */
  delivered = false;

  constructor(stream: Stream, config: RecorderConfiguration, timeslice: number | undefined, timecodes: TimecodeOrigin, hooks: SessionHooks, options: SessionOptions) {
    this.mimeType = config.mimeType;
    this.#stream = stream;
    this.#trackSet = [...stream.trackSet];
    this.#hooks = hooks;
    this.#options = options;
    this.#timeslice = timeslice === undefined ? undefined : timeslice * 1000;
    this.#nextCut = this.#timeslice ?? Infinity;
    this.#timecodes = timecodes;
    this.#config = config;
    this.mimeType = config.mimeType;
    const { video, audio } = config.encoder;
    this.#video = video && config.videoTrack ? { track: config.videoTrack, slots: new VideoSlots(video.frameRate), width: video.width, height: video.height, last: null, filling: false, tailRepeats: 0, ended: false } : null;
    this.#audio =
      audio && config.audioTrack
        ? {
            track: config.audioTrack,
            cursor: new AudioCursor(audio.sampleRate),
            converter: new AudioConverter(audio.sampleRate, audio.channelCount),
            frameBytes: audio.channelCount * 4,
            zeros: new Uint8Array(SILENCE_CHUNK * audio.channelCount * 4),
            ended: false,
          }
        : null;

    if (config.sizeFromFirstFrame && this.#video) {
      // The encoder starts with the first frame's size (#startEncoder); media before it is not
      // recorded: the recording begins with its first picture.
      this.started = Promise.resolve();
    } else this.started = this.#startEncoder(config.encoder);
    this.started.catch(() => {
      this.#stopGathering();
      this.#terminal = true;
    });

    // Gathering starts now, so media that arrives before the encoder runs is kept (when the
    // size comes from the first frame: from that frame on).
    if (this.#video) {
      const v = this.#video;
      this.#detach.push(attachSink(v.track, { media: (m) => this.#onVideo(v, m as VideoFrame), ended: () => this.#onEnded(v) }));
    }
    if (this.#audio) {
      const a = this.#audio;
      this.#detach.push(attachSink(a.track, { media: (m) => this.#onAudio(a, m as AudioData), ended: () => this.#onEnded(a) }));
    }
    this.#detach.push(observeTrackSet(this.#stream, () => void this.#checkTrackSet()));
  }

  #startEncoder(encoder: EncoderConfig): Promise<void> {
    const session = this.#config.backend.start(encoder, {
      data: (chunk, media) => {
        this.#chunks.push(chunk);
        if (!media) return;
        this.mediaUnits++;
        this.#mediaSinceCut = true;
        // A timeslice that waited for the encoder's first media since the last one.
        if (this.#cutPending && !this.#stoppedGathering) this.#cut();
      },
      failed: (message) => {
        this.#stopGathering();
        if (this.#claimEnd()) this.#hooks.failed(message);
      },
    });
    this.#encoder = session;
    return session.started;
  }

  /**
   * The recording's size is known (the first frame's, or the 640x480 default when the track ended
   * or the recording stopped before any frame): the encoder starts.
   */
  #sizeKnown(width: number | null, height: number | null): EncoderSession {
    if (this.#encoder) return this.#encoder;
    const v = this.#video!;
    let encoder = this.#config.encoder;
    if (width !== null && height !== null) {
      encoder = this.#config.sizeFromFirstFrame!(width, height);
      v.width = encoder.video!.width;
      v.height = encoder.video!.height;
    }
    this.#startEncoder(encoder).catch((e: unknown) => {
      this.#stopGathering();
      if (this.#claimEnd()) this.#hooks.failed(startFailureMessage(this.mimeType, e));
    });
    if (this.#audio?.ended) this.#encoder!.endAudio();
    return this.#encoder!;
  }

  /** The encoder; started at the default size when the first frame never came. */
  get #enc(): EncoderSession {
    return this.#encoder ?? this.#sizeKnown(null, null);
  }

  /** The encoder process id, for diagnostics. */
  get pid(): number | undefined {
    return this.#encoder?.pid;
  }

  /** Bytes written to the encoder and not yet read by it. */
  get backlogBytes(): number {
    return this.#encoder?.backlogBytes ?? 0;
  }

  /** Video frames dropped so far (`stats.videoFramesDropped`). */
  get droppedFrames(): number {
    return this.stats.videoFramesDropped;
  }

  /** Repeats written so far (`stats.videoFramesRepeated`). */
  get repeatedFrames(): number {
    return this.stats.videoFramesRepeated;
  }

  /** Output media time recorded so far (ms). */
  get recordedMs(): number {
    return this.#timeline.end / 1000;
  }

  /** Whether a timeslice is due and waits for the encoder's first media since the last one. */
  get cutPending(): boolean {
    return this.#cutPending;
  }

  /** Whether a terminal path (stop, end, error, track-set change) has been taken. */
  get ended(): boolean {
    return this.#terminal;
  }

  /** Takes the terminal path; false if another already took it. */
  #claimEnd(): boolean {
    if (this.#terminal) return false;
    this.#terminal = true;
    return true;
  }

  /** stop() takes the terminal path: true unless the recording already ended by itself. */
  claimStop(): boolean {
    return this.#claimEnd();
  }

  /** pause(): media stops being gathered until resume(). */
  pause(): void {
    this.#gathering = false;
  }

  /** resume(): gathering goes on, the timeline continuing where it stopped. */
  resume(): void {
    if (this.#stoppedGathering || this.#gathering) return;
    this.#gathering = true;
    this.#timeline.reanchor();
  }

  /**
   * "The Blob of collected data so far", then "create a new Blob and gather subsequent data into
   * it". The timecode is that of the first media gathered into it (§3.2).
   */
  takeBlob(): { blob: Blob; timecode: number } {
    const parts = this.#chunks as Uint8Array<ArrayBuffer>[];
    const blob = this.#options.makeBlob ? this.#options.makeBlob(parts, this.mimeType) : new Blob(parts, { type: this.mimeType });
    this.#deliveredBytes += blob.size;
    this.#chunks = [];
    this.#mediaSinceCut = false;
    const first = this.#blobFirstCapture ?? this.#lastCapture;
    const origin = this.#timecodes.origin;
    const timecode = origin === null || first === null ? 0 : (first - origin) / 1000;
    this.#blobFirstCapture = null;
    return { blob, timecode };
  }

  /**
   * Stops gathering, drops what still waits for the encoder, and lets the encoder write what it
   * has, within the stop deadline. Resolves once its output is complete (or it failed, or the
   * deadline stopped it). When no data was handed out before, the last Blob gets the seekable copy.
   */
  finish(): Promise<void> {
    this.#finished ??= (async () => {
      this.#stopGathering();
      // 1. What is still queued would take the encoder as long to catch up as it is behind.
      const discarded = this.#enc.discardQueued();
      if (this.#audio) this.stats.audioDroppedMs += this.#samplesMs(discarded.audioBytes / this.#audio.frameBytes);
      // 2. Every track that has not ended reaches the end of the recording.
      this.#padToEnd();
      this.#dropLast();
      // 3. The encoder writes what it has, within the deadline.
      await this.#enc.finish({ deadlineMs: this.#options.stopDeadlineMs });
      const seekable = await this.#enc.seekableFile();
      if (seekable && this.#deliveredBytes === 0 && this.#chunks.length > 0) this.#chunks = [seekable];
    })();
    return this.#finished;
  }

  /** Stops at once (the recording could not start). */
  async abort(): Promise<void> {
    this.#stopGathering();
    this.#dropLast();
    await this.#encoder?.abort();
  }

  #stopGathering(): void {
    if (this.#stoppedGathering) return;
    this.#stoppedGathering = true;
    this.#gathering = false;
    for (const detach of this.#detach.splice(0)) detach();
  }

  /**
   * Step 15.5: compares the stream's track set with the one at start. On a change, gathering stops
   * at once; the terminal path is taken in a microtask, so that script that removes a track and
   * then calls stop() in the same turn stops the recording cleanly, as browsers do.
   */
  #checkTrackSet(): boolean {
    if (this.#stoppedGathering) return false;
    const now = [...this.#stream.trackSet];
    if (now.length === this.#trackSet.length && now.every((t, i) => t === this.#trackSet[i])) return false;
    this.#stopGathering();
    queueMicrotask(() => {
      if (this.#claimEnd()) this.#hooks.trackSetChanged();
    });
    return true;
  }

  /** Whether media captured now is gathered; notes its capture time for timecodes. */
  #accept(captureTimestamp: number): boolean {
    if (!this.#gathering || this.#checkTrackSet()) return false;
    this.#lastCapture = captureTimestamp;
    this.#blobFirstCapture ??= captureTimestamp;
    this.#timecodes.origin ??= captureTimestamp;
    return true;
  }

  /** How many more video frames the encoder's queue takes now (≤ 0: none). */
  #videoRoom(v: VideoState): number {
    const q: InputQueue = this.#enc.videoQueue;
    return queueLimit(q.open ? VIDEO_QUEUE_MS : STARTUP_VIDEO_QUEUE_MS, v.slots.frameRate) - (q.items - v.tailRepeats);
  }

  /** Whether the encoder's audio queue takes more now. */
  #audioHasRoom(a: AudioState): boolean {
    const q = this.#enc.audioQueue;
    const ms = q.open ? AUDIO_QUEUE_MS : STARTUP_AUDIO_QUEUE_MS;
    return q.bytes < (ms / 1000) * a.cursor.sampleRate * a.frameBytes;
  }

  #samplesMs(samples: number): number {
    return this.#audio ? (samples * 1000) / this.#audio.cursor.sampleRate : 0;
  }

  #onVideo(v: VideoState, frame: VideoFrame): void {
    try {
      if (!this.#encoder) this.#sizeKnown(frame.displayWidth, frame.displayHeight);
      if (!this.#accept(frame.timestamp)) return;
      this.stats.videoFramesCaptured++;
      const t = this.#timeline.map(frame.timestamp);
      // The frame takes its slot (or none: its slot is taken, the source runs faster than its rate).
      const { repeats, write } = v.slots.place(t);
      if (!write) return;
      const slot = v.slots.count - 1;
      // The end of a gap being filled (the track was muted) repeats the frame before up to this
      // one, as the rest of the gap did; a shorter gap (a frame late, a source slower than its
      // rate) needs nothing: the frame before lasts longer.
      const tail = v.filling ? repeats : 0;
      v.filling = false;
      // The encoder is behind: the oldest frames still waiting for it make room (the queue holds
      // the newest, so what the encoder takes next is recent); if none can, this one is dropped.
      // A dropped frame's slot stays empty: the frame before lasts longer.
      let room = this.#videoRoom(v);
      if (room <= 0) room += this.#enc.dropQueuedVideo(1 - room);
      if (room <= 0) this.stats.videoFramesDropped++;
      else {
        // Written whatever the room: at most FILL_LAG of slots, once per gap.
        this.#repeatVideo(v, slot - tail, tail, true);
        const { data, borrowed } = i420Bytes(frame, v.width, v.height);
        // A frame whose bytes are written as they are stays open until the encoder has them.
        const keep = borrowed ? frame.clone() : null;
        v.last?.release();
        v.last = new SharedBytes(data, () => keep?.close());
        this.#writeVideo(v.last, slot, 'captured');
      }
      this.#advanced(v.slots.endTime);
    } finally {
      frame.close();
    }
  }

  #onAudio(a: AudioState, audio: AudioData): void {
    try {
      // Before the first frame of a video track whose size it gives: not recorded.
      if (!this.#encoder || !this.#accept(audio.timestamp)) return;
      const t = this.#timeline.map(audio.timestamp);
      const { data, frames } = a.converter.convert(audio);
      if (!this.#audioHasRoom(a)) {
        // The encoder is behind: these samples are dropped. The cursor stays, so the next samples
        // written are preceded by silence for them.
        this.stats.audioDroppedMs += this.#samplesMs(frames);
        this.#advanced(t + (frames * 1e6) / a.cursor.sampleRate);
        return;
      }
      const { silence, skip, take } = a.cursor.place(t, frames);
      if (silence > 0) this.#writeSilence(a, silence);
      if (take > 0) this.#enc.writeAudio(data.subarray(skip * a.frameBytes, (skip + take) * a.frameBytes), () => {});
      this.#advanced(a.cursor.endTime);
    } finally {
      audio.close();
    }
  }

  /** After a track advanced to output time `t`: fill the other track's gap, cut a timeslice. */
  #advanced(t: number): void {
    this.#timeline.extend(t);
    const end = this.#timeline.end;
    const v = this.#video;
    const a = this.#audio;
    if (v && !v.ended && end - v.slots.endTime > FILL_LAG) {
      // A track that sends nothing (muted): its slots repeat the last frame, as far as the queue
      // has room; the slots are used up either way (the last frame lasts longer).
      const from = v.slots.count;
      const count = v.slots.fillTo(end - FILL_LAG);
      const written = Math.max(0, Math.min(count, this.#videoRoom(v)));
      this.#repeatVideo(v, from + count - written, written);
      if (count > 0) v.filling = true;
    }
    if (a && !a.ended && end - a.cursor.endTime > FILL_LAG && this.#audioHasRoom(a)) this.#writeSilence(a, a.cursor.fillTo(end - FILL_LAG));
    // 15.7. a timeslice of data has been collected: once the encoder has given some of it
    // (not before: a Blob without media carries nothing of its slice), start a new blob and hand
    // this one over.
    if (end >= this.#nextCut) {
      while (this.#nextCut <= end) this.#nextCut += this.#timeslice!;
      if (this.#mediaSinceCut) this.#cut();
      else this.#cutPending = true;
    }
  }

  #cut(): void {
    this.#cutPending = false;
    this.#mediaSinceCut = false;
    const { blob, timecode } = this.takeBlob();
    this.#hooks.slice(blob, timecode);
  }

  /** Fills `count` slots from `first` on with the last frame (black before the first); `tail`: the end of a fill. */
  #repeatVideo(v: VideoState, first: number, count: number, tail = false): void {
    const bytes = v.last ?? (this.#black ??= new SharedBytes(blackI420Bytes(v.width, v.height), () => {}));
    for (let i = 0; i < count; i++) this.#writeVideo(bytes, first + i, tail ? 'tail repeat' : 'repeat');
  }

  /**
   * Writes a frame (or a repeat) at `slot`. It is counted once the encoder has taken it (written,
   * repeated) or let it go (dropped: a captured frame the recording does not have).
   */
  #writeVideo(bytes: SharedBytes, slot: number, what: 'captured' | 'repeat' | 'tail repeat'): void {
    const v = this.#video!;
    const release = bytes.retain();
    if (what === 'tail repeat') v.tailRepeats++;
    this.#enc.writeVideo(bytes.data, v.slots.slotTime(slot), (taken) => {
      release();
      if (what === 'tail repeat') v.tailRepeats--;
      if (what === 'captured') {
        if (taken) this.stats.videoFramesWritten++;
        else this.stats.videoFramesDropped++;
      } else if (taken) this.stats.videoFramesRepeated++;
    });
  }

  #writeSilence(a: AudioState, frames: number): void {
    for (let left = frames; left > 0; left -= SILENCE_CHUNK) {
      const n = Math.min(SILENCE_CHUNK, left);
      this.#enc.writeAudio(a.zeros.subarray(0, n * a.frameBytes), () => {});
    }
  }

  /**
   * At the end, every track that has not ended reaches the end of the recording: the sound with
   * silence; the picture has at least one frame (its last frame lasts to the end).
   */
  #padToEnd(): void {
    const v = this.#video;
    const a = this.#audio;
    const end = Math.max(this.#timeline.end, v ? v.slots.slotTime(1) : 0);
    if (v && !v.ended && v.slots.count === 0) this.#repeatVideo(v, 0, v.slots.fillTo(v.slots.slotTime(1)));
    if (a && !a.ended) this.#writeSilence(a, a.cursor.fillTo(Math.max(end, 20_000)));
  }

  #dropLast(): void {
    this.#video?.last?.release();
    if (this.#video) this.#video.last = null;
  }

  #onEnded(state: VideoState | AudioState): void {
    if (state.ended) return;
    state.ended = true;
    if (this.#stoppedGathering) return;
    if (state === this.#video) {
      this.#dropLast();
      this.#enc.endVideo();
    } else if (this.#encoder) this.#encoder.endAudio();
    // (Audio that ends before the first frame ends when the encoder starts: #sizeKnown.)
    // 15.8. every recorded track ended.
    if ((this.#video?.ended ?? true) && (this.#audio?.ended ?? true)) {
      this.#stopGathering();
      if (this.#claimEnd()) this.#hooks.allTracksEnded();
    }
  }
}

/** Why a recording of `mimeType` could not start: the encoder's error. */
export function startFailureMessage(mimeType: string, error: unknown): string {
  return `MediaRecorder could not start encoding ${mimeType}: ${error instanceof Error ? error.message : String(error)}`;
}

/** The live tracks of a stream ("tracks" of start() step 4). */
export function liveTracks(stream: Stream): Track[] {
  return liveTracksOf(stream);
}
