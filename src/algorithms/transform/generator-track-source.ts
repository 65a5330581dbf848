/**
 * How a track sourced from a generator answers getCapabilities, applyConstraints and getSettings
 * (https://w3c.github.io/mediacapture-transform/ §2.2.5.2 "Constrainable properties";
 * https://github.com/w3c/mediacapture-transform/blob/ad607fe57e01783ac202d4a38b4cfb45a93e36c3/index.bs §2.2.4.3 for audio).
 */
import { GENERATOR_MAX_DIMENSION, GENERATOR_MAX_FRAME_RATE, type GeneratorSource } from '../../media/generator-source.js';
import type { AudioMode, VideoMode } from '../../media/modes.js';
import { roundAspectRatio, selectSettings, type MediaTrackCapabilities, type MediaTrackSettings } from '../constraints/index.js';
import type { TrackSource } from '../track/source.js';

/** A generator is no device: its tracks have empty deviceId and groupId, which getSettings leaves out. */
const NO_IDS = { deviceId: '', groupId: '' };

/** A {@link TrackSource} that also knows the settings of the media flowing now. */
export interface GeneratorTrackSource extends TrackSource {
  readonly media: GeneratorSource;
  /**
   * The settings as the spec defines them for a generator track: width, height and aspectRatio of
   * the latest frame (after the track's crop-and-scale), frameRate estimated from recent frames;
   * for audio, sampleRate, channelCount and sampleSize of the latest AudioData. `stored` is what
   * SelectSettings chose. getSettings() returns this.
   */
  liveSettings(stored: MediaTrackSettings): MediaTrackSettings;
}

/** The track source of every track sourced from `source`. */
export function generatorTrackSource(source: GeneratorSource): GeneratorTrackSource {
  const video = source.kind === 'video';
  return {
    media: source,
    label: '',
    permission: null,
    capabilities: () => (video ? videoCapabilities() : {}),
    selectSettings(constraints, restrictToMode) {
      const result = selectSettings(source.device, NO_IDS, constraints, restrictToMode ? { restrictToMode } : {});
      if ('failed' in result) return { failed: result.failed };
      return { settings: video ? storedVideoSettings(result.settings) : {}, mode: result.mode };
    },
    liveSettings(stored) {
      const live = { ...stored };
      if (!source.written) return live;
      if (video) {
        const mode = source.mode as VideoMode;
        const estimate = source.frameRateEstimate;
        if (stored.resizeMode !== 'crop-and-scale') {
          Object.assign(live, { width: mode.width, height: mode.height, aspectRatio: roundAspectRatio(mode.width / mode.height) });
        }
        const chosen = typeof stored.frameRate === 'number' ? stored.frameRate : GENERATOR_MAX_FRAME_RATE;
        if (estimate !== undefined) live.frameRate = Math.min(chosen, estimate);
        else if (chosen >= GENERATOR_MAX_FRAME_RATE) delete live.frameRate;
      } else {
        const mode = source.mode as AudioMode;
        Object.assign(live, { channelCount: mode.channelCount, sampleRate: mode.sampleRate, sampleSize: mode.sampleSize });
      }
      return sortMembers(live);
    },
  };
}

/** The settings a new generator track starts with (those of `applyConstraints({})`). */
export function initialGeneratorSettings(source: GeneratorSource): MediaTrackSettings {
  return source.kind === 'video' ? { resizeMode: 'none' } : {};
}

/**
 * What a video generator track keeps of a SelectSettings choice. "none" keeps only resizeMode:
 * the frames pass unmodified whatever their size, so a stored size would be wrong at the next
 * size change (and a stored size would make the track crop-and-scale). "crop-and-scale" keeps
 * the target size and frame rate, which the track's media adapts to.
 */
function storedVideoSettings(chosen: MediaTrackSettings): MediaTrackSettings {
  if (chosen.resizeMode !== 'crop-and-scale') return { resizeMode: 'none' };
  const { deviceId: _d, groupId: _g, ...rest } = chosen;
  return rest;
}

/** §2.2.5.2: max and min "MUST reflect" what a VideoFrame may be; frameRate min 0, max the system's. */
function videoCapabilities(): MediaTrackCapabilities {
  return {
    aspectRatio: { max: GENERATOR_MAX_DIMENSION, min: roundAspectRatio(1 / GENERATOR_MAX_DIMENSION) },
    frameRate: { max: GENERATOR_MAX_FRAME_RATE, min: 0 },
    height: { max: GENERATOR_MAX_DIMENSION, min: 1 },
    resizeMode: ['none', 'crop-and-scale'],
    width: { max: GENERATOR_MAX_DIMENSION, min: 1 },
  };
}

function sortMembers(settings: MediaTrackSettings): MediaTrackSettings {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = value;
  return out;
}
