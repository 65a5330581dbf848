/**
 * The contract between MediaRecorder and the programs that encode and mux: an
 * {@link EncoderBackend} says which formats it can write (synchronously, for isTypeSupported) and
 * starts an {@link EncoderSession} for one recording. The recorder hands the session raw media
 * on a constant-frame-rate timeline (I420 frames, interleaved f32 samples) and gets back the bytes
 * of a streamable file as they are made. Encoder backends are registered in the backend registry
 * (registry.ts, kind "encoder"); the recorder uses the first that supports a configuration,
 * trying the latest registered first.
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
  /** Frames per second of the constant-rate timeline the recorder feeds. */
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
}

/** Callbacks from a running session. */
export interface EncoderCallbacks {
  /** Bytes of the output file, in order. */
  data(chunk: Uint8Array): void;
  /** The encoder stopped by itself (crashed, was killed, failed): called once, after its last data. */
  failed(message: string): void;
}

/** One running encoder. */
export interface EncoderSession {
  /** Resolves when the encoder runs; rejects (with a message for NotSupportedError) if it cannot start. */
  readonly started: Promise<void>;
  /** An identifier of the process doing the work, for diagnostics and tests (a pid), if any. */
  readonly pid: number | undefined;
  /** Bytes handed to write*() and not yet taken by the encoder. */
  readonly backlogBytes: number;
  /** Queues one video frame; `done` is called once the bytes are no longer needed (written or dropped). */
  writeVideo(frame: Uint8Array, done: () => void): void;
  /** Queues audio samples; `done` as for writeVideo. */
  writeAudio(samples: Uint8Array, done: () => void): void;
  /** No more video (the track ended): the encoder sees the end of that input. */
  endVideo(): void;
  /** No more audio. */
  endAudio(): void;
  /** Ends all inputs and resolves once the encoder has written everything and exited (or failed). */
  finish(): Promise<void>;
  /** Stops at once, discarding what is not yet encoded; resolves when nothing is left running. */
  abort(): Promise<void>;
  /**
   * Rewrites a complete streamed file (all of this session's output) as a seekable one: an index
   * (WebM/Matroska Cues), the duration in the header, MP4's moov first. Resolves to null when the
   * container needs nothing or the rewrite failed; the streamed bytes stay valid either way.
   */
  makeSeekable(file: Uint8Array): Promise<Uint8Array | null>;
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
