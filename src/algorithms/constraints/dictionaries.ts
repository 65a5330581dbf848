/**
 * The constraint dictionaries the engine reads and returns. They are IDL types, defined with their
 * converters in src/webidl/constraints.ts; the engine's modules import them from here.
 */
export type {
  ConstrainBoolean,
  ConstrainBooleanOrDOMString,
  ConstrainBooleanOrDOMStringParameters,
  ConstrainBooleanParameters,
  ConstrainDOMString,
  ConstrainDOMStringParameters,
  ConstrainDouble,
  ConstrainDoubleRange,
  ConstrainULong,
  ConstrainULongRange,
  ConvertedMediaStreamConstraints,
  DoubleRange,
  MediaStreamConstraints,
  MediaTrackCapabilities,
  MediaTrackConstraints,
  MediaTrackConstraintSet,
  MediaTrackSettings,
  MediaTrackSupportedConstraints,
  ULongRange,
} from '../../webidl/constraints.js';
