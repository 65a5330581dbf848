/**
 * `DisplayMediaStreamOptions` (Screen Capture §5.4.8,
 * https://w3c.github.io/mediacapture-screen-share/#displaymediastreamoptions) and its
 * preference enumerations (§5.4.4–§5.4.7).
 */
import { enumeration, typeError, type Converter } from './converters.js';
import { BooleanOrMediaTrackConstraints, type MediaTrackConstraints } from './constraints.js';
import { dictionary } from './dictionary.js';

/** The values of every preference enumeration of DisplayMediaStreamOptions. */
export type DisplayPreference = 'include' | 'exclude';
const PREFERENCES: readonly DisplayPreference[] = ['include', 'exclude'];

/** `DisplayMediaStreamOptions` as script passes it. */
export interface DisplayMediaStreamOptions {
  video?: boolean | MediaTrackConstraints;
  audio?: boolean | MediaTrackConstraints;
  /** Not supported here: must be left out. */
  controller?: undefined;
  selfBrowserSurface?: DisplayPreference;
  systemAudio?: DisplayPreference;
  surfaceSwitching?: DisplayPreference;
  monitorTypeSurfaces?: DisplayPreference;
}

/** A converted `DisplayMediaStreamOptions`, members in WebIDL order; `true` is `{}`. */
export interface ConvertedDisplayMediaStreamOptions {
  audio: false | MediaTrackConstraints;
  /** Never present: converting one throws. */
  controller?: never;
  monitorTypeSurfaces?: DisplayPreference;
  selfBrowserSurface?: DisplayPreference;
  surfaceSwitching?: DisplayPreference;
  systemAudio?: DisplayPreference;
  video: false | MediaTrackConstraints;
}

/**
 * `CaptureController`, which is not implemented: no value is one, so a `controller` that is
 * present is a TypeError.
 */
const CaptureController: Converter<never> = (_value, context) => {
  throw typeError(context, "is not of type 'CaptureController' (CaptureController is not supported here; leave it out).");
};

/**
 * `dictionary DisplayMediaStreamOptions { (boolean or MediaTrackConstraints) video = true;
 * (boolean or MediaTrackConstraints) audio = false; CaptureController controller;
 * SelfCapturePreferenceEnum selfBrowserSurface; SystemAudioPreferenceEnum systemAudio;
 * SurfaceSwitchingPreferenceEnum surfaceSwitching; MonitorTypeSurfacesEnum monitorTypeSurfaces; }`
 */
export const DisplayMediaStreamOptions = dictionary<ConvertedDisplayMediaStreamOptions>('DisplayMediaStreamOptions', {
  audio: { type: BooleanOrMediaTrackConstraints, default: false },
  controller: { type: CaptureController },
  monitorTypeSurfaces: { type: enumeration('MonitorTypeSurfacesEnum', PREFERENCES) },
  selfBrowserSurface: { type: enumeration('SelfCapturePreferenceEnum', PREFERENCES) },
  surfaceSwitching: { type: enumeration('SurfaceSwitchingPreferenceEnum', PREFERENCES) },
  systemAudio: { type: enumeration('SystemAudioPreferenceEnum', PREFERENCES) },
  video: { type: BooleanOrMediaTrackConstraints, default: {} },
});
