/**
 * The ffmpeg command line for one recording: raw inputs in, a streamable file out on stdout.
 * Pure (no I/O), so the choices are testable and readable in one place.
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

/** Where the raw inputs come from: ffmpeg input URLs. */
export interface InputUrls {
  readonly video?: string | undefined;
  readonly audio?: string | undefined;
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

/** Muxer options for streaming output: data leaves the muxer at least every `flushMs`. */
export function muxerArgs(container: Container, flushMs: number, tag: string | undefined): string[] {
  const ms = Math.max(10, Math.round(flushMs));
  const common = ['-flush_packets', '1'];
  switch (container) {
    case 'webm':
    case 'matroska':
      // A pipe is not seekable, so ffmpeg writes each cluster with its size once it is complete:
      // short clusters keep the data flowing.
      return [...common, '-cluster_time_limit', String(ms), '-f', MUXERS[container]];
    case 'mp4':
      // Fragmented MP4 is the streamable form: an empty moov, then moof+mdat fragments.
      return [...common, ...(tag ? ['-tag:v', tag] : []), '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-frag_duration', String(ms * 1000), '-f', 'mp4'];
    case 'ogg':
      return [...common, '-page_duration', String(ms * 1000), '-f', 'ogg'];
  }
}

/**
 * Options of each raw input. ffmpeg opens its inputs one after another and, by default, reads up
 * to 5 MB or 5 s of each to "find stream info" before opening the next: seconds of recording
 * during which the other input is not read. Raw inputs need no probing (their format is given),
 * so probing is cut to the minimum. The queue between an input's reader thread and the encoders
 * holds a few frames so that one input briefly ahead does not block the other.
 */
const RAW_INPUT = ['-thread_queue_size', '64', '-probesize', '32', '-analyzeduration', '0'];

/** The whole command line (after the program name). `encoders` maps each codec to the encoder to use. */
export function buildFfmpegArgs(
  config: EncoderConfig,
  inputs: InputUrls,
  encoders: { video?: string | undefined; audio?: string | undefined },
  threads: number,
): string[] {
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error'];
  const maps: string[] = [];
  let index = 0;
  const { video, audio } = config;
  if (video) {
    if (!inputs.video || !encoders.video) throw new Error('internal: video input or encoder missing');
    args.push(...RAW_INPUT, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-video_size', `${video.width}x${video.height}`, '-framerate', String(video.frameRate), '-i', inputs.video);
    maps.push('-map', `${index++}:v`);
  }
  if (audio) {
    if (!inputs.audio || !encoders.audio) throw new Error('internal: audio input or encoder missing');
    args.push(...RAW_INPUT, '-f', 'f32le', '-ar', String(audio.sampleRate), '-ac', String(audio.channelCount), '-i', inputs.audio);
    maps.push('-map', `${index++}:a`);
  }
  args.push(...maps);
  if (video) args.push(...videoCodecArgs(video, encoders.video!, threads), '-pix_fmt', 'yuv420p');
  if (audio) args.push(...audioCodecArgs(audio, encoders.audio!));
  args.push(...muxerArgs(config.container, config.flushIntervalMs, video?.tag), 'pipe:1');
  return args;
}

/**
 * The command line that rewrites a streamed file as a seekable one (stream copy, no re-encoding).
 * `aacPrimingSeconds`: the AAC encoder's priming (1024 samples). Quirk of ffmpeg 5.1: fragmented
 * MP4 gets no edit list, so the priming would play as 21 ms of extra audio at the start and delay
 * the sound by as much (see test/recorder/quirks.test.ts). Reading the audio a second time,
 * shifted back by the priming, gives the first packet a negative time, from which the MP4 muxer
 * writes the edit list that hides it.
 */
export function seekableRemuxArgs(container: Container, input: string, output: string, aacPrimingSeconds = 0): string[] | null {
  const head = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error'];
  const base = [...head, '-i', input, '-map', '0', '-c', 'copy'];
  switch (container) {
    case 'webm':
    case 'matroska':
      // A seekable output gets Cues (the index), Duration, and a SeekHead pointing at both.
      return [...base, '-f', MUXERS[container], '-y', output];
    case 'mp4': {
      // One moov with the sample tables, moved before the media data.
      const tail = ['-movflags', '+faststart', '-f', 'mp4', '-y', output];
      if (aacPrimingSeconds > 0) {
        return [...head, '-i', input, '-itsoffset', String(-aacPrimingSeconds), '-i', input, '-map', '0:v?', '-map', '1:a', '-c', 'copy', ...tail];
      }
      return [...base, ...tail];
    }
    case 'ogg':
      // Ogg has no index; players find the duration from the last page's granule position.
      return null;
  }
}
