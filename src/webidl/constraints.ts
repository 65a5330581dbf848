/**
 * The constraint dictionaries of the Constrainable Pattern as MediaStreamTrack uses them
 * (https://w3c.github.io/mediacapture-main/#constrainable-properties §4.3.4–§4.3.7, §11.2;
 * `MediaStreamConstraints`, https://w3c.github.io/mediacapture-main/#mediastreamconstraints
 * §10.2) and the Screen Capture partial dictionaries
 * (https://w3c.github.io/mediacapture-screen-share/#extensions-to-mediatrackconstraintset
 * §5.4.9–§5.4.12): their types, which line up with lib.dom's types of the same names, and their
 * converters.
 *
 * - Dictionaries convert with the dictionary helper (dictionary.ts): one Get per member, in WebIDL
 *   order; unknown members are never read. `MediaTrackConstraintSet` has the members of the
 *   constrainable properties this implementation supports (see
 *   src/algorithms/constraints/properties.ts); the others are unknown members, so they are dropped
 *   and getConstraints() does not return them.
 * - Union members follow the union conversion rules: for ConstrainULong and ConstrainDouble an
 *   object (or null) is the range dictionary and anything else a number; for ConstrainDOMString
 *   an iterable object is a sequence, any other object (or null) the parameters dictionary, and
 *   anything else a string; for ConstrainBoolean an object (or null) is the parameters
 *   dictionary and anything else ToBoolean.
 * - `[Clamp] unsigned long` (the IDL of ConstrainULong and ULongRange) clamps into 0..2^32-1 and
 *   rounds half to even; NaN is 0. `double` is restricted: NaN and ±Infinity are a TypeError.
 * - A TypeError names the member by its path, e.g. `constraints.video.advanced[2].width.min`.
 *
 * The result is the IDL dictionary value itself, which getConstraints() returns; the engine's
 * form comes from normalizeConstraints().
 */
import {
  getIteratorMethod,
  isObject,
  sequence,
  sequenceFromIterable,
  toBoolean,
  toClampedUnsignedLong,
  toDOMString,
  toDouble,
  type Converter,
} from './converters.js';
import { dictionary, type Members } from './dictionary.js';

/** The most advanced constraint sets accepted; more is a TypeError rather than a long stall. */
export const MAX_ADVANCED_CONSTRAINT_SETS = 10_000;
/** The most strings accepted in one `sequence<DOMString>` of a constraint (an endless iterable would never finish). */
export const MAX_CONSTRAINT_STRINGS = 10_000;

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

/** The IDL type of a `MediaTrackConstraintSet` member. */
export type ConstraintType = 'ConstrainULong' | 'ConstrainDouble' | 'ConstrainDOMString' | 'ConstrainBoolean' | 'ConstrainBooleanOrDOMString';

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

/** The name of a constrainable property: a member of `MediaTrackConstraintSet`. */
export type ConstrainablePropertyName = keyof MediaTrackConstraintSet;

/**
 * The IDL type of each `MediaTrackConstraintSet` member (mediacapture-main §4.3.6, §11.2; Screen
 * Capture §5.4.10), in WebIDL (lexicographic) order.
 */
export const MEDIA_TRACK_CONSTRAINT_SET_MEMBERS = {
  aspectRatio: 'ConstrainDouble',
  autoGainControl: 'ConstrainBoolean',
  channelCount: 'ConstrainULong',
  cursor: 'ConstrainDOMString',
  deviceId: 'ConstrainDOMString',
  displaySurface: 'ConstrainDOMString',
  echoCancellation: 'ConstrainBooleanOrDOMString',
  facingMode: 'ConstrainDOMString',
  frameRate: 'ConstrainDouble',
  groupId: 'ConstrainDOMString',
  height: 'ConstrainULong',
  latency: 'ConstrainDouble',
  logicalSurface: 'ConstrainBoolean',
  noiseSuppression: 'ConstrainBoolean',
  resizeMode: 'ConstrainDOMString',
  restrictOwnAudio: 'ConstrainBoolean',
  sampleRate: 'ConstrainULong',
  sampleSize: 'ConstrainULong',
  suppressLocalAudioPlayback: 'ConstrainBoolean',
  width: 'ConstrainULong',
} as const satisfies Record<ConstrainablePropertyName, ConstraintType>;

/** `MediaTrackConstraints`: the basic constraint set plus the `advanced` list. */
export interface MediaTrackConstraints extends MediaTrackConstraintSet {
  advanced?: MediaTrackConstraintSet[];
}

/** `MediaStreamConstraints` as script passes it (both members optional, default false). */
export interface MediaStreamConstraints {
  video?: boolean | MediaTrackConstraints;
  audio?: boolean | MediaTrackConstraints;
}

/** A converted `MediaStreamConstraints`: `true` becomes `{}`, absent or `false` stays `false`. */
export interface ConvertedMediaStreamConstraints {
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

// The range and parameter dictionaries.

/** `dictionary ULongRange { [Clamp] unsigned long max; [Clamp] unsigned long min; }` */
export const ULongRange = dictionary<ULongRange>('ULongRange', {
  max: { type: toClampedUnsignedLong },
  min: { type: toClampedUnsignedLong },
});

/** `dictionary ConstrainULongRange : ULongRange { [Clamp] unsigned long exact; [Clamp] unsigned long ideal; }` */
export const ConstrainULongRange = dictionary<ConstrainULongRange, ULongRange>('ConstrainULongRange', ULongRange, {
  exact: { type: toClampedUnsignedLong },
  ideal: { type: toClampedUnsignedLong },
});

/** `dictionary DoubleRange { double max; double min; }` */
export const DoubleRange = dictionary<DoubleRange>('DoubleRange', {
  max: { type: toDouble },
  min: { type: toDouble },
});

/** `dictionary ConstrainDoubleRange : DoubleRange { double exact; double ideal; }` */
export const ConstrainDoubleRange = dictionary<ConstrainDoubleRange, DoubleRange>('ConstrainDoubleRange', DoubleRange, {
  exact: { type: toDouble },
  ideal: { type: toDouble },
});

/** `dictionary ConstrainBooleanParameters { boolean exact; boolean ideal; }` */
export const ConstrainBooleanParameters = dictionary<ConstrainBooleanParameters>('ConstrainBooleanParameters', {
  exact: { type: toBoolean },
  ideal: { type: toBoolean },
});

/** `(DOMString or sequence<DOMString>)`: an iterable object is a sequence, anything else ToString. */
function toDOMStringOrSequence(value: unknown, context: string): string | string[] {
  if (isObject(value)) {
    const method = getIteratorMethod(value, context);
    if (method !== undefined) return sequenceFromIterable(value, method, context, toDOMString, MAX_CONSTRAINT_STRINGS);
  }
  return toDOMString(value, context);
}

/** `dictionary ConstrainDOMStringParameters { (DOMString or sequence<DOMString>) exact; ... ideal; }` */
export const ConstrainDOMStringParameters = dictionary<ConstrainDOMStringParameters>('ConstrainDOMStringParameters', {
  exact: { type: toDOMStringOrSequence },
  ideal: { type: toDOMStringOrSequence },
});

/** `(boolean or DOMString)`: a boolean stays one; anything else ToString. */
function toBooleanOrDOMString(value: unknown, context: string): boolean | string {
  return typeof value === 'boolean' ? value : toDOMString(value, context);
}

/** `dictionary ConstrainBooleanOrDOMStringParameters { (boolean or DOMString) exact; ... ideal; }` */
export const ConstrainBooleanOrDOMStringParameters = dictionary<ConstrainBooleanOrDOMStringParameters>('ConstrainBooleanOrDOMStringParameters', {
  exact: { type: toBooleanOrDOMString },
  ideal: { type: toBooleanOrDOMString },
});

// The unions (typedefs).

/** Whether a union with a dictionary member takes `value` as the dictionary: an object, null or undefined. */
function isDictionaryLike(value: unknown): boolean {
  return value === null || value === undefined || isObject(value);
}

/** `ConstrainULong`: `([Clamp] unsigned long or ConstrainULongRange)`. */
export const ConstrainULong: Converter<ConstrainULong> = (value, context) =>
  isDictionaryLike(value) ? ConstrainULongRange(value, context) : toClampedUnsignedLong(value, context);

/** `ConstrainDouble`: `(double or ConstrainDoubleRange)`. */
export const ConstrainDouble: Converter<ConstrainDouble> = (value, context) =>
  isDictionaryLike(value) ? ConstrainDoubleRange(value, context) : toDouble(value, context);

/** `ConstrainBoolean`: `(boolean or ConstrainBooleanParameters)`. */
export const ConstrainBoolean: Converter<ConstrainBoolean> = (value, context) =>
  isDictionaryLike(value) ? ConstrainBooleanParameters(value, context) : toBoolean(value);

/** `ConstrainDOMString`: `(DOMString or sequence<DOMString> or ConstrainDOMStringParameters)`. */
export const ConstrainDOMString: Converter<ConstrainDOMString> = (value, context) => {
  if (isObject(value)) {
    const method = getIteratorMethod(value, context);
    if (method !== undefined) return sequenceFromIterable(value, method, context, toDOMString, MAX_CONSTRAINT_STRINGS);
  }
  return isDictionaryLike(value) ? ConstrainDOMStringParameters(value, context) : toDOMString(value, context);
};

/** `ConstrainBooleanOrDOMString`: `(boolean or DOMString or ConstrainBooleanOrDOMStringParameters)`. */
export const ConstrainBooleanOrDOMString: Converter<ConstrainBooleanOrDOMString> = (value, context) =>
  isDictionaryLike(value) ? ConstrainBooleanOrDOMStringParameters(value, context) : toBooleanOrDOMString(value, context);

/** The converter of each constraint type, by IDL type name. */
const CONSTRAINT_TYPES: { readonly [T in ConstraintType]: Converter<unknown> } = {
  ConstrainULong,
  ConstrainDouble,
  ConstrainDOMString,
  ConstrainBoolean,
  ConstrainBooleanOrDOMString,
};

// The constraint sets.

/** `dictionary MediaTrackConstraintSet` (§4.3.6, Screen Capture §5.4.10): one member per supported constrainable property. */
export const MediaTrackConstraintSet = dictionary<MediaTrackConstraintSet>(
  'MediaTrackConstraintSet',
  Object.fromEntries(
    Object.entries(MEDIA_TRACK_CONSTRAINT_SET_MEMBERS).map(([name, type]) => [name, { type: CONSTRAINT_TYPES[type] }]),
  ) as Members<MediaTrackConstraintSet>,
);

/** `dictionary MediaTrackConstraints : MediaTrackConstraintSet { sequence<MediaTrackConstraintSet> advanced; }` */
export const MediaTrackConstraints = dictionary<MediaTrackConstraints, MediaTrackConstraintSet>('MediaTrackConstraints', MediaTrackConstraintSet, {
  advanced: { type: sequence(MediaTrackConstraintSet, MAX_ADVANCED_CONSTRAINT_SETS) },
});

/** `(boolean or MediaTrackConstraints)`: an object (or null) is the dictionary, anything else ToBoolean; `true` is `{}` (no constraints). */
export const BooleanOrMediaTrackConstraints: Converter<false | MediaTrackConstraints> = (value, context) => {
  if (isDictionaryLike(value)) return MediaTrackConstraints(value, context);
  return toBoolean(value) ? {} : false;
};

/** `dictionary MediaStreamConstraints { (boolean or MediaTrackConstraints) video = false; ... audio = false; }` (§10.2) */
export const MediaStreamConstraints = dictionary<ConvertedMediaStreamConstraints>('MediaStreamConstraints', {
  audio: { type: BooleanOrMediaTrackConstraints, default: false },
  video: { type: BooleanOrMediaTrackConstraints, default: false },
});
