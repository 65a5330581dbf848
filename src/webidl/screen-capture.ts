/**
 * `DisplayMediaStreamOptions` (Screen Capture §5.4.8,
 * https://w3c.github.io/mediacapture-screen-share/#displaymediastreamoptions) and its
 * preference enumerations (§5.4.4–§5.4.7).
 */
import { enumeration } from './converters.js';
import { BooleanOrMediaTrackConstraints, type MediaTrackConstraints } from './constraints.js';
import { dictionary } from './dictionary.js';
import { interfaceType, type InterfaceType } from './interface-types.js';

/** The values of every preference enumeration of DisplayMediaStreamOptions. */
export type DisplayPreference = 'include' | 'exclude';
const PREFERENCES: readonly DisplayPreference[] = ['include', 'exclude'];

/** `DisplayMediaStreamOptions` as script passes it. */
export interface DisplayMediaStreamOptions {
  video?: boolean | MediaTrackConstraints;
  audio?: boolean | MediaTrackConstraints;
  /** A CaptureController not used by another getDisplayMedia call. */
  controller?: InterfaceType<'CaptureController'>;
  selfBrowserSurface?: DisplayPreference;
  systemAudio?: DisplayPreference;
  surfaceSwitching?: DisplayPreference;
  monitorTypeSurfaces?: DisplayPreference;
}

/** A converted `DisplayMediaStreamOptions`, members in WebIDL order; `true` is `{}`. */
export interface ConvertedDisplayMediaStreamOptions {
  audio: false | MediaTrackConstraints;
  controller?: InterfaceType<'CaptureController'>;
  monitorTypeSurfaces?: DisplayPreference;
  selfBrowserSurface?: DisplayPreference;
  surfaceSwitching?: DisplayPreference;
  systemAudio?: DisplayPreference;
  video: false | MediaTrackConstraints;
}

/** `enum CaptureStartFocusBehavior` (§5.4.3). */
export type CaptureStartFocusBehavior = 'focus-capturing-application' | 'focus-captured-surface' | 'no-focus-change';
export const CaptureStartFocusBehavior = enumeration<CaptureStartFocusBehavior>('CaptureStartFocusBehavior', ['focus-capturing-application', 'focus-captured-surface', 'no-focus-change']);

/**
 * `dictionary DisplayMediaStreamOptions { (boolean or MediaTrackConstraints) video = true;
 * (boolean or MediaTrackConstraints) audio = false; CaptureController controller;
 * SelfCapturePreferenceEnum selfBrowserSurface; SystemAudioPreferenceEnum systemAudio;
 * SurfaceSwitchingPreferenceEnum surfaceSwitching; MonitorTypeSurfacesEnum monitorTypeSurfaces; }`
 */
export const DisplayMediaStreamOptions = dictionary<ConvertedDisplayMediaStreamOptions>('DisplayMediaStreamOptions', {
  audio: { type: BooleanOrMediaTrackConstraints, default: false },
  controller: { type: interfaceType('CaptureController') },
  monitorTypeSurfaces: { type: enumeration('MonitorTypeSurfacesEnum', PREFERENCES) },
  selfBrowserSurface: { type: enumeration('SelfCapturePreferenceEnum', PREFERENCES) },
  surfaceSwitching: { type: enumeration('SurfaceSwitchingPreferenceEnum', PREFERENCES) },
  systemAudio: { type: enumeration('SystemAudioPreferenceEnum', PREFERENCES) },
  video: { type: BooleanOrMediaTrackConstraints, default: {} },
});
