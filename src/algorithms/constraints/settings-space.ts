/**
 * Every possible settings dictionary of a device ("For every possible settings dictionary of
 * copy", SelectSettings step 3), as regions derived from its native modes.
 *
 * - Video: each native mode as it is, with resizeMode "none"; and each native mode with
 *   resizeMode "crop-and-scale": any smaller whole-pixel size and any lower positive frame rate.
 * - Audio: each native mode with each combination of the echoCancellation, autoGainControl and
 *   noiseSuppression values the device can run with.
 *
 * deviceId and groupId are the per-origin ids the caller passes in; `extra` adds fixed settings
 * (Screen Capture's displaySurface, logicalSurface, cursor, ...), which also makes those
 * properties apply to the track.
 */
import type { AudioMode, DeviceDescriptor, VideoMode } from '../../media/modes.js';
import { mediaKindOf } from '../../media/modes.js';
import { type CandidateRegion, PointRegion } from './candidate-region.js';
import { CropAndScaleRegion } from './crop-and-scale.js';
import { type Applies, numericDistance } from './fitness-distance.js';
import { propertiesForKind, roundAspectRatio } from './properties.js';

/** The per-origin identifiers of a device (hashed elsewhere). */
export interface DeviceIds {
  readonly deviceId: string;
  readonly groupId: string;
}

/** Options that shape the settings space. */
export interface SettingsSpaceOptions {
  /** Fixed settings added to every candidate, e.g. `{displaySurface: 'monitor', logicalSurface: true, cursor: 'always'}`. */
  readonly extra?: Readonly<Record<string, string | boolean>>;
  /** Only candidates derived from this native mode (a source already running and shared by other tracks). */
  readonly restrictToMode?: VideoMode | AudioMode;
}

/**
 * The UA default values used to break ties between native modes (mediacapture-main §11.1.1 note:
 * "width set to 640, height set to 480, frameRate set to 30, echoCancellation set to true").
 */
export const DEFAULT_SETTINGS = { width: 640, height: 480, frameRate: 30, echoCancellation: true, autoGainControl: true, noiseSuppression: true } as const;

/** The candidate regions of `device`, in the device's mode order. */
export function settingsSpace(device: DeviceDescriptor, ids: DeviceIds, options: SettingsSpaceOptions = {}): CandidateRegion[] {
  const kind = mediaKindOf(device.kind);
  const extra = options.extra ?? {};
  const applies = appliesTo(kind, extra);
  const regions: CandidateRegion[] = [];
  if (kind === 'video') {
    const fixed: Record<string, string | boolean> = { deviceId: ids.deviceId, groupId: ids.groupId };
    if (device.facingMode) fixed.facingMode = device.facingMode;
    Object.assign(fixed, extra);
    const scaledFixed = Object.assign({ resizeMode: 'crop-and-scale' }, fixed);
    for (const mode of device.videoModes ?? []) {
      if (options.restrictToMode !== undefined && !sameVideoMode(mode, options.restrictToMode)) continue;
      if (!(mode.width >= 1 && mode.height >= 1 && mode.frameRate > 0)) continue;
      regions.push(new PointRegion(mode, Object.assign(nativeVideoSettings(mode), fixed), applies, nativeVideoTie(mode)));
      const scaled = CropAndScaleRegion.of(mode, scaledFixed, applies);
      if (scaled) regions.push(scaled);
    }
    return regions;
  }
  for (const mode of device.audioModes ?? []) {
    if (options.restrictToMode !== undefined && !sameAudioMode(mode, options.restrictToMode)) continue;
    for (const echoCancellation of switchValues(device.echoCancellation)) {
      for (const autoGainControl of switchValues(device.autoGainControl)) {
        for (const noiseSuppression of switchValues(device.noiseSuppression)) {
          const settings = Object.assign(
            {
              deviceId: ids.deviceId,
              groupId: ids.groupId,
              sampleRate: mode.sampleRate,
              sampleSize: mode.sampleSize,
              channelCount: mode.channelCount,
              latency: mode.latency,
              echoCancellation,
              autoGainControl,
              noiseSuppression,
            },
            extra,
          );
          // Ties: the UA defaults for the processing switches, then the device's mode order
          // (its first mode is the system default).
          const tie = [
            echoCancellation === DEFAULT_SETTINGS.echoCancellation ? 0 : 1,
            autoGainControl === DEFAULT_SETTINGS.autoGainControl ? 0 : 1,
            noiseSuppression === DEFAULT_SETTINGS.noiseSuppression ? 0 : 1,
          ];
          regions.push(new PointRegion(mode, settings, applies, tie));
        }
      }
    }
  }
  return regions;
}

const APPLIES_TO_KIND = {
  video: setMembership(new Set(propertiesForKind('video'))),
  audio: setMembership(new Set(propertiesForKind('audio'))),
};

function setMembership(set: ReadonlySet<string>): Applies {
  return (name) => set.has(name);
}

/** The properties of a track of `kind`, plus those `extra` settings carry. */
function appliesTo(kind: 'video' | 'audio', extra: Readonly<Record<string, unknown>>): Applies {
  const extraNames = Object.keys(extra);
  if (extraNames.length === 0) return APPLIES_TO_KIND[kind];
  return setMembership(new Set([...propertiesForKind(kind), ...extraNames]));
}

function nativeVideoSettings(mode: VideoMode): Record<string, number | string | boolean> {
  return {
    width: mode.width,
    height: mode.height,
    aspectRatio: roundAspectRatio(mode.width / mode.height),
    frameRate: mode.frameRate,
    resizeMode: 'none',
  };
}

/** Native modes first (tie[0] = 0), then the one closest to the UA defaults 640x480 at 30 Hz. */
function nativeVideoTie(mode: VideoMode): number[] {
  return [
    0,
    numericDistance(mode.width, DEFAULT_SETTINGS.width) +
      numericDistance(mode.height, DEFAULT_SETTINGS.height) +
      numericDistance(mode.frameRate, DEFAULT_SETTINGS.frameRate),
  ];
}

/** The values a processing switch can take, without duplicates; a device that lists none has it off. */
function switchValues(values: readonly boolean[] | undefined): boolean[] {
  const distinct = [...new Set(values ?? [])];
  return distinct.length > 0 ? distinct : [false];
}

/** Whether two native modes are the same mode (same object, or same values). */
export function sameMode(a: VideoMode | AudioMode, b: VideoMode | AudioMode): boolean {
  return 'width' in a ? sameVideoMode(a, b) : sameAudioMode(a, b);
}

function sameVideoMode(a: VideoMode, b: VideoMode | AudioMode): boolean {
  return a === b || ('width' in b && a.width === b.width && a.height === b.height && a.frameRate === b.frameRate && a.pixelFormat === b.pixelFormat);
}

function sameAudioMode(a: AudioMode, b: VideoMode | AudioMode): boolean {
  return (
    a === b ||
    ('sampleRate' in b && a.sampleRate === b.sampleRate && a.channelCount === b.channelCount && a.sampleSize === b.sampleSize && a.latency === b.latency)
  );
}
