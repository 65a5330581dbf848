/**
 * getSupportedConstraints() (https://w3c.github.io/mediacapture-main/#dom-mediadevices-getsupportedconstraints §10.1.1, §4.3.4
 * MediaTrackSupportedConstraints; Screen Capture §5.4.9).
 */
import type { MediaTrackSupportedConstraints } from './dictionaries.js';
import { CONSTRAINABLE_PROPERTIES } from './properties.js';

/**
 * A new `MediaTrackSupportedConstraints` dictionary: `true` for every constrainable property
 * this implementation supports, members in WebIDL (lexicographic) order. "Any constrainable
 * properties not supported by the User Agent MUST NOT be present."
 */
export function getSupportedConstraints(): MediaTrackSupportedConstraints {
  const supported: MediaTrackSupportedConstraints = {};
  for (const property of CONSTRAINABLE_PROPERTIES) supported[property.name] = true;
  return supported;
}
