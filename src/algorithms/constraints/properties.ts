/**
 * The constrainable properties this implementation supports, in one table: which tracks each
 * applies to (mediacapture-main §4.3.8, the "Constrainable Properties" table, and Screen Capture
 * §5.4), whether getUserMedia accepts it as a required constraint (§10.1.1), and its floor value
 * for display capture (Screen Capture §5.4.1). Its IDL type is the `MediaTrackConstraintSet`
 * member's (src/webidl/constraints.ts), and the table has one row for each member.
 *
 * Not supported (so WebIDL drops them and getSupportedConstraints() leaves them out, as §10.1.1
 * requires): `backgroundBlur` (no backend blurs), and the mediacapture-extensions properties
 * (`powerEfficient`, `faceFraming`, `voiceIsolation`, ...): no backend has these features, and a
 * supported property with no setting would turn every required constraint on it into a failure.
 */
import { MEDIA_TRACK_CONSTRAINT_SET_MEMBERS, type ConstrainablePropertyName, type ConstraintType } from '../../webidl/constraints.js';

export type { ConstrainablePropertyName, ConstraintType };

/** The kind of track a device or a display surface gives. */
export type TrackKind = 'video' | 'audio';

/** One row of the constrainable properties table. */
export interface ConstrainableProperty {
  readonly name: ConstrainablePropertyName;
  /** The IDL type of its `MediaTrackConstraintSet` member. */
  readonly type: ConstraintType;
  /** The tracks from a device (getUserMedia) it applies to (§4.3.8): "video", "audio", "both", or null for none. */
  readonly device: TrackKind | 'both' | null;
  /** The track from a display surface (getDisplayMedia) it applies to (Screen Capture §5.4), or null. */
  readonly display: TrackKind | null;
  /** In "the allowed required constraints for device selection" (§10.1.1). */
  readonly allowedRequiredForDeviceSelection: boolean;
  /**
   * The floor value of a positive numeric display property (Screen Capture §5.4.1): "the
   * smallest allowable value supported by the user agent regardless of source", constant and > 0.
   * Crop-and-scale reaches one pixel, and decimation any positive rate; 0.01 fps is one frame per
   * 100 s.
   */
  readonly floor?: number;
}

type Row = Omit<ConstrainableProperty, 'name' | 'type'>;

const VIDEO: Row = { device: 'video', display: null, allowedRequiredForDeviceSelection: true };
const AUDIO: Row = { device: 'audio', display: null, allowedRequiredForDeviceSelection: true };
const DISPLAY_ONLY: Row = { device: null, display: 'video', allowedRequiredForDeviceSelection: false };
const DISPLAY_AUDIO_ONLY: Row = { device: null, display: 'audio', allowedRequiredForDeviceSelection: false };

/** The table, one row per property. */
const ROWS: Readonly<Record<ConstrainablePropertyName, Row>> = {
  aspectRatio: { ...VIDEO, display: 'video', floor: 0.0001 },
  autoGainControl: AUDIO,
  channelCount: AUDIO,
  cursor: DISPLAY_ONLY,
  deviceId: { ...VIDEO, device: 'both' },
  displaySurface: DISPLAY_ONLY,
  echoCancellation: AUDIO,
  facingMode: VIDEO,
  frameRate: { ...VIDEO, display: 'video', floor: 0.01 },
  groupId: { ...VIDEO, device: 'both' },
  height: { ...VIDEO, display: 'video', floor: 1 },
  latency: AUDIO,
  logicalSurface: DISPLAY_ONLY,
  noiseSuppression: AUDIO,
  resizeMode: { ...VIDEO, display: 'video' },
  restrictOwnAudio: DISPLAY_AUDIO_ONLY,
  sampleRate: AUDIO,
  sampleSize: AUDIO,
  suppressLocalAudioPlayback: DISPLAY_AUDIO_ONLY,
  width: { ...VIDEO, display: 'video', floor: 1 },
};

/**
 * Every supported property, in WebIDL dictionary member order: members of a dictionary and its
 * partial dictionaries are sorted together lexicographically.
 */
export const CONSTRAINABLE_PROPERTIES: readonly ConstrainableProperty[] = (Object.keys(MEDIA_TRACK_CONSTRAINT_SET_MEMBERS) as ConstrainablePropertyName[]).map(
  (name) => Object.freeze({ name, type: MEDIA_TRACK_CONSTRAINT_SET_MEMBERS[name], ...ROWS[name] }),
);

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
export function propertiesForKind(kind: TrackKind): ConstrainablePropertyName[] {
  return CONSTRAINABLE_PROPERTIES.filter((p) => p.device === kind || p.device === 'both').map((p) => p.name);
}

/** The properties "applicable to display surfaces" (Screen Capture §5.4), video and audio. */
export function displayProperties(): ConstrainablePropertyName[] {
  return CONSTRAINABLE_PROPERTIES.filter((p) => p.display !== null).map((p) => p.name);
}

/**
 * "The allowed required constraints for device selection" (mediacapture-main §10.1.1):
 * getUserMedia rejects with a TypeError when a required constraint names anything else.
 */
export const ALLOWED_REQUIRED_CONSTRAINTS_FOR_DEVICE_SELECTION: ReadonlySet<string> = new Set(
  CONSTRAINABLE_PROPERTIES.filter((p) => p.allowedRequiredForDeviceSelection).map((p) => p.name),
);

/**
 * `aspectRatio` is "represented as a double rounded to the tenth decimal place" (§4.3.8). Settings
 * report it rounded, and constraint values are rounded the same way before they are compared, so
 * that `{aspectRatio: {exact: 16 / 9}}` matches 1280x720.
 */
export function roundAspectRatio(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}
