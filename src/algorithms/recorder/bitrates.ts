/**
 * The bitrates "the User Agent deems reasonable" (MediaRecorder constructor steps 13–15, start()
 * step 9, "inactivate the recorder" step 3), and the ranges the encoders accept.
 */

/** Video target when the application sets none (Chrome and Firefox use 2.5 Mbit/s). */
export const DEFAULT_VIDEO_BITS_PER_SECOND = 2_500_000;
/** Audio target when the application sets none (Chrome's 128 kbit/s). */
export const DEFAULT_AUDIO_BITS_PER_SECOND = 128_000;

/** Audio's share of `bitsPerSecond` when both kinds are recorded: a tenth, within these bounds. */
const AUDIO_SHARE = 0.1;
const MIN_SHARED_AUDIO = 6_000;
const MAX_SHARED_AUDIO = 128_000;

/**
 * Splits an aggregate `bitsPerSecond` between video and audio so that the two add up to it.
 * `kinds` says which kinds will be recorded; before start() both are assumed.
 */
export function splitBitsPerSecond(total: number, kinds: { video: boolean; audio: boolean } = { video: true, audio: true }): { video: number; audio: number } {
  if (kinds.video && !kinds.audio) return { video: total, audio: 0 };
  if (kinds.audio && !kinds.video) return { video: 0, audio: total };
  const audio = Math.min(total, Math.max(MIN_SHARED_AUDIO, Math.min(MAX_SHARED_AUDIO, Math.round(total * AUDIO_SHARE))));
  return { video: total - audio, audio };
}

/** The bitrate actually asked of a video encoder: the target, kept where encoders work. */
export function videoEncoderBitrate(bitsPerSecond: number): number {
  return Math.max(10_000, Math.min(bitsPerSecond, 200_000_000));
}

/** The bitrate actually asked of an audio encoder (libopus takes 500 to 256k per channel). */
export function audioEncoderBitrate(codec: 'opus' | 'aac' | 'pcm', bitsPerSecond: number, channels: number): number {
  if (codec === 'opus') return Math.max(6_000, Math.min(bitsPerSecond, 256_000 * channels));
  if (codec === 'aac') return Math.max(8_000 * channels, Math.min(bitsPerSecond, 256_000 * channels));
  return bitsPerSecond;
}
