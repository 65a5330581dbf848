/**
 * The recording formats MediaRecorder knows: containers (by MIME essence), the codecs each can
 * hold, the RFC 6381 codec identifiers that name them, and the defaults chosen when a MIME type
 * leaves the codec open. Whether a format actually works on this machine is the encoder backend's
 * answer (`EncoderBackend.supports`); this table is what the recorder could do with every encoder.
 */

// The codec and container names are part of the encoder backends' contract.
import type { AudioCodec, Container, VideoCodec } from '../../backends/encoder.js';
export type { AudioCodec, Container, VideoCodec } from '../../backends/encoder.js';

/** What a codec identifier names. */
export type CodecRef = { kind: 'video'; codec: VideoCodec } | { kind: 'audio'; codec: AudioCodec };

/** "The list of synchronously exposed codec identifiers" (§2.3, isTypeSupported). */
export const SYNCHRONOUSLY_EXPOSED_CODECS: readonly string[] = ['vp8', 'vp9', 'h264', 'avc1', 'av1', 'av01', 'hvc1', 'hev1', 'avc3', 'opus', 'pcm'];

/** "is synchronously exposed" (§2.3). */
export function isSynchronouslyExposed(codecIdentifier: string): boolean {
  // 1.
  return SYNCHRONOUSLY_EXPOSED_CODECS.includes(codecIdentifier);
}

/** Codec identifiers (the part before the first ".", lowercase) and the codec each names. */
const CODEC_IDENTIFIERS: Readonly<Record<string, CodecRef>> = {
  vp8: { kind: 'video', codec: 'vp8' },
  vp9: { kind: 'video', codec: 'vp9' },
  // RFC 6381 spells VP9 "vp09.PP.LL.DD" in MP4.
  vp09: { kind: 'video', codec: 'vp9' },
  av1: { kind: 'video', codec: 'av1' },
  av01: { kind: 'video', codec: 'av1' },
  h264: { kind: 'video', codec: 'h264' },
  avc1: { kind: 'video', codec: 'h264' },
  hvc1: { kind: 'video', codec: 'hevc' },
  hev1: { kind: 'video', codec: 'hevc' },
  opus: { kind: 'audio', codec: 'opus' },
  pcm: { kind: 'audio', codec: 'pcm' },
  // Not synchronously exposed: isTypeSupported answers false, the constructor accepts it.
  mp4a: { kind: 'audio', codec: 'aac' },
};

/** The codec a codec identifier names, or undefined when the recorder knows none by that name. */
export function codecOfIdentifier(codecIdentifier: string): CodecRef | undefined {
  return Object.hasOwn(CODEC_IDENTIFIERS, codecIdentifier) ? CODEC_IDENTIFIERS[codecIdentifier] : undefined;
}

/** One container MIME essence. */
export interface ContainerFormat {
  readonly container: Container;
  /** "audio" essences (audio/webm) cannot hold video. */
  readonly kind: 'video' | 'audio';
  readonly videoCodecs: readonly VideoCodec[];
  readonly audioCodecs: readonly AudioCodec[];
  /** Preference order when the MIME type names no video codec. */
  readonly defaultVideo: readonly VideoCodec[];
  /** Preference order when the MIME type names no audio codec. */
  readonly defaultAudio: readonly AudioCodec[];
}

const WEBM_VIDEO: readonly VideoCodec[] = ['vp8', 'vp9', 'av1'];
const MKV_VIDEO: readonly VideoCodec[] = ['h264', 'vp8', 'vp9', 'av1', 'hevc'];
const MP4_VIDEO: readonly VideoCodec[] = ['h264', 'hevc', 'vp9', 'av1'];

/** The containers, by MIME essence. */
export const CONTAINER_FORMATS: Readonly<Record<string, ContainerFormat>> = {
  'video/webm': { container: 'webm', kind: 'video', videoCodecs: WEBM_VIDEO, audioCodecs: ['opus'], defaultVideo: ['vp8', 'vp9', 'av1'], defaultAudio: ['opus'] },
  'audio/webm': { container: 'webm', kind: 'audio', videoCodecs: [], audioCodecs: ['opus'], defaultVideo: [], defaultAudio: ['opus'] },
  'video/x-matroska': { container: 'matroska', kind: 'video', videoCodecs: MKV_VIDEO, audioCodecs: ['opus', 'pcm', 'aac'], defaultVideo: ['h264', 'vp8'], defaultAudio: ['opus', 'pcm'] },
  'audio/x-matroska': { container: 'matroska', kind: 'audio', videoCodecs: [], audioCodecs: ['opus', 'pcm', 'aac'], defaultVideo: [], defaultAudio: ['opus', 'pcm'] },
  'video/mp4': { container: 'mp4', kind: 'video', videoCodecs: MP4_VIDEO, audioCodecs: ['aac', 'opus'], defaultVideo: ['h264'], defaultAudio: ['aac', 'opus'] },
  'audio/mp4': { container: 'mp4', kind: 'audio', videoCodecs: [], audioCodecs: ['aac', 'opus'], defaultVideo: [], defaultAudio: ['aac', 'opus'] },
  'audio/ogg': { container: 'ogg', kind: 'audio', videoCodecs: [], audioCodecs: ['opus'], defaultVideo: [], defaultAudio: ['opus'] },
};

/** The container format of a MIME essence (`video/webm`), or undefined. */
export function containerFormat(essence: string): ContainerFormat | undefined {
  return Object.hasOwn(CONTAINER_FORMATS, essence) ? CONTAINER_FORMATS[essence] : undefined;
}

/** The MIME type used when the application gives none: Chrome's choice. */
export const DEFAULT_VIDEO_ESSENCE = 'video/webm';
export const DEFAULT_AUDIO_ESSENCE = 'audio/webm';
