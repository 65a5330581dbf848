/**
 * The constrainable properties this implementation supports: mediacapture-main §4.3.8 (the
 * "Constrainable Properties" table) and the Screen Capture properties of
 * mediacapture-screen-share §5.4.
 *
 * Not supported (so WebIDL drops them and getSupportedConstraints() leaves them out, as §10.1.1
 * requires): `backgroundBlur` (no backend blurs), and the mediacapture-extensions properties
 * (`powerEfficient`, `faceFraming`, `voiceIsolation`, ...): no backend has these features, and a
 * supported property with no setting would turn every required constraint on it into a failure.
 */

/** The WebIDL type of a `MediaTrackConstraintSet` member. */
export type ConstraintType =
  | 'ConstrainULong'
  | 'ConstrainDouble'
  | 'ConstrainDOMString'
  | 'ConstrainBoolean'
  | 'ConstrainBooleanOrDOMString';

/** The names of the supported constrainable properties, in WebIDL (lexicographic) order. */
export type ConstrainablePropertyName =
  | 'aspectRatio'
  | 'autoGainControl'
  | 'channelCount'
  | 'cursor'
  | 'deviceId'
  | 'displaySurface'
  | 'echoCancellation'
  | 'facingMode'
  | 'frameRate'
  | 'groupId'
  | 'height'
  | 'latency'
  | 'logicalSurface'
  | 'noiseSuppression'
  | 'resizeMode'
  | 'restrictOwnAudio'
  | 'sampleRate'
  | 'sampleSize'
  | 'suppressLocalAudioPlayback'
  | 'width';

/** One row of the constrainable properties table. */
export interface ConstrainableProperty {
  readonly name: ConstrainablePropertyName;
  readonly type: ConstraintType;
  /**
   * Which tracks the property applies to: "video" or "audio" tracks, "both", or "display" for
   * Screen Capture properties, which apply only to tracks whose settings carry them.
   */
  readonly appliesTo: 'video' | 'audio' | 'both' | 'display';
}

/**
 * Every supported property, in WebIDL dictionary member order: members of a dictionary and its
 * partial dictionaries are sorted together lexicographically.
 */
export const CONSTRAINABLE_PROPERTIES: readonly ConstrainableProperty[] = [
  { name: 'aspectRatio', type: 'ConstrainDouble', appliesTo: 'video' },
  { name: 'autoGainControl', type: 'ConstrainBoolean', appliesTo: 'audio' },
  { name: 'channelCount', type: 'ConstrainULong', appliesTo: 'audio' },
  { name: 'cursor', type: 'ConstrainDOMString', appliesTo: 'display' },
  { name: 'deviceId', type: 'ConstrainDOMString', appliesTo: 'both' },
  { name: 'displaySurface', type: 'ConstrainDOMString', appliesTo: 'display' },
  { name: 'echoCancellation', type: 'ConstrainBooleanOrDOMString', appliesTo: 'audio' },
  { name: 'facingMode', type: 'ConstrainDOMString', appliesTo: 'video' },
  { name: 'frameRate', type: 'ConstrainDouble', appliesTo: 'video' },
  { name: 'groupId', type: 'ConstrainDOMString', appliesTo: 'both' },
  { name: 'height', type: 'ConstrainULong', appliesTo: 'video' },
  { name: 'latency', type: 'ConstrainDouble', appliesTo: 'audio' },
  { name: 'logicalSurface', type: 'ConstrainBoolean', appliesTo: 'display' },
  { name: 'noiseSuppression', type: 'ConstrainBoolean', appliesTo: 'audio' },
  { name: 'resizeMode', type: 'ConstrainDOMString', appliesTo: 'video' },
  { name: 'restrictOwnAudio', type: 'ConstrainBoolean', appliesTo: 'display' },
  { name: 'sampleRate', type: 'ConstrainULong', appliesTo: 'audio' },
  { name: 'sampleSize', type: 'ConstrainULong', appliesTo: 'audio' },
  { name: 'suppressLocalAudioPlayback', type: 'ConstrainBoolean', appliesTo: 'display' },
  { name: 'width', type: 'ConstrainULong', appliesTo: 'video' },
];

const BY_NAME: ReadonlyMap<string, ConstrainableProperty> = new Map(CONSTRAINABLE_PROPERTIES.map((p) => [p.name, p]));

/** The property named `name`, or undefined when this implementation does not support it. */
export function constrainableProperty(name: string): ConstrainableProperty | undefined {
  return BY_NAME.get(name);
}

/** Properties whose values are numbers (the "positive numeric constraints" of the fitness distance). */
export function isNumericProperty(name: string): boolean {
  const type = BY_NAME.get(name)?.type;
  return type === 'ConstrainULong' || type === 'ConstrainDouble';
}

/** The properties that apply to a video or an audio track from a device (§4.3.8). */
export function propertiesForKind(kind: 'video' | 'audio'): ConstrainablePropertyName[] {
  return CONSTRAINABLE_PROPERTIES.filter((p) => p.appliesTo === kind || p.appliesTo === 'both').map((p) => p.name);
}

/**
 * "The allowed required constraints for device selection" (mediacapture-main §10.1.1):
 * getUserMedia rejects with a TypeError when a required constraint names anything else.
 */
export const ALLOWED_REQUIRED_CONSTRAINTS_FOR_DEVICE_SELECTION: ReadonlySet<string> = new Set([
  'width',
  'height',
  'aspectRatio',
  'frameRate',
  'facingMode',
  'resizeMode',
  'sampleRate',
  'sampleSize',
  'echoCancellation',
  'autoGainControl',
  'noiseSuppression',
  'latency',
  'channelCount',
  'deviceId',
  'groupId',
]);

/**
 * `aspectRatio` is "represented as a double rounded to the tenth decimal place" (§4.3.8). Settings
 * report it rounded, and constraint values are rounded the same way before they are compared, so
 * that `{aspectRatio: {exact: 16 / 9}}` matches 1280x720.
 */
export function roundAspectRatio(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}
