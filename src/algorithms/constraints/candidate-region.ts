/**
 * A set of candidate settings dictionaries that SelectSettings narrows as it goes: one native
 * mode as it is (a single settings dictionary), or everything crop-and-scale can derive from it
 * (a continuous set, see crop-and-scale.ts). Regions are immutable; narrowing returns a new one.
 */
import type { AudioMode, VideoMode } from '../../media/modes.js';
import { type Applies, type BareValues, type SettingsDictionary, fitnessDistance } from './fitness-distance.js';
import type { NormalizedConstraintSet } from './normalize.js';

/** The settings dictionary a region prefers, with what is needed to compare it with other regions' picks. */
export interface RegionChoice {
  readonly settings: SettingsDictionary;
  /** The native mode the device must run in to produce `settings`. */
  readonly mode: VideoMode | AudioMode;
  /**
   * The UA's tie-break among settings dictionaries with the same fitness distance (SelectSettings
   * step 6, "based on system default property values and User Agent default property values"),
   * compared lexicographically, smaller first.
   */
  readonly tie: readonly number[];
}

/** A non-empty set of candidate settings dictionaries derived from one native mode. */
export interface CandidateRegion {
  /** The native mode every settings dictionary in this region is derived from. */
  readonly mode: VideoMode | AudioMode;
  /** Whether a property applies to this kind of object (fitness distance step 3). */
  readonly applies: Applies;
  /**
   * The settings dictionaries of this region that satisfy `set` (whose fitness distance to it is
   * finite, bare values read as `bareValues`), or undefined when there are none.
   */
  narrow(set: NormalizedConstraintSet, bareValues: BareValues): CandidateRegion | undefined;
  /** This region's settings dictionary with the smallest fitness distance to `basic` (bare values as ideal). */
  best(basic: NormalizedConstraintSet): RegionChoice;
}

/** A region holding exactly one settings dictionary (a native mode with resizeMode "none", an audio configuration). */
export class PointRegion implements CandidateRegion {
  readonly mode: VideoMode | AudioMode;
  readonly applies: Applies;
  readonly #settings: SettingsDictionary;
  readonly #tie: readonly number[];

  constructor(mode: VideoMode | AudioMode, settings: SettingsDictionary, applies: Applies, tie: readonly number[]) {
    this.mode = mode;
    this.#settings = settings;
    this.applies = applies;
    this.#tie = tie;
  }

  narrow(set: NormalizedConstraintSet, bareValues: BareValues): CandidateRegion | undefined {
    return fitnessDistance(this.#settings, set, bareValues, this.applies) < Infinity ? this : undefined;
  }

  best(): RegionChoice {
    return { settings: this.#settings, mode: this.mode, tie: this.#tie };
  }
}
