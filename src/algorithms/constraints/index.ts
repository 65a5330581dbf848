/**
 * The constraints engine: pure functions from devices, settings dictionaries and constraints to
 * a choice (mediacapture-main §11, the Constrainable Pattern). No I/O.
 */
export type * from './dictionaries.js';
export {
  ALLOWED_REQUIRED_CONSTRAINTS_FOR_DEVICE_SELECTION,
  CONSTRAINABLE_PROPERTIES,
  type ConstrainableProperty,
  type ConstrainablePropertyName,
  type ConstraintType,
  type TrackKind,
  constrainableProperty,
  displayProperties,
  propertiesForKind,
  roundAspectRatio,
} from './properties.js';
export {
  type DiscreteConstraint,
  type NormalizedConstraint,
  type NormalizedConstraints,
  type NormalizedConstraintSet,
  type NumericConstraint,
  isNormalizedConstraints,
  normalizeConstraintSet,
  normalizeConstraints,
} from './normalize.js';
export {
  type Applies,
  type BareValues,
  type SettingsDictionary,
  constraintFitnessDistance,
  fitnessDistance,
  isRequired,
  numericDistance,
  satisfies,
} from './fitness-distance.js';
export { type DeviceIds, type SettingsSpaceOptions, DEFAULT_SETTINGS, sameMode, settingsSpace } from './settings-space.js';
export type { CandidateRegion, RegionChoice } from './candidate-region.js';
export { type FailedSettings, type SelectedSettings, selectSettings } from './select-settings.js';
export { type ApplyConstraintsResult, applyConstraints, successfulSettingsFor } from './apply-constraints.js';
export { capabilitiesOf } from './capabilities.js';
export { getSupportedConstraints } from './supported.js';

/** The settings dictionary SelectSettings returns (a `MediaTrackSettings`). */
export type { MediaTrackSettings as MediaTrackSettingsLike } from './dictionaries.js';
