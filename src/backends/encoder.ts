/**
 * The contract between MediaRecorder and the programs that encode and mux: an
 * {@link EncoderBackend} says which formats it can write (synchronously, for isTypeSupported) and
 * starts an {@link EncoderSession} for one recording. The recorder hands the session raw media
 * on the recording's timeline (I420 frames with their timestamps, at most one per frame interval
 * and with gaps where frames were dropped; interleaved f32 samples without gaps) and gets back
 * the bytes of a streamable file as they are made. Encoder backends are registered in the backend
 * registry (registry.ts, kind "encoder"); the recorder uses the first that supports a
 * configuration, trying the latest registered first.
 *
 * Real time. The session queues what it is given until the encoder takes it and reports how much
 * waits ({@link EncoderSession.videoQueue}, {@link EncoderSession.audioQueue}); the recorder keeps
 * those queues short by dropping media when the encoder falls behind. Whatever the session holds
 * beyond that (a program's input buffers, its encoder's lookahead) should be a few frames, because
 * at the end `finish()` is given a deadline.
 */

/** A video codec the recorder can encode. */
export type VideoCodec = 'vp8' | 'vp9' | 'av1' | 'h264' | 'hevc';
/** An audio codec the recorder can encode. */
export type AudioCodec = 'opus' | 'aac' | 'pcm';
/** A container the recorder can write. */
export type Container = 'webm' | 'matroska' | 'mp4' | 'ogg';

/** What to encode the video track into. Frames are I420, tightly packed, `width`×`height`. */
export interface VideoEncoderConfig {
  readonly codec: VideoCodec;
  readonly width: number;
  readonly height: number;
  /**
   * The track's frame rate: frames come at most this often, each at a multiple of 1/frameRate s
   * (frames the recorder dropped leave gaps: the frame before lasts longer).
   */
  readonly frameRate: number;
  readonly bitsPerSecond: number;
  /** A key frame every this many frames (§2.3 start() step 12), or null. */
  readonly keyFrameIntervalCount: number | null;
  /** A key frame on the first frame this many milliseconds after the last one, or null. */
  readonly keyFrameIntervalDuration: number | null;
  /** H.264 only: profile_idc and level_idc (from an `avc1.PPCCLL` codec string, or chosen). */
  readonly h264?: { readonly profileIdc: number; readonly levelIdc: number };
  /** The sample entry / codec tag to write where the container has a choice (`hvc1`, `hev1`). */
  readonly tag?: string;
}

/** What to encode the audio track into. Samples are f32, interleaved. */
export interface AudioEncoderConfig {
  readonly codec: AudioCodec;
  readonly sampleRate: number;
  readonly channelCount: number;
  readonly bitsPerSecond: number;
  readonly bitrateMode: 'constant' | 'variable';
}

/** One recording's encoding configuration. */
export interface EncoderConfig {
  readonly container: Container;
  readonly video: VideoEncoderConfig | null;
  readonly audio: AudioEncoderConfig | null;
  /**
   * How often the output should carry complete data (ms): cluster, fragment or page duration. The
   * recorder cuts blobs on its own; this only keeps the muxer from holding data back longer.
   */
  readonly flushIntervalMs: number;
  /**
   * Whether to also make a seekable copy of the file (an index, the duration in the header, MP4's
   * moov first), handed out by {@link EncoderSession.seekableFile} after `finish()`. Asked for
   * when the whole recording is likely to go out in one Blob (no timeslice).
   */
  readonly seekableCopy?: boolean;
}

/** What waits for the encoder on one input: handed to write*() and not yet taken by it. */
export interface InputQueue {
  /** Writes waiting (video frames, or chunks of samples), including one being written. */
  readonly items: number;
  /** Their size in bytes. */
  readonly bytes: number;
  /**
   * Whether the encoder has opened this input and reads it. Before that (the encoder is still
   * starting) writes wait, and the recorder allows a longer queue.
   */
  readonly open: boolean;
}

/** Options of {@link EncoderSession.finish}. */
export interface FinishOptions {
  /**
   * Milliseconds the encoder may take, once its inputs have ended, to encode and write what it
   * already has. After that it is stopped: what it wrote is kept, the rest is lost. Default: no
   * deadline (a session may still stop an encoder that writes nothing for a long time).
   */
  readonly deadlineMs?: number;
}

/** How `finish()` ended. */
export interface FinishResult {
  /** False when the deadline cut the encoder short (the output may lack its last part). */
  readonly complete: boolean;
}

/** Callbacks from a running session. */
export interface EncoderCallbacks {
  /**
   * Bytes of the output file, in order. Where the backend can tell, each call ends at the end of
   * a unit of the container (the header; a cluster, fragment or page) and `media` says whether the
   * bytes hold media, not only the header: the recorder hands out a timeslice's Blob once it holds
   * some. A backend that cannot tell passes true.
   */
  data(chunk: Uint8Array, media: boolean): void;
  /** The encoder stopped by itself (crashed, was killed, failed): called once, after its last data. */
  failed(message: string): void;
}

/** One running encoder. */
export interface EncoderSession {
  /** Resolves when the encoder runs; rejects (with a message for NotSupportedError) if it cannot start. */
  readonly started: Promise<void>;
  /** An identifier of the process doing the work, for diagnostics and tests (a pid), if any. */
  readonly pid: number | undefined;
  /** Bytes handed to write*() and not yet taken by the encoder (both inputs). */
  readonly backlogBytes: number;
  /** The video frames waiting for the encoder. */
  readonly videoQueue: InputQueue;
  /** The audio waiting for the encoder. */
  readonly audioQueue: InputQueue;
  /**
   * Queues one video frame to be shown from `timestamp` (µs from the start of the recording) on;
   * `done(taken)` is called once the bytes are no longer needed: taken by the encoder (true), or
   * let go (false: discarded, or the encoder is gone).
   */
  writeVideo(frame: Uint8Array, timestamp: number, done: (taken: boolean) => void): void;
  /** Queues audio samples, continuing the samples before; `done` as for writeVideo. */
  writeAudio(samples: Uint8Array, done: (taken: boolean) => void): void;
  /** No more video (the track ended): the encoder sees the end of that input. */
  endVideo(): void;
  /** No more audio. */
  endAudio(): void;
  /**
   * Lets go of up to `frames` of the oldest video frames still queued that the encoder has not
   * begun to take, so that the queue holds the newest; returns how many.
   */
  dropQueuedVideo(frames: number): number;
  /**
   * Lets go of the writes still queued that the encoder has not begun to take (a write being
   * taken completes; an input the encoder has not opened yet keeps its writes: they are the start
   * of the recording, not a backlog). Returns how many video frames and audio bytes were let go.
   */
  discardQueued(): { videoFrames: number; audioBytes: number };
  /**
   * Ends all inputs and resolves once the encoder has written what it has and exited (or failed),
   * or once the deadline has stopped it.
   */
  finish(options?: FinishOptions): Promise<FinishResult>;
  /** Stops at once, discarding what is not yet encoded; resolves when nothing is left running. */
  abort(): Promise<void>;
  /**
   * After `finish()`: the seekable copy asked for with `seekableCopy` (WebM/Matroska with Cues
   * and Duration, MP4 with its moov first), or null when there is none (not asked for, the
   * container needs none, or the encoder did not complete it). The streamed bytes are the same
   * recording and stay valid either way.
   */
  seekableFile(): Promise<Uint8Array | null>;
}

/** A way of encoding: the ffmpeg program, an in-process library, … */
export interface EncoderBackend {
  readonly name: string;
  /** Whether the backend is usable here at all (its program or library is present). Synchronous. */
  available(): boolean;
  /** A message saying how to make the backend available, for NotSupportedError. */
  readonly unavailableMessage: string;
  /** Whether it can write `container` with these codecs (null: that kind absent). Synchronous. */
  supports(container: Container, video: VideoCodec | null, audio: AudioCodec | null): boolean;
  /** Starts encoding. Never throws: failures come through `started` and `callbacks.failed`. */
  start(config: EncoderConfig, callbacks: EncoderCallbacks): EncoderSession;
}
