/**
 * One recording: from start() to the last byte. "Start recording all tracks in tracks ... and
 * gather the data into a Blob" (MediaStream Recording §2.3, start() step 15.3) and the watching
 * that steps 15.5–15.8 ask for run here; the recorder turns what this reports into queued tasks.
 *
 * Media arrives from each track's sink, is placed on the recording's timeline (timeline.ts),
 * converted to raw bytes (raw-media.ts) and written to the encoder (encoder.ts). The encoder's
 * output is gathered as the current blob's data. Memory stays bounded: when the encoder falls
 * more than about a second of video behind, new video frames are dropped (their slots repeat the
 * previous frame), as a real-time recorder must.
 *
 * Seekable files. The encoder always writes a streamable file (WebM/Matroska clusters, fragmented
 * MP4, Ogg pages), so data can be handed out at any moment (timeslice, requestData). Such a file
 * has no index and no duration in its header, like browsers' recordings. When the whole recording
 * goes out in the last Blob (no timeslice, no requestData that returned data), `finish()` has it
 * rewritten, without re-encoding, as a seekable file: WebM/Matroska with Cues and Duration, MP4
 * with its moov first. This costs a stream copy at stop (about 0.1 s per minute of 720p) and keeps
 * the recording in memory until then, as a browser does. Once a Blob has been handed out its bytes
 * cannot change, so a recording delivered in pieces stays streamable: a Duration or a Cues
 * position belongs in the first Blob's header, and neither is known when it is handed out.
 */
import { attachSink } from '../track/sink.js';
import { liveTracksOf, observeTrackSet, type Stream } from '../track/stream.js';
import type { Track } from '../track/track.js';
import type { AudioData } from '../../webcodecs/audio-data.js';
import type { VideoFrame } from '../../webcodecs/video-frame.js';
import type { RecorderConfiguration } from './configuration.js';
import type { EncoderSession } from './encoder.js';
import { AudioConverter, blackI420Bytes, i420Bytes } from './raw-media.js';
import { AudioCursor, RecordingTimeline, VideoSlots } from './timeline.js';

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

/** How long (µs) a track may lag the other before its gap is filled (a muted track sends nothing). */
const FILL_LAG = 200_000;
/** Bytes the encoder may fall behind before video frames are dropped (at least one second's worth). */
const MIN_BACKLOG_BYTES = 64 << 20;

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
  readonly width: number;
  readonly height: number;
  last: SharedBytes | null;
  ended: boolean;
}

interface AudioState {
  readonly track: Track;
  readonly cursor: AudioCursor;
  readonly converter: AudioConverter;
  ended: boolean;
}

export class RecordingSession {
  readonly mimeType: string;
  readonly started: Promise<void>;
  readonly #encoder: EncoderSession;
  readonly #stream: Stream;
  readonly #trackSet: readonly Track[];
  readonly #hooks: SessionHooks;
  readonly #timeline = new RecordingTimeline();
  readonly #video: VideoState | null;
  readonly #audio: AudioState | null;
  readonly #timeslice: number | undefined;
  readonly #timecodes: TimecodeOrigin;
  readonly #maxBacklog: number;
  #black: SharedBytes | null = null;
  #nextCut: number;
  #gathering = true;
  #stoppedGathering = false;
  #terminal = false;
  #chunks: Uint8Array[] = [];
  #deliveredBytes = 0;
  #blobFirstCapture: number | null = null;
  #lastCapture: number | null = null;
  #detach: (() => void)[] = [];
  #finished: Promise<void> | null = null;
  /** Video frames dropped because the encoder fell behind (for diagnostics and the bench). */
  droppedFrames = 0;
  /** Video slots filled by repeating a frame (gaps in the track's frames). */
  repeatedFrames = 0;
  /** Set by the recorder once the last data has been handed out (the `stop` event). */
  delivered = false;

  constructor(stream: Stream, config: RecorderConfiguration, timeslice: number | undefined, timecodes: TimecodeOrigin, hooks: SessionHooks) {
    this.mimeType = config.mimeType;
    this.#stream = stream;
    this.#trackSet = [...stream.trackSet];
    this.#hooks = hooks;
    this.#timeslice = timeslice === undefined ? undefined : timeslice * 1000;
    this.#nextCut = this.#timeslice ?? Infinity;
    this.#timecodes = timecodes;
    const { video, audio } = config.encoder;
    this.#video = video && config.videoTrack ? { track: config.videoTrack, slots: new VideoSlots(video.frameRate), width: video.width, height: video.height, last: null, ended: false } : null;
    this.#audio = audio && config.audioTrack ? { track: config.audioTrack, cursor: new AudioCursor(audio.sampleRate), converter: new AudioConverter(audio.sampleRate, audio.channelCount), ended: false } : null;
    const frameBytes = video ? video.width * video.height * 1.5 : 0;
    this.#maxBacklog = Math.max(MIN_BACKLOG_BYTES, frameBytes * Math.ceil(video?.frameRate ?? 0));

    this.#encoder = config.backend.start(config.encoder, {
      data: (chunk) => {
        this.#chunks.push(chunk);
      },
      failed: (message) => {
        this.#stopGathering();
        if (this.#claimEnd()) this.#hooks.failed(message);
      },
    });
    this.started = this.#encoder.started;
    this.started.catch(() => {
      this.#stopGathering();
      this.#terminal = true;
    });

    // Gathering starts now, so media that arrives before the encoder runs is kept.
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

  /** The encoder process id, for diagnostics. */
  get pid(): number | undefined {
    return this.#encoder.pid;
  }

  /** Bytes written to the encoder and not yet read by it. */
  get backlogBytes(): number {
    return this.#encoder.backlogBytes;
  }

  /** Output media time recorded so far (ms). */
  get recordedMs(): number {
    return this.#timeline.end / 1000;
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
    const blob = new Blob(this.#chunks as Uint8Array<ArrayBuffer>[], { type: this.mimeType });
    this.#deliveredBytes += blob.size;
    this.#chunks = [];
    const first = this.#blobFirstCapture ?? this.#lastCapture;
    const origin = this.#timecodes.origin;
    const timecode = origin === null || first === null ? 0 : (first - origin) / 1000;
    this.#blobFirstCapture = null;
    return { blob, timecode };
  }

  /**
   * Stops gathering and lets the encoder write everything. Resolves once its output is complete
   * (or it failed). When no data was handed out before, the whole file is rewritten as a seekable
   * one (index and duration) — see `EncoderSession.makeSeekable`.
   */
  finish(): Promise<void> {
    this.#finished ??= (async () => {
      this.#stopGathering();
      this.#padToEnd();
      this.#dropLast();
      await this.#encoder.finish();
      if (this.#deliveredBytes === 0 && this.#chunks.length > 0) {
        const whole = new Uint8Array(await new Blob(this.#chunks as Uint8Array<ArrayBuffer>[]).arrayBuffer());
        const seekable = await this.#encoder.makeSeekable(whole);
        this.#chunks = [seekable ?? whole];
      }
    })();
    return this.#finished;
  }

  /** Stops at once (the recording could not start). */
  async abort(): Promise<void> {
    this.#stopGathering();
    this.#dropLast();
    await this.#encoder.abort();
  }

  #stopGathering(): void {
    if (this.#stoppedGathering) return;
    this.#stoppedGathering = true;
    this.#gathering = false;
    for (const detach of this.#detach.splice(0)) detach();
  }

  /** Step 15.5: compares the stream's track set with the one at start. */
  #checkTrackSet(): boolean {
    if (this.#stoppedGathering) return false;
    const now = [...this.#stream.trackSet];
    if (now.length === this.#trackSet.length && now.every((t, i) => t === this.#trackSet[i])) return false;
    this.#stopGathering();
    if (this.#claimEnd()) this.#hooks.trackSetChanged();
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

  #onVideo(v: VideoState, frame: VideoFrame): void {
    try {
      if (!this.#accept(frame.timestamp)) return;
      const t = this.#timeline.map(frame.timestamp);
      if (this.#encoder.backlogBytes > this.#maxBacklog) {
        this.droppedFrames++;
        return;
      }
      const { repeats, write } = v.slots.place(t);
      if (!write) return;
      this.#repeatVideo(v, repeats);
      const { data, borrowed } = i420Bytes(frame, v.width, v.height);
      // A frame whose bytes are written as they are stays open until the encoder has them.
      const keep = borrowed ? frame.clone() : null;
      v.last?.release();
      v.last = new SharedBytes(data, () => keep?.close());
      this.#writeVideo(v.last);
      this.#advanced(v.slots.endTime);
    } finally {
      frame.close();
    }
  }

  #onAudio(a: AudioState, audio: AudioData): void {
    try {
      if (!this.#accept(audio.timestamp)) return;
      const t = this.#timeline.map(audio.timestamp);
      const { data, frames } = a.converter.convert(audio);
      const { silence, skip, take } = a.cursor.place(t, frames);
      if (silence > 0) this.#writeSilence(a, silence);
      if (take > 0) {
        const bytesPerFrame = a.converter.channels * 4;
        this.#encoder.writeAudio(data.subarray(skip * bytesPerFrame, (skip + take) * bytesPerFrame), () => {});
      }
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
    if (v && !v.ended && end - v.slots.endTime > FILL_LAG) this.#repeatVideo(v, v.slots.fillTo(end - FILL_LAG));
    if (a && !a.ended && end - a.cursor.endTime > FILL_LAG) this.#writeSilence(a, a.cursor.fillTo(end - FILL_LAG));
    // 15.7. a timeslice of data: start a new blob and hand this one over.
    if (end >= this.#nextCut) {
      while (this.#nextCut <= end) this.#nextCut += this.#timeslice!;
      const { blob, timecode } = this.takeBlob();
      this.#hooks.slice(blob, timecode);
    }
  }

  /** Fills `count` slots with the last frame (black before the first). */
  #repeatVideo(v: VideoState, count: number): void {
    for (let i = 0; i < count; i++) {
      this.repeatedFrames++;
      this.#writeVideo(v.last ?? (this.#black ??= new SharedBytes(blackI420Bytes(v.width, v.height), () => {})));
    }
  }

  #writeVideo(bytes: SharedBytes): void {
    this.#encoder.writeVideo(bytes.data, bytes.retain());
  }

  #writeSilence(a: AudioState, frames: number): void {
    const chunk = 4800;
    for (let left = frames; left > 0; left -= chunk) {
      const n = Math.min(chunk, left);
      this.#encoder.writeAudio(new Uint8Array(n * a.converter.channels * 4), () => {});
    }
  }

  /** At the end, every track that has not ended reaches the end of the recording (at least one frame). */
  #padToEnd(): void {
    const v = this.#video;
    const a = this.#audio;
    const end = Math.max(this.#timeline.end, v ? v.slots.slotTime(1) : 0);
    if (v && !v.ended) {
      if (v.slots.count === 0) this.#repeatVideo(v, v.slots.fillTo(v.slots.slotTime(1)));
      this.#repeatVideo(v, v.slots.fillTo(end));
    }
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
      this.#encoder.endVideo();
    } else this.#encoder.endAudio();
    // 15.8. every recorded track ended.
    if ((this.#video?.ended ?? true) && (this.#audio?.ended ?? true)) {
      this.#stopGathering();
      if (this.#claimEnd()) this.#hooks.allTracksEnded();
    }
  }
}

/** The live tracks of a stream ("tracks" of start() step 4). */
export function liveTracks(stream: Stream): Track[] {
  return liveTracksOf(stream);
}
