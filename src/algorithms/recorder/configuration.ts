/**
 * The recorder's configuration at start() (MediaStream Recording §2.3, start() steps 8 and 10–15.1):
 * container and codecs constrained by [[ConstrainedMimeType]] and completed with defaults, the
 * bitrates, the key frame rules, each track's format, and the extended MIME type (step 15.3.2).
 */
import { notSupported } from '../../platform/errors.js';
import { audioEncoderBitrate, videoEncoderBitrate } from './bitrates.js';
import { encoderBackendFor, type AudioEncoderConfig, type EncoderBackend, type EncoderConfig, type VideoEncoderConfig } from './encoder.js';
import { codecOfIdentifier, containerFormat, DEFAULT_AUDIO_ESSENCE, DEFAULT_VIDEO_ESSENCE, type AudioCodec, type ContainerFormat, type VideoCodec } from './formats.js';
import { codecIdentifier, codecStrings } from './is-type-supported.js';
import { essence, parseMimeType, type MimeType } from './mime-type.js';
import type { Track } from '../track/track.js';

/** What start() was given and the recorder's slots and attributes at that point. */
export interface ConfigurationRequest {
  readonly constrainedMimeType: string;
  readonly tracks: readonly Track[];
  readonly videoBitsPerSecond: number;
  readonly audioBitsPerSecond: number;
  readonly audioBitrateMode: 'constant' | 'variable';
  readonly videoKeyFrameIntervalDuration: number | null;
  readonly videoKeyFrameIntervalCount: number | null;
  readonly timeslice: number | undefined;
}

/** The configuration a recording runs with. */
export interface RecorderConfiguration {
  /** The extendedMimeType of start() step 15.3.2 (also the type of every Blob). */
  readonly mimeType: string;
  readonly encoder: EncoderConfig;
  readonly backend: EncoderBackend;
  readonly videoTrack: Track | null;
  readonly audioTrack: Track | null;
  /**
   * When the video track's settings give no size (a remote track or a generator track before its
   * first frame), the recording takes the size of the first frame: this gives the encoder
   * configuration for it (`encoder` holds 640x480, the UA default, for a recording that gets no
   * frame). Null when the settings give the size.
   */
  readonly sizeFromFirstFrame: ((width: number, height: number) => EncoderConfig) | null;
}

/** The longest the muxer may hold media back (cluster, fragment or page duration), ms. */
const MAX_FLUSH_INTERVAL_MS = 250;
/**
 * The shortest cluster, fragment or page, ms (shorter ones only add overhead). A timeslice spans
 * at least two (so that each has media to carry) down to 80 ms.
 */
const MIN_FLUSH_INTERVAL_MS = 40;

/** Ranges of H.264 levels (Table A-1): max macroblocks per second and per frame. */
const H264_LEVELS: readonly [levelIdc: number, maxMbps: number, maxFs: number][] = [
  [10, 1_485, 99], [11, 3_000, 396], [12, 6_000, 396], [13, 11_880, 396], [20, 11_880, 396], [21, 19_800, 792], [22, 20_250, 1_620], [30, 40_500, 1_620], [31, 108_000, 3_600],
  [32, 216_000, 5_120], [40, 245_760, 8_192], [42, 522_240, 8_704], [50, 589_824, 22_080], [51, 983_040, 36_864], [52, 2_073_600, 36_864],
];

/** The lowest H.264 level whose limits hold this size and rate. */
export function h264Level(width: number, height: number, frameRate: number): number {
  const fs = Math.ceil(width / 16) * Math.ceil(height / 16);
  const mbps = fs * frameRate;
  for (const [level, maxMbps, maxFs] of H264_LEVELS) if (fs <= maxFs && mbps <= maxMbps) return level;
  return 52;
}

const hex2 = (n: number) => n.toString(16).toUpperCase().padStart(2, '0');

/** The RFC 6381 codec string that describes what is recorded. */
function videoCodecString(v: VideoEncoderConfig, format: ContainerFormat): string {
  switch (v.codec) {
    case 'h264':
      return `avc1.${hex2(v.h264!.profileIdc)}00${hex2(v.h264!.levelIdc)}`;
    case 'hevc':
      return v.tag ?? 'hvc1';
    case 'av1':
      return format.container === 'mp4' ? 'av01' : 'av1';
    default:
      return v.codec;
  }
}

function audioCodecString(codec: AudioCodec): string {
  return codec === 'aac' ? 'mp4a.40.2' : codec;
}

function numberSetting(track: Track, name: 'width' | 'height' | 'frameRate' | 'channelCount' | 'sampleRate', fallback: number): number {
  return knownSetting(track, name) ?? fallback;
}

/** A positive number setting of the track, or undefined when its settings have none. */
function knownSetting(track: Track, name: 'width' | 'height' | 'frameRate' | 'channelCount' | 'sampleRate'): number | undefined {
  // The settings getSettings() reports: for a canvas or generator track they follow the media
  // (its real size), where [[Settings]] holds only what ApplyConstraints chose.
  const settings = track.source.liveSettings?.(track.settings) ?? track.settings;
  const v = settings[name];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/** What a codec string asks of H.264: `avc1.PPCCLL` (hex profile_idc, constraints, level_idc). */
function parseAvc1(codecString: string): { profileIdc: number; levelIdc: number } | undefined {
  const m = /^(?:avc1|avc3)\.([0-9a-f]{2})[0-9a-f]{2}([0-9a-f]{2})$/i.exec(codecString);
  if (!m) return undefined;
  const profileIdc = parseInt(m[1]!, 16);
  // x264 writes 8-bit 4:2:0 as Baseline (constrained), Main or High.
  return [0x42, 0x4d, 0x64].includes(profileIdc) ? { profileIdc, levelIdc: parseInt(m[2]!, 16) } : { profileIdc: 0x64, levelIdc: parseInt(m[2]!, 16) };
}

/** Steps 8 and 10–15.1. Throws NotSupportedError (step 12 or 14) when the tracks cannot be recorded so. */
export function configureRecorder(request: ConfigurationRequest): RecorderConfiguration {
  const { tracks } = request;
  const videoTracks = tracks.filter((t) => t.kind === 'video');
  const audioTracks = tracks.filter((t) => t.kind === 'audio');
  // 14. (limits the UA sets, §4.1): one track of each kind.
  if (videoTracks.length > 1 || audioTracks.length > 1) {
    throw notSupported(`MediaRecorder records at most one video and one audio track; the stream has ${videoTracks.length} live video and ${audioTracks.length} live audio tracks.`);
  }
  const videoTrack = videoTracks[0] ?? null;
  const audioTrack = audioTracks[0] ?? null;

  // 8. constrain container and codecs to [[ConstrainedMimeType]]; 15.1. complete them.
  const constrained: MimeType | null = request.constrainedMimeType === '' ? null : parseMimeType(request.constrainedMimeType);
  const essenceName = constrained ? essence(constrained) : videoTrack ? DEFAULT_VIDEO_ESSENCE : DEFAULT_AUDIO_ESSENCE;
  const format = containerFormat(essenceName);
  if (!format) throw notSupported(`MediaRecorder cannot record "${request.constrainedMimeType}".`);
  const strings = constrained ? codecStrings(constrained) : [];
  let videoCodec: VideoCodec | null = null;
  let audioCodec: AudioCodec | null = null;
  let videoString: string | undefined;
  let audioString: string | undefined;
  for (const s of strings) {
    const ref = codecOfIdentifier(codecIdentifier(s));
    if (!ref) throw notSupported(`MediaRecorder cannot encode the codec "${s}" of "${request.constrainedMimeType}".`);
    if (ref.kind === 'video') [videoCodec, videoString] = [ref.codec, s];
    else [audioCodec, audioString] = [ref.codec, s];
  }

  // 14. each track must be recordable with this configuration.
  if (videoTrack && format.kind === 'audio') {
    throw notSupported(`"${essenceName}" holds audio only, and the stream has a video track. Use a video/… MIME type, or record a stream without video.`);
  }
  if (videoTrack && videoCodec === null) videoCodec = format.defaultVideo.find((c) => encoderBackendFor(format.container, c, null)) ?? null;
  if (audioTrack && audioCodec === null) audioCodec = format.defaultAudio.find((c) => encoderBackendFor(format.container, null, c)) ?? null;
  const v = videoTrack ? videoCodec : null;
  const a = audioTrack ? audioCodec : null;
  if ((videoTrack && v === null) || (audioTrack && a === null)) {
    throw notSupported(`No encoder here can record the stream's ${videoTrack && v === null ? 'video' : 'audio'} track as "${essenceName}".`);
  }
  if (v && !format.videoCodecs.includes(v)) throw notSupported(`"${essenceName}" cannot hold ${v} video.`);
  if (a && !format.audioCodecs.includes(a)) throw notSupported(`"${essenceName}" cannot hold ${a} audio.`);
  const backend = encoderBackendFor(format.container, v, a);
  if (!backend) throw notSupported(`No encoder here can record ${[v, a].filter(Boolean).join(' and ')} into "${essenceName}".`);

  // 10.–13. bitrates, key frames, bitrate mode.
  // Without a size in the settings, 640x480 (the UA default) until the first frame tells.
  const knownSize = videoTrack ? knownSetting(videoTrack, 'width') !== undefined && knownSetting(videoTrack, 'height') !== undefined : true;
  const videoAt = (codec: VideoCodec, track: Track, w: number, h: number): VideoEncoderConfig => {
    let width = Math.round(w);
    let height = Math.round(h);
    // 4:2:0 encoders other than VP8/VP9 need even sizes: the last odd row or column is left out.
    if (codec !== 'vp8' && codec !== 'vp9') {
      width = Math.max(2, width & ~1);
      height = Math.max(2, height & ~1);
    }
    const frameRate = numberSetting(track, 'frameRate', 30);
    return {
      codec,
      width,
      height,
      frameRate,
      bitsPerSecond: videoEncoderBitrate(request.videoBitsPerSecond),
      keyFrameIntervalCount: request.videoKeyFrameIntervalCount,
      keyFrameIntervalDuration: request.videoKeyFrameIntervalDuration,
      // The level goes into the MIME type, fixed at start(): when the size is not known yet, the
      // level of 3840x2160 at the track's rate, which any size the first frame may bring fits.
      ...(codec === 'h264'
        ? { h264: (videoString && parseAvc1(videoString)) || { profileIdc: 0x64, levelIdc: knownSize ? h264Level(width, height, frameRate) : h264Level(3840, 2160, frameRate) } }
        : {}),
      ...(codec === 'hevc' && format.container === 'mp4' ? { tag: videoString && codecIdentifier(videoString) === 'hev1' ? 'hev1' : 'hvc1' } : {}),
    };
  };
  const video: VideoEncoderConfig | null = videoTrack && v ? videoAt(v, videoTrack, numberSetting(videoTrack, 'width', 640), numberSetting(videoTrack, 'height', 480)) : null;
  let audio: AudioEncoderConfig | null = null;
  if (audioTrack && a) {
    const channelCount = Math.round(numberSetting(audioTrack, 'channelCount', 1));
    audio = {
      codec: a,
      sampleRate: Math.round(numberSetting(audioTrack, 'sampleRate', 48000)),
      channelCount,
      bitsPerSecond: audioEncoderBitrate(a, request.audioBitsPerSecond, channelCount),
      bitrateMode: request.audioBitrateMode,
    };
  }

  // 15.3.2. extendedMimeType: the constrained type plus what it left open.
  const extendedMimeType = (videoConfig: VideoEncoderConfig | null): string => {
    const added: string[] = [];
    if (videoConfig && videoString === undefined) added.push(videoCodecString(videoConfig, format));
    if (audio && audioString === undefined) added.push(audioCodecString(audio.codec));
    if (!constrained) return `${essenceName};codecs=${added.join(',')}`;
    if (added.length === 0) return request.constrainedMimeType;
    const params = [...constrained.parameters].filter(([name]) => name !== 'codecs').map(([n, val]) => `;${n}=${val}`);
    return `${essenceName}${params.join('')};codecs=${[...strings, ...added].join(',')}`;
  };

  // Short clusters/fragments/pages: data leaves the encoder soon, so that each timeslice's Blob
  // carries its slice (the muxer holds back up to one cluster) and a crash loses little.
  const flushIntervalMs = Math.min(MAX_FLUSH_INTERVAL_MS, Math.max(MIN_FLUSH_INTERVAL_MS, (request.timeslice ?? Infinity) / 4));
  // Without a timeslice the whole recording is likely to go out in one Blob: make it seekable.
  const encoderWith = (videoConfig: VideoEncoderConfig | null): EncoderConfig => ({
    container: format.container, video: videoConfig, audio, flushIntervalMs, seekableCopy: request.timeslice === undefined,
  });
  return {
    mimeType: extendedMimeType(video),
    encoder: encoderWith(video),
    backend,
    videoTrack: video ? videoTrack : null,
    audioTrack: audio ? audioTrack : null,
    sizeFromFirstFrame:
      video && videoTrack && !knownSize
        ? (width, height) => encoderWith(videoAt(video.codec, videoTrack, width, height))
        : null,
  };
}
