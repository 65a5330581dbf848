/**
 * The SelectSettings algorithm (https://w3c.github.io/mediacapture-main/#dfn-selectsettings §11.1.1, "We define
 * the SelectSettings algorithm as follows"), over the settings space of one device.
 */
import type { AudioMode, DeviceDescriptor, VideoMode } from '../../media/modes.js';
import type { CandidateRegion, RegionChoice } from './candidate-region.js';
import type { MediaTrackConstraints, MediaTrackSettings } from './dictionaries.js';
import { type SettingsDictionary, fitnessDistance, isRequired } from './fitness-distance.js';
import { type NormalizedConstraints, type NormalizedConstraintSet, isNormalizedConstraints, normalizeConstraints } from './normalize.js';
import { type DeviceIds, type SettingsSpaceOptions, settingsSpace } from './settings-space.js';

/** What SelectSettings chose: the settings, the native mode to run the device in, and the fitness distance. */
export interface SelectedSettings {
  /** The chosen settings dictionary, members in WebIDL (lexicographic) order. */
  readonly settings: MediaTrackSettings;
  /** The native mode the device must run in to produce `settings`. */
  readonly mode: VideoMode | AudioMode;
  /** The fitness distance of `settings` to the basic constraint set, bare values as ideal (step 3). */
  readonly distance: number;
}

/** SelectSettings found no settings dictionary: `failed` is the OverconstrainedError's `constraint`. */
export interface FailedSettings {
  /**
   * A required constraint of the basic set whose fitness distance was infinite for every
   * settings dictionary examined, or "" when each one alone could be met (only together not).
   */
  readonly failed: string;
}

/**
 * SelectSettings for `device` and `constraints` (a converted `MediaTrackConstraints` dictionary,
 * or its {@link normalizeConstraints normalized} form).
 *
 * The chosen settings satisfy every required constraint of the basic set and every advanced set
 * that was kept; `{failed}` is returned exactly when no settings dictionary of the device
 * satisfies the basic set's required constraints.
 */
export function selectSettings(
  device: DeviceDescriptor,
  ids: DeviceIds,
  constraints: MediaTrackConstraints | NormalizedConstraints,
  options: SettingsSpaceOptions = {},
): SelectedSettings | FailedSettings {
  // 1. An empty constraint is no constraint: normalization drops empty lists and dictionaries.
  const { basic, advanced } = isNormalizedConstraints(constraints) ? constraints : normalizeConstraints(constraints);
  // 2. Let copy be an unconstrained copy of object: every settings dictionary of the device.
  const space = settingsSpace(device, ids, options);
  // 3. Compute the fitness distance of every possible settings dictionary, treating bare values
  //    as ideal; candidates are those with a finite distance.
  let candidates = narrowAll(space, basic, 'ideal');
  // 4. If candidates is empty, return undefined (with the failed constraint, see failedConstraint).
  if (candidates.length === 0) return { failed: failedConstraint(space, basic) };
  // 5. Iterate over the advanced ConstraintSets in order.
  for (const set of advanced) {
    // 5.1. Compute the fitness distance to each candidate, treating bare values as exact.
    const kept = narrowAll(candidates, set, 'exact');
    // 5.2. Keep the candidates with a finite distance, if there are any; otherwise ignore this set.
    if (kept.length > 0) candidates = kept;
  }
  // 6. Select a candidate with the smallest fitness distance as calculated in step 3; among equals,
  //    the UA's defaults decide (each region's tie key), then the device's mode order.
  let best: { choice: RegionChoice; distance: number } | undefined;
  for (const region of candidates) {
    const choice = region.best(basic);
    const distance = fitnessDistance(choice.settings, basic, 'ideal', region.applies);
    if (best === undefined || distance < best.distance || (distance === best.distance && compareTies(choice.tie, best.choice.tie) < 0)) {
      best = { choice, distance };
    }
  }
  const { choice, distance } = best!;
  return { settings: inIdlOrder(choice.settings), mode: choice.mode, distance };
}

/** The parts of `regions` whose settings dictionaries satisfy `set`. */
function narrowAll(regions: readonly CandidateRegion[], set: NormalizedConstraintSet, bareValues: 'ideal' | 'exact'): CandidateRegion[] {
  const out: CandidateRegion[] = [];
  for (const region of regions) {
    const narrowed = region.narrow(set, bareValues);
    if (narrowed !== undefined) out.push(narrowed);
  }
  return out;
}

/**
 * ApplyConstraints step 2 / getUserMedia step 11.3.5: "any required constraint whose fitness
 * distance was infinity for all settings dictionaries examined while executing the
 * SelectSettings algorithm, or "" if there isn't one". The first such constraint in WebIDL
 * member order. A device with no settings dictionaries at all fails for no constraint's sake: "".
 */
function failedConstraint(space: readonly CandidateRegion[], basic: NormalizedConstraintSet): string {
  if (space.length === 0) return '';
  for (const constraint of basic) {
    if (!isRequired(constraint, 'ideal')) continue;
    if (narrowAll(space, [constraint], 'ideal').length === 0) return constraint.name;
  }
  return '';
}

function compareTies(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** A copy of the settings with members in WebIDL dictionary order (lexicographic), as getSettings() returns them. */
function inIdlOrder(settings: SettingsDictionary): MediaTrackSettings {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(settings).sort()) if (settings[key] !== undefined) out[key] = settings[key];
  return out as MediaTrackSettings;
}
