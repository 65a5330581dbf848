/**
 * The ffmpeg command line for one recording: raw media in, a streamable file out on stdout (and,
 * when asked, a seekable copy in a file). Pure (no I/O), so the choices are testable and readable
 * in one place.
 */
import type { AudioCodec, AudioEncoderConfig, Container, EncoderConfig, VideoCodec, VideoEncoderConfig } from '../encoder.js';

/** The ffmpeg encoder used for each codec, in order of preference. */
export const ENCODERS: Readonly<Record<VideoCodec | AudioCodec, readonly string[]>> = {
  vp8: ['libvpx'],
  vp9: ['libvpx-vp9'],
  av1: ['libsvtav1', 'libaom-av1'],
  h264: ['libx264'],
  hevc: ['libx265'],
  opus: ['libopus'],
  aac: ['aac'],
  pcm: ['pcm_f32le'],
};

/** The ffmpeg muxer of each container. */
export const MUXERS: Readonly<Record<Container, string>> = { webm: 'webm', matroska: 'matroska', mp4: 'mp4', ogg: 'ogg' };

/**
 * Which codecs each muxer takes (ffmpeg's webm muxer refuses anything else).
 *
 * AV1 is left out. Quirks of Debian 12's ffmpeg 5.1: libsvtav1 fed from a socket sometimes never
 * exits after the end of its input (threads waiting on each other), and libaom-av1's packets are
 * refused by the Matroska muxer when it writes to a pipe ("av_interleaved_write_frame(): Invalid
 * data found when processing input"). Recording needs both to work, so `isTypeSupported` says
 * false for av1 / av01. test/recorder/quirks.test.ts shows the libaom one.
 */
export const MUXER_CODECS: Readonly<Record<Container, readonly (VideoCodec | AudioCodec)[]>> = {
  webm: ['vp8', 'vp9', 'opus'],
  matroska: ['vp8', 'vp9', 'h264', 'hevc', 'opus', 'aac', 'pcm'],
  mp4: ['h264', 'hevc', 'vp9', 'aac', 'opus'],
  ogg: ['opus'],
};

/** Where the raw media comes from: an ffmpeg input URL. */
export interface InputUrls {
  /** Both tracks in one live Matroska stream (raw-matroska.ts). */
  readonly media: string;
}

/** A key frame interval wide enough that the encoder adds none of its own. */
const NO_AUTOMATIC_KEY_FRAMES = 100_000;
/** Key frame interval when the application sets none: about 3 s at 30 fps, like browsers. */
const DEFAULT_GOP_FRAMES = 100;

function keyFrameArgs(v: VideoEncoderConfig): string[] {
  // §2.3 start() step 12: a key frame every N frames, or on the first frame D ms after the last.
  if (v.keyFrameIntervalCount !== null) {
    const n = String(Math.max(1, v.keyFrameIntervalCount));
    return ['-g', n, '-keyint_min', n, ...(v.codec === 'h264' || v.codec === 'hevc' ? ['-sc_threshold', '0'] : [])];
  }
  if (v.keyFrameIntervalDuration !== null) {
    const seconds = Math.max(0, v.keyFrameIntervalDuration) / 1000;
    return [
      '-g', String(NO_AUTOMATIC_KEY_FRAMES),
      ...(v.codec === 'h264' || v.codec === 'hevc' ? ['-sc_threshold', '0'] : []),
      // prev_forced_t is NAN before the first forced key frame (frame 0 is a key frame anyway).
      '-force_key_frames', `expr:if(isnan(prev_forced_t),eq(n,0),gte(t-prev_forced_t,${seconds}))`,
    ];
  }
  return ['-g', String(DEFAULT_GOP_FRAMES)];
}

/** Encoder options for a video codec: real-time speed settings, as browsers use for recording. */
export function videoCodecArgs(v: VideoEncoderConfig, encoder: string, threads: number): string[] {
  const rate = ['-b:v', String(v.bitsPerSecond)];
  const t = ['-threads', String(threads)];
  switch (encoder) {
    case 'libvpx':
      return ['-c:v', 'libvpx', ...rate, '-deadline', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0', ...t, ...keyFrameArgs(v)];
    case 'libvpx-vp9':
      return ['-c:v', 'libvpx-vp9', ...rate, '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-lag-in-frames', '0', ...t, ...keyFrameArgs(v)];
    case 'libsvtav1':
      return ['-c:v', 'libsvtav1', ...rate, '-preset', '12', ...keyFrameArgs(v)];
    case 'libaom-av1':
      return ['-c:v', 'libaom-av1', ...rate, '-usage', 'realtime', '-cpu-used', '8', '-row-mt', '1', ...t, ...keyFrameArgs(v)];
    case 'libx264': {
      const h = v.h264 ?? { profileIdc: 0x64, levelIdc: 0 };
      const profile = h.profileIdc === 0x42 ? 'baseline' : h.profileIdc === 0x4d ? 'main' : 'high';
      const level = h.levelIdc > 0 ? ['-level:v', (h.levelIdc / 10).toFixed(1)] : [];
      return ['-c:v', 'libx264', ...rate, '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', profile, ...level, ...t, ...keyFrameArgs(v)];
    }
    case 'libx265':
      return ['-c:v', 'libx265', ...rate, '-preset', 'ultrafast', '-tune', 'zerolatency', '-x265-params', 'log-level=error', ...keyFrameArgs(v)];
    default:
      throw new Error(`internal: no options for video encoder ${encoder}`);
  }
}

/** Encoder options for an audio codec. */
export function audioCodecArgs(a: AudioEncoderConfig, encoder: string): string[] {
  switch (encoder) {
    case 'libopus':
      // "constant" is hard CBR; "variable" is libopus's default VBR.
      return ['-c:a', 'libopus', '-b:a', String(a.bitsPerSecond), '-vbr', a.bitrateMode === 'constant' ? 'off' : 'on'];
    case 'aac':
      return ['-c:a', 'aac', '-b:a', String(a.bitsPerSecond)];
    case 'pcm_f32le':
      return ['-c:a', 'pcm_f32le'];
    default:
      throw new Error(`internal: no options for audio encoder ${encoder}`);
  }
}

/** An option of a muxer: its name and value (`-name value` on the command line). */
export type MuxerOption = readonly [name: string, value: string];

/**
 * Muxer options for streaming output: data leaves the muxer at least every `flushMs` (a cluster,
 * fragment or page is written once it is complete, so its length is how long the muxer holds
 * media back), and each packet is flushed to the pipe at once.
 */
export function streamingMuxerOptions(container: Container, flushMs: number): MuxerOption[] {
  const ms = Math.max(10, Math.round(flushMs));
  const common: MuxerOption[] = [['flush_packets', '1']];
  switch (container) {
    case 'webm':
    case 'matroska':
      // A pipe is not seekable, so ffmpeg writes each cluster with its size once it is complete:
      // short clusters keep the data flowing.
      return [...common, ['cluster_time_limit', String(ms)]];
    case 'mp4':
      // Fragmented MP4 is the streamable form: an empty moov, then moof+mdat fragments.
      return [...common, ['movflags', 'frag_keyframe+empty_moov+default_base_moof'], ['frag_duration', String(ms * 1000)]];
    case 'ogg':
      return [...common, ['page_duration', String(ms * 1000)]];
  }
}

/**
 * Muxer options for the seekable copy, written to a file: WebM/Matroska get Cues (the index),
 * Duration and a SeekHead pointing at both; MP4 gets one moov with the sample tables, moved before
 * the media data (and, written from the encoder's packets, an edit list that hides AAC's priming
 * samples, which fragmented MP4 lacks: see test/recorder/quirks.test.ts). Null for Ogg, which has
 * no index (players find the duration from the last page).
 */
export function seekableMuxerOptions(container: Container): MuxerOption[] | null {
  switch (container) {
    case 'webm':
    case 'matroska':
      return [];
    case 'mp4':
      return [['movflags', '+faststart']];
    case 'ogg':
      return null;
  }
}

/** Muxer options for streaming output, as command-line arguments (the muxer named last). */
export function muxerArgs(container: Container, flushMs: number): string[] {
  return [...streamingMuxerOptions(container, flushMs).flatMap(([name, value]) => [`-${name}`, value]), '-f', MUXERS[container]];
}

/** Characters with a meaning in the tee muxer's syntax (`[opt=value:opt=value]file|…`). */
const TEE_SPECIAL = /[\\:|[\]=]/;

/**
 * One output of the tee muxer: `[f=muxer:name=value…]file`. The tee splits its outputs at `|`
 * and unescapes them once, so a file name is escaped once; option values would need escaping
 * twice, and ours never need it.
 */
function teeSlave(container: Container, options: readonly MuxerOption[], file: string): string {
  const opts = [['f', MUXERS[container]] as const, ...options].map(([name, value]) => {
    if (TEE_SPECIAL.test(value)) throw new Error(`internal: muxer option ${name}=${value} needs escaping for the tee muxer`);
    return `${name}=${value}`;
  });
  return `[${opts.join(':')}]${file.replace(new RegExp(TEE_SPECIAL, 'g'), (c) => `\\${c}`)}`;
}

/**
 * The raw input (raw-matroska.ts): one stream with both tracks, read as it is written. Probing is
 * cut to the minimum (by default ffmpeg reads up to 5 MB or 5 s to "find stream info", seconds of
 * recording before it starts): the tracks' formats are in the header. With one input ffmpeg reads
 * in its main thread, so it holds no queue of its own in front of the encoders: what waits for it
 * is the recorder's queue (bounded, recording-session.ts) and the socket's buffer.
 */
const RAW_INPUT = ['-probesize', '32', '-analyzeduration', '0', '-f', 'matroska'];

/**
 * How long the muxer may buffer one stream's packets while waiting for the other's (µs). Both
 * tracks' media flows at all times (a muted track is filled), so this matters only when one falls
 * behind or ends (there is no end of one stream in a single input); then it keeps the output from
 * being held back by ffmpeg's default of 10 s.
 */
const MAX_INTERLEAVE_DELTA_US = 300_000;

/** Where the outputs go besides the streamed file on stdout. */
export interface Outputs {
  /** The file for the seekable copy, when `config.seekableCopy` is set. */
  readonly seekablePath?: string;
}

/** The whole command line (after the program name). `encoders` maps each codec to the encoder to use. */
export function buildFfmpegArgs(
  config: EncoderConfig,
  inputs: InputUrls,
  encoders: { video?: string | undefined; audio?: string | undefined },
  threads: number,
  outputs: Outputs = {},
): string[] {
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error'];
  const { video, audio } = config;
  if (!inputs.media) throw new Error('internal: input missing');
  if ((video && !encoders.video) || (audio && !encoders.audio)) throw new Error('internal: encoder missing');
  args.push(...RAW_INPUT, '-i', inputs.media);
  if (video) args.push('-map', '0:v');
  if (audio) args.push('-map', '0:a');
  if (video) {
    // The encoder's time base is one frame interval; `vfr` keeps each frame at its time and
    // neither duplicates nor drops any (the default for MP4 would fill gaps with duplicates).
    args.push(...videoCodecArgs(video, encoders.video!, threads), '-pix_fmt', 'yuv420p', '-r', String(video.frameRate), '-fps_mode', 'vfr');
    if (video.tag) args.push('-tag:v', video.tag);
  }
  if (audio) args.push(...audioCodecArgs(audio, encoders.audio!));
  if (video && audio) args.push('-max_interleave_delta', String(MAX_INTERLEAVE_DELTA_US));
  const seekable = config.seekableCopy && outputs.seekablePath ? seekableMuxerOptions(config.container) : null;
  if (seekable === null) {
    args.push(...muxerArgs(config.container, config.flushIntervalMs), 'pipe:1');
    return args;
  }
  // Both files from the same packets: the streamed one on stdout, the seekable copy in a file,
  // completed when the encoder ends (no second pass at stop). A failure of the copy does not
  // stop the recording.
  // The tee muxer does not ask the encoders for global headers as Matroska and MP4 do (H.264's
  // avcC, AAC's AudioSpecificConfig): without them those muxers refuse to start.
  if (video) args.push('-flags:v', '+global_header');
  if (audio) args.push('-flags:a', '+global_header');
  const streamed = teeSlave(config.container, streamingMuxerOptions(config.container, config.flushIntervalMs), 'pipe:1');
  const copy = teeSlave(config.container, [...seekable, ['onfail', 'ignore']], outputs.seekablePath!);
  args.push('-f', 'tee', `${streamed}|${copy}`);
  return args;
}
