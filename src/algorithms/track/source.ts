/**
 * The contract of everything that feeds tracks: a device opened by getUserMedia, a screen opened
 * by getDisplayMedia, a VideoTrackGenerator or MediaStreamTrackGenerator, a track received from
 * another thread; later canvas and media-element capture, Web Audio and remote peers.
 *
 * A track knows its source only through this contract ("[[Source]]",
 * https://w3c.github.io/mediacapture-main/#dfn-create-a-mediastreamtrack): where the media comes
 * from, what the track reports about it, and how it picks settings for ApplyConstraints. Each kind
 * of source has one implementation (devices: algorithms/device-track.ts; screens:
 * algorithms/get-display-media.ts; generators: algorithms/transform/generator-track-source.ts).
 */
import type { MediaTrackCapabilities, MediaTrackConstraints, MediaTrackSettings } from '../constraints/dictionaries.js';
import type { FailedSettings } from '../constraints/select-settings.js';
import type { AudioMode, VideoMode } from '../../media/modes.js';
import type { Source } from '../../media/source.js';
import type { MediaPermissionName } from '../../scope/permissions.js';
import type { Track } from './track.js';

/** What a source's SelectSettings chose: the settings and the native mode that makes them, or the failed constraint. */
export type TrackSettingsSelection = { readonly settings: MediaTrackSettings; readonly mode: VideoMode | AudioMode } | FailedSettings;

/**
 * The source of one or more tracks. Its tracks share its media: clones, and every track a
 * getUserMedia call opened on the same device in the same mode.
 *
 * @example
 * const source: TrackSource = {
 *   media: mySource, label: 'My camera', permission: 'camera',
 *   capabilities: () => capabilitiesOf(device, ids),
 *   selectSettings: (constraints, restrictToMode) => selectSettings(device, ids, constraints, restrictToMode ? { restrictToMode } : {}),
 * };
 */
export interface TrackSource {
  /** The media: frames or samples on a clock, adapted once per distinct setting (media/source.ts). */
  readonly media: Source;
  /** The [[Label]] of its tracks ("" when the source has none). */
  readonly label: string;
  /**
   * Whether its tracks have [[Stats]] (https://w3c.github.io/mediacapture-extensions/#mediastreamtrack-statistics):
   * the tracks of getUserMedia, and the video tracks of getDisplayMedia. Default false.
   */
  readonly frameStats?: boolean;
  /** The permission that covers its tracks, ended by the device permission revocation algorithm; null for none. */
  readonly permission: MediaPermissionName | null;
  /** getCapabilities() of its tracks (https://w3c.github.io/mediacapture-main/#dom-constrainablepattern-getcapabilities). */
  capabilities(): MediaTrackCapabilities;
  /**
   * The SelectSettings algorithm (https://w3c.github.io/mediacapture-main/#dfn-selectsettings) over
   * the settings this source can give a track. With `restrictToMode`, only settings made from that
   * native mode are candidates (the media runs in it for other tracks, or cannot change).
   */
  selectSettings(constraints: MediaTrackConstraints, restrictToMode?: VideoMode | AudioMode): TrackSettingsSelection;
  /**
   * The current settings when they follow the media rather than the last ApplyConstraints (a
   * generator's frame size and rate); `stored` is [[Settings]]. Absent: getSettings() returns [[Settings]].
   */
  liveSettings?(stored: MediaTrackSettings): MediaTrackSettings;
  /**
   * The "MediaStreamTrack source-specific construction steps": run for each track created live on
   * this source, clones included.
   */
  trackCreated?(track: Track): void;
  /** Run once for each of its tracks when it ends, by stop() or otherwise. */
  trackEnded?(track: Track): void;
}
