/**
 * The ApplyConstraints algorithm, its pure part (https://w3c.github.io/mediacapture-main/#dfn-applyconstraints-algorithm
 * §11.1.1, "To apply the ApplyConstraints algorithm to an object, given newConstraints ...").
 * Step 3 (changing the object, and the source it runs from), the queueing and the promise belong
 * to the track: algorithms/track/constrainable.ts.
 */
import type { DeviceDescriptor } from '../../media/modes.js';
import type { MediaTrackConstraints } from './dictionaries.js';
import type { NormalizedConstraints } from './normalize.js';
import { type FailedSettings, type SelectedSettings, selectSettings } from './select-settings.js';
import type { DeviceIds, SettingsSpaceOptions } from './settings-space.js';

/** ApplyConstraints' outcome: the settings to apply, or the failed constraint for OverconstrainedError. */
export type ApplyConstraintsResult<Selected extends object = SelectedSettings> = Selected | { readonly failedConstraint: string };

/**
 * Steps 1–2 of ApplyConstraints for an object whose SelectSettings algorithm is `selectSettings`
 * (pure whenever that is). On success the caller does step 3: "in a single operation, remove the
 * existing constraints from object, apply newConstraints, and apply successfulSettings as the
 * current settings".
 */
export function successfulSettingsFor<Constraints, Selected extends object>(
  selectSettings: (newConstraints: Constraints) => Selected | FailedSettings,
  newConstraints: Constraints,
): ApplyConstraintsResult<Selected> {
  // 1. Let successfulSettings be the result of running the SelectSettings algorithm with
  //    newConstraints as the constraint set.
  const successfulSettings = selectSettings(newConstraints);
  // 2. If successfulSettings is undefined, let failedConstraint be any required constraint whose
  //    fitness distance was infinity for all settings dictionaries examined, or "", and return it.
  if ('failed' in successfulSettings) return { failedConstraint: successfulSettings.failed };
  // 3.–4. Applying is the caller's single operation; nothing failed.
  return successfulSettings;
}

/** Steps 1–2 of ApplyConstraints for a track from `device` (see {@link successfulSettingsFor}). */
export function applyConstraints(
  device: DeviceDescriptor,
  ids: DeviceIds,
  newConstraints: MediaTrackConstraints | NormalizedConstraints,
  options: SettingsSpaceOptions = {},
): ApplyConstraintsResult {
  return successfulSettingsFor((constraints: MediaTrackConstraints | NormalizedConstraints) => selectSettings(device, ids, constraints, options), newConstraints);
}
