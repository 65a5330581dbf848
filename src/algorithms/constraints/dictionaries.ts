/**
 * The IDL dictionaries of the Constrainable Pattern as MediaStreamTrack uses them
 * (https://w3c.github.io/mediacapture-main/#constrainable-properties §4.3.4–§4.3.7, §11.2) and the Screen Capture partial
 * dictionaries (https://w3c.github.io/mediacapture-screen-share/#extensions-to-mediatrackconstraintset §5.4.9–§5.4.12).
 *
 * These are the values WebIDL conversion produces and `getConstraints()` / `getSettings()` /
 * `getCapabilities()` return; they line up with lib.dom's types of the same names.
 */

/** `DoubleRange`. */
export interface DoubleRange {
  max?: number;
  min?: number;
}

/** `ConstrainDoubleRange`. */
export interface ConstrainDoubleRange extends DoubleRange {
  exact?: number;
  ideal?: number;
}

/** `ULongRange` (`[Clamp] unsigned long` members). */
export interface ULongRange {
  max?: number;
  min?: number;
}

/** `ConstrainULongRange`. */
export interface ConstrainULongRange extends ULongRange {
  exact?: number;
  ideal?: number;
}

/** `ConstrainBooleanParameters`. */
export interface ConstrainBooleanParameters {
  exact?: boolean;
  ideal?: boolean;
}

/** `ConstrainDOMStringParameters`. */
export interface ConstrainDOMStringParameters {
  exact?: string | string[];
  ideal?: string | string[];
}

/** `ConstrainBooleanOrDOMStringParameters`. */
export interface ConstrainBooleanOrDOMStringParameters {
  exact?: boolean | string;
  ideal?: boolean | string;
}

/** `([Clamp] unsigned long or ConstrainULongRange)`. */
export type ConstrainULong = number | ConstrainULongRange;
/** `(double or ConstrainDoubleRange)`. */
export type ConstrainDouble = number | ConstrainDoubleRange;
/** `(boolean or ConstrainBooleanParameters)`. */
export type ConstrainBoolean = boolean | ConstrainBooleanParameters;
/** `(DOMString or sequence<DOMString> or ConstrainDOMStringParameters)`. */
export type ConstrainDOMString = string | string[] | ConstrainDOMStringParameters;
/** `(boolean or DOMString or ConstrainBooleanOrDOMStringParameters)`. */
export type ConstrainBooleanOrDOMString = boolean | string | ConstrainBooleanOrDOMStringParameters;

/**
 * `MediaTrackConstraintSet`, with the Screen Capture members. Members appear in WebIDL order
 * (lexicographic) when produced by the converter.
 */
export interface MediaTrackConstraintSet {
  aspectRatio?: ConstrainDouble;
  autoGainControl?: ConstrainBoolean;
  channelCount?: ConstrainULong;
  cursor?: ConstrainDOMString;
  deviceId?: ConstrainDOMString;
  displaySurface?: ConstrainDOMString;
  echoCancellation?: ConstrainBooleanOrDOMString;
  facingMode?: ConstrainDOMString;
  frameRate?: ConstrainDouble;
  groupId?: ConstrainDOMString;
  height?: ConstrainULong;
  latency?: ConstrainDouble;
  logicalSurface?: ConstrainBoolean;
  noiseSuppression?: ConstrainBoolean;
  resizeMode?: ConstrainDOMString;
  restrictOwnAudio?: ConstrainBoolean;
  sampleRate?: ConstrainULong;
  sampleSize?: ConstrainULong;
  suppressLocalAudioPlayback?: ConstrainBoolean;
  width?: ConstrainULong;
}

/** `MediaTrackConstraints`: the basic constraint set plus the `advanced` list. */
export interface MediaTrackConstraints extends MediaTrackConstraintSet {
  advanced?: MediaTrackConstraintSet[];
}

/** `MediaStreamConstraints` after conversion: `true` becomes `{}`, absent or `false` stays `false`. */
export interface MediaStreamConstraints {
  audio: false | MediaTrackConstraints;
  video: false | MediaTrackConstraints;
}

/** `MediaTrackSettings`, with the Screen Capture members. */
export interface MediaTrackSettings {
  aspectRatio?: number;
  autoGainControl?: boolean;
  channelCount?: number;
  cursor?: string;
  deviceId?: string;
  displaySurface?: string;
  echoCancellation?: boolean | string;
  facingMode?: string;
  frameRate?: number;
  groupId?: string;
  height?: number;
  latency?: number;
  logicalSurface?: boolean;
  noiseSuppression?: boolean;
  resizeMode?: string;
  restrictOwnAudio?: boolean;
  sampleRate?: number;
  sampleSize?: number;
  suppressLocalAudioPlayback?: boolean;
  width?: number;
}

/** `MediaTrackCapabilities`, with the Screen Capture members. */
export interface MediaTrackCapabilities {
  aspectRatio?: DoubleRange;
  autoGainControl?: boolean[];
  channelCount?: ULongRange;
  cursor?: string[];
  deviceId?: string;
  displaySurface?: string;
  echoCancellation?: (boolean | string)[];
  facingMode?: string[];
  frameRate?: DoubleRange;
  groupId?: string;
  height?: ULongRange;
  latency?: DoubleRange;
  logicalSurface?: boolean;
  noiseSuppression?: boolean[];
  resizeMode?: string[];
  sampleRate?: ULongRange;
  sampleSize?: ULongRange;
  width?: ULongRange;
}

/** `MediaTrackSupportedConstraints`: the constrainable properties this implementation knows. */
export type MediaTrackSupportedConstraints = { [name: string]: boolean };
