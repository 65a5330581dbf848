/**
 * The "constraint exerciser": SelectSettings (mediacapture-main §11.1.1) for one device, step by
 * step, with what happened to each candidate: which required constraint ruled it out (step 3),
 * which advanced set dropped it (step 5), and its fitness distance to the basic set, constraint
 * by constraint (step 6).
 *
 * It walks the same candidate regions as `selectSettings` (settings-space.ts), through their
 * public `narrow` and `best`; the candidate marked chosen is the one whose settings are what
 * `selectSettings` itself returns, so the report cannot claim a pick getUserMedia would not make.
 * Pure: no I/O.
 */
import type { AudioMode, DeviceDescriptor, VideoMode } from '../media/modes.js';
import {
  type DeviceIds,
  type MediaTrackConstraints,
  type NormalizedConstraint,
  type NormalizedConstraintSet,
  type SettingsDictionary,
  constraintFitnessDistance,
  fitnessDistance,
  isRequired,
  normalizeConstraints,
  selectSettings,
  settingsSpace,
} from '../algorithms/constraints/index.js';
import type { CandidateRegion } from '../algorithms/constraints/candidate-region.js';

/** What became of one candidate region (one native mode, as it is or cropped and scaled). */
export interface CandidateTrace {
  /** The native mode the candidate's settings come from. */
  readonly mode: VideoMode | AudioMode;
  /** Video: "none" (the native mode as it is) or "crop-and-scale" (any smaller size and lower frame rate). */
  readonly resizeMode?: string;
  /** Audio: the processing switches of this candidate. */
  readonly switches?: { echoCancellation: boolean; autoGainControl: boolean; noiseSuppression: boolean };
  /**
   * Step 3: the required constraints of the basic set this candidate cannot meet (empty with
   * `rejected: 'basic'` when each alone can be met, only not all together).
   */
  readonly failed: readonly string[];
  /** Where the candidate left: "basic" (step 3), or the index of the advanced set that dropped it (step 5). */
  readonly rejected?: 'basic' | number;
  /** The candidate's closest settings dictionary to the basic set (after the kept advanced sets). */
  readonly settings?: SettingsDictionary;
  /** Its fitness distance to the basic set, bare values as ideal. */
  readonly distance?: number;
  /** The non-zero parts of that distance, by constraint name. */
  readonly distances?: Readonly<Record<string, number>>;
  /** Whether SelectSettings chose this candidate. */
  readonly chosen: boolean;
}

/** SelectSettings for one device, traced. */
export interface DeviceTrace {
  readonly candidates: readonly CandidateTrace[];
  /** Step 5: for each advanced set in order, whether it was kept (some candidate satisfied it). */
  readonly advanced: readonly boolean[];
  /** The outcome, as selectSettings returns it. */
  readonly result: ReturnType<typeof selectSettings>;
}

/** A required constraint in words: `width {"min":640}`, `facingMode {"exact":["environment"]}`. */
export function describeConstraint(c: NormalizedConstraint): string {
  const { name, type: _type, ...rest } = c as NormalizedConstraint & Record<string, unknown>;
  return `${name} ${JSON.stringify(rest)}`;
}

/** Settings compared member by member, whatever their order. */
function settingsKey(settings: object): string {
  const s = settings as Record<string, unknown>;
  return JSON.stringify(Object.keys(s).sort().filter((k) => s[k] !== undefined).map((k) => [k, s[k]]));
}

/** The required constraints of `basic` that, each on its own, rule `region` out. */
function failingConstraints(region: CandidateRegion, basic: NormalizedConstraintSet): string[] {
  return basic.filter((c) => isRequired(c, 'ideal') && region.narrow([c], 'ideal') === undefined).map((c) => c.name);
}

/** Traces SelectSettings for `device` with the (converted) `constraints` of one kind. */
export function traceSelectSettings(device: DeviceDescriptor, ids: DeviceIds, constraints: MediaTrackConstraints): DeviceTrace {
  const normalized = normalizeConstraints(constraints);
  const { basic, advanced } = normalized;
  const space = settingsSpace(device, ids);
  // What each region is, from its unconstrained pick.
  const traces = space.map((region) => {
    const whole = region.best([]).settings;
    const describe: { resizeMode?: string; switches?: CandidateTrace['switches'] } =
      'width' in region.mode
        ? { resizeMode: String(whole.resizeMode) }
        : {
            switches: {
              echoCancellation: whole.echoCancellation === true,
              autoGainControl: whole.autoGainControl === true,
              noiseSuppression: whole.noiseSuppression === true,
            },
          };
    return { mode: region.mode, ...describe, failed: [] as string[], chosen: false } as { -readonly [K in keyof CandidateTrace]: CandidateTrace[K] };
  });
  // 3. Candidates: the regions (narrowed) with a finite distance to the basic set.
  let candidates: { index: number; region: CandidateRegion }[] = [];
  space.forEach((region, index) => {
    const narrowed = region.narrow(basic, 'ideal');
    if (narrowed) candidates.push({ index, region: narrowed });
    else Object.assign(traces[index]!, { rejected: 'basic', failed: failingConstraints(region, basic) });
  });
  // 5. Advanced sets, in order; a set no candidate satisfies is ignored.
  const kept: boolean[] = [];
  if (candidates.length > 0) {
    advanced.forEach((set, setIndex) => {
      const next: typeof candidates = [];
      for (const c of candidates) {
        const narrowed = c.region.narrow(set, 'exact');
        if (narrowed) next.push({ index: c.index, region: narrowed });
      }
      kept.push(next.length > 0);
      if (next.length === 0) return;
      const survivors = new Set(next.map((c) => c.index));
      for (const c of candidates) if (!survivors.has(c.index)) traces[c.index]!.rejected = setIndex;
      candidates = next;
    });
  } else {
    for (let i = 0; i < advanced.length; i++) kept.push(false);
  }
  // 6. Each candidate's closest settings dictionary and its fitness distance; SelectSettings picks
  //    the smallest (ties by the UA defaults, then mode order): the one selectSettings returns.
  for (const { index, region } of candidates) {
    const choice = region.best(basic);
    const distances: Record<string, number> = {};
    for (const c of basic) {
      const d = constraintFitnessDistance(choice.settings[c.name], c, 'ideal', region.applies);
      if (d !== 0) distances[c.name] = d;
    }
    const distance = fitnessDistance(choice.settings, basic, 'ideal', region.applies);
    Object.assign(traces[index]!, { settings: choice.settings, distance, distances });
  }
  const result = selectSettings(device, ids, normalized);
  if (!('failed' in result)) {
    const key = settingsKey(result.settings);
    const chosen = candidates.find(({ index }) => traces[index]!.mode === result.mode && settingsKey(traces[index]!.settings!) === key);
    if (chosen) traces[chosen.index]!.chosen = true;
  }
  return { candidates: traces, advanced: kept, result };
}
