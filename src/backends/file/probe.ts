/**
 * What a media file holds, from `ffprobe -print_format json -show_streams -show_format`: the
 * first video stream's size and frame rate, and the first audio stream's sample rate, channels
 * and sample size. These are the native modes of the file's devices.
 */
import { runProgram } from '../common/process.js';

/** The first video stream of a file. */
export interface ProbedVideo {
  readonly width: number;
  readonly height: number;
  /** Frames per second: avg_frame_rate, else r_frame_rate; 30 when the file does not say. */
  readonly frameRate: number;
  /** ffmpeg's name of its pixel format, e.g. "yuv420p" (informative). */
  readonly pixelFormat: string;
}

/** The first audio stream of a file. */
export interface ProbedAudio {
  readonly sampleRate: number;
  readonly channelCount: number;
  /** Bits per sample of the stored samples (16 for s16 PCM); 32 for compressed streams decoded to float. */
  readonly sampleSize: number;
}

export interface ProbedFile {
  readonly video?: ProbedVideo;
  readonly audio?: ProbedAudio;
  /** Seconds, when known. */
  readonly duration?: number;
  /** ffprobe's format name, e.g. "yuv4mpegpipe", "wav", "mov,mp4,m4a,3gp,3g2,mj2". */
  readonly format: string;
}

/** The frame rate of a frame-rate string like "30000/1001" or "25/1"; undefined for "0/0" and junk. */
export function parseRate(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)(?:\/(\d+(?:\.\d+)?))?$/.exec(text.trim());
  if (!m) return undefined;
  const rate = Number(m[1]) / (m[2] === undefined ? 1 : Number(m[2]));
  return Number.isFinite(rate) && rate > 0 ? Math.round(rate * 1000) / 1000 : undefined;
}

const BITS_OF_SAMPLE_FORMAT: Readonly<Record<string, number>> = { u8: 8, u8p: 8, s16: 16, s16p: 16, s32: 32, s32p: 32, flt: 32, fltp: 32, dbl: 64, dblp: 64, s64: 64, s64p: 64 };

/** Reads ffprobe's JSON output (pure). Throws a TypeError when it is not ffprobe JSON. */
export function parseProbe(json: string): ProbedFile {
  let data: { streams?: Record<string, unknown>[]; format?: Record<string, unknown> };
  try {
    data = JSON.parse(json) as typeof data;
  } catch {
    throw new TypeError('ffprobe did not print JSON');
  }
  if (!data || !Array.isArray(data.streams)) throw new TypeError('ffprobe JSON has no "streams" list');
  const streams = data.streams;
  // Cover art in an MP3 or MP4 is a "video" stream of one picture: not a camera.
  const v = streams.find((s) => s.codec_type === 'video' && !(s.disposition as Record<string, number> | undefined)?.attached_pic);
  const a = streams.find((s) => s.codec_type === 'audio');
  const out: { video?: ProbedVideo; audio?: ProbedAudio; duration?: number; format: string } = {
    format: typeof data.format?.format_name === 'string' ? data.format.format_name : '',
  };
  if (v && Number(v.width) > 0 && Number(v.height) > 0) {
    out.video = {
      width: Number(v.width),
      height: Number(v.height),
      frameRate: parseRate(v.avg_frame_rate) ?? parseRate(v.r_frame_rate) ?? 30,
      pixelFormat: typeof v.pix_fmt === 'string' ? v.pix_fmt : '',
    };
  }
  if (a && Number(a.sample_rate) > 0 && Number(a.channels) > 0) {
    const bits = Number(a.bits_per_sample) || Number(a.bits_per_raw_sample) || BITS_OF_SAMPLE_FORMAT[String(a.sample_fmt)] || 32;
    out.audio = { sampleRate: Number(a.sample_rate), channelCount: Number(a.channels), sampleSize: bits };
  }
  const duration = Number(data.format?.duration);
  if (Number.isFinite(duration) && duration > 0) out.duration = duration;
  return out;
}

/**
 * Runs ffprobe on `path`. Rejects with ffprobe's own message when the file cannot be read
 * (missing, not media), or with MissingProgramError when ffprobe is not installed.
 */
export async function probeFile(path: string, options: { ffprobe?: string; timeoutMs?: number } = {}): Promise<ProbedFile> {
  const { stdout } = await runProgram(
    options.ffprobe ?? 'ffprobe',
    ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', path],
    { timeoutMs: options.timeoutMs ?? 10_000, debianPackage: 'ffmpeg' },
  );
  return parseProbe(stdout.toString('utf8'));
}
