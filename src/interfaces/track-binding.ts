import type { Source } from '../media/source.js';
import type { AudioMode, VideoMode } from '../media/modes.js';

/** A MediaTrackSettings / MediaTrackCapabilities-shaped dictionary. */
export type SettingsDictionary = Record<string, unknown>;

/** What SelectSettings answers for a track: new settings and the native mode they come from, or the failed constraint. */
export type Selection = { settings: SettingsDictionary; mode: VideoMode | AudioMode } | { failed: string };

/**
 * What a MediaStreamTrack needs from whatever made it (getUserMedia's device, a generator, a
 * screen): its source, how to answer getCapabilities, and how to select settings for
 * applyConstraints. Keeps the IDL class free of device logic.
 */
export interface TrackBinding {
  readonly source: Source;
  readonly label: string;
  /** The permission that covers the track ("camera", "microphone", "display-capture"), or null. */
  readonly permission: string | null;
  capabilities(): SettingsDictionary;
  /**
   * SelectSettings for applyConstraints. `restrictToMode` is set when other tracks share the
   * source, so only settings reachable from the running native mode are candidates.
   */
  select(constraints: unknown, restrictToMode: VideoMode | AudioMode | undefined): Selection;
  /**
   * The current settings when they follow the media rather than the last applyConstraints (a
   * generator's frame size and rate). Default: the stored settings.
   */
  liveSettings?(stored: SettingsDictionary): SettingsDictionary;
  /** Called when a track (or a clone) is created on this binding. */
  trackCreated?(track: object): void;
  /** Called once per track when it ends, whether by stop() or by its source. */
  trackEnded?(track: object): void;
}

/** Package-internal observers of a track: stream membership, processors, recorders. */
export interface TrackObserver {
  ended?(): void;
  enabledChanged?(enabled: boolean): void;
  mutedChanged?(muted: boolean): void;
  settingsChanged?(settings: SettingsDictionary): void;
}
