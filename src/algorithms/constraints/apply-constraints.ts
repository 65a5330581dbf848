/**
 * The ApplyConstraints algorithm, its pure part (https://w3c.github.io/mediacapture-main/#dfn-applyconstraints-algorithm
 * §11.1.1, "To apply the ApplyConstraints algorithm to an object, given newConstraints ...").
 * Queueing, the promise, and changing the running source belong to the track.
 */
import type { DeviceDescriptor } from '../../media/modes.js';
import type { MediaTrackConstraints } from './dictionaries.js';
import type { NormalizedConstraints } from './normalize.js';
import { type SelectedSettings, selectSettings } from './select-settings.js';
import type { DeviceIds, SettingsSpaceOptions } from './settings-space.js';

/** ApplyConstraints' outcome: the settings to apply, or the failed constraint for OverconstrainedError. */
export type ApplyConstraintsResult =
  | (SelectedSettings & { readonly failedConstraint?: undefined })
  | { readonly failedConstraint: string };

/**
 * Steps 1–2 of ApplyConstraints for a track from `device`. On success the caller does step 3
 * ("in a single operation, remove the existing constraints from object, apply newConstraints,
 * and apply successfulSettings as the current settings"), running the device in `mode`.
 */
export function applyConstraints(
  device: DeviceDescriptor,
  ids: DeviceIds,
  newConstraints: MediaTrackConstraints | NormalizedConstraints,
  options: SettingsSpaceOptions = {},
): ApplyConstraintsResult {
  // 1. Let successfulSettings be the result of running SelectSettings with newConstraints.
  const successfulSettings = selectSettings(device, ids, newConstraints, options);
  // 2. If successfulSettings is undefined, let failedConstraint be any required constraint whose
  //    fitness distance was infinity for all settings dictionaries examined, or "", and return it.
  if ('failed' in successfulSettings) return { failedConstraint: successfulSettings.failed };
  // 3.–4. Applying is the caller's single operation; nothing failed.
  return successfulSettings;
}
