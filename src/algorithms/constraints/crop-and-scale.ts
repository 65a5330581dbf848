/**
 * The settings dictionaries resizeMode "crop-and-scale" derives from one native video mode: any
 * width 1..native width, height 1..native height (whole pixels), and frame rate in
 * (0, native frame rate] (mediacapture-main §4.3.8: "The User Agent MUST support downsampling to
 * any value between the min width range value and the native resolution width"; the media "MUST
 * NOT be upscaled").
 *
 * The set is too large to enumerate, so the region is kept as a box (size-box.ts): whole-pixel
 * intervals for width and height, an interval for frame rate, and an interval for the (rounded)
 * aspect ratio. Narrowing by a constraint set intersects the box with the set's required
 * constraints, and keeps it only if some settings dictionary is left, decided exactly. Every
 * other setting (resizeMode, deviceId, groupId, facingMode, extras) is fixed in the region.
 */
import type { VideoMode } from '../../media/modes.js';
import type { CandidateRegion, RegionChoice } from './candidate-region.js';
import {
  type Applies,
  type BareValues,
  type SettingsDictionary,
  constraintFitnessDistance,
  isRequired,
  numericDistance,
} from './fitness-distance.js';
import type { NormalizedConstraintSet, NumericConstraint } from './normalize.js';
import { roundAspectRatio } from './properties.js';
import { bestSize } from './best-size.js';
import { type SizeBox, isNonEmpty } from './size-box.js';

/** The smallest frame rate a candidate may have: any positive value (Chromium uses the same bound). */
const MIN_FRAME_RATE = Number.MIN_VALUE;

/** The crop-and-scale region of one native video mode. */
export class CropAndScaleRegion implements CandidateRegion {
  readonly mode: VideoMode;
  readonly applies: Applies;
  /** The settings that do not vary in this region: resizeMode, deviceId, groupId, facingMode, extras. */
  readonly #fixed: SettingsDictionary;
  readonly #box: SizeBox;

  /** The whole region of `mode`; `fixed` holds every setting other than width, height, aspectRatio and frameRate. */
  static of(mode: VideoMode, fixed: SettingsDictionary, applies: Applies): CropAndScaleRegion | undefined {
    const box: SizeBox = {
      wLo: 1,
      wHi: Math.floor(mode.width),
      hLo: 1,
      hHi: Math.floor(mode.height),
      fLo: MIN_FRAME_RATE,
      fHi: mode.frameRate,
      aLo: -Infinity,
      aHi: Infinity,
    };
    return isNonEmpty(box) ? new CropAndScaleRegion(mode, fixed, applies, box) : undefined;
  }

  private constructor(mode: VideoMode, fixed: SettingsDictionary, applies: Applies, box: SizeBox) {
    this.mode = mode;
    this.#fixed = fixed;
    this.applies = applies;
    this.#box = box;
  }

  narrow(set: NormalizedConstraintSet, bareValues: BareValues): CandidateRegion | undefined {
    let { wLo, wHi, hLo, hHi, fLo, fHi, aLo, aHi } = this.#box;
    for (const c of set) {
      const variable = c.name === 'width' || c.name === 'height' || c.name === 'frameRate' || c.name === 'aspectRatio';
      if (!variable) {
        if (constraintFitnessDistance(this.#fixed[c.name], c, bareValues, this.applies) === Infinity) return undefined;
        continue;
      }
      if (!isRequired(c, bareValues)) continue;
      if (c.type !== 'numeric') return undefined; // a list of strings can never match a number
      const [lo, hi] = requiredInterval(c, bareValues);
      if (c.name === 'width') [wLo, wHi] = [Math.max(wLo, Math.ceil(lo)), Math.min(wHi, Math.floor(hi))];
      else if (c.name === 'height') [hLo, hHi] = [Math.max(hLo, Math.ceil(lo)), Math.min(hHi, Math.floor(hi))];
      else if (c.name === 'frameRate') [fLo, fHi] = [Math.max(fLo, lo), Math.min(fHi, hi)];
      else [aLo, aHi] = [Math.max(aLo, lo), Math.min(aHi, hi)];
    }
    const box = { wLo, wHi, hLo, hHi, fLo, fHi, aLo, aHi };
    return isNonEmpty(box) ? new CropAndScaleRegion(this.mode, this.#fixed, this.applies, box) : undefined;
  }

  best(basic: NormalizedConstraintSet): RegionChoice {
    const ideal = idealsOf(basic);
    const box = this.#box;
    const frameRate = bestFrameRate(box, ideal.frameRate);
    const size = bestSize(box, ideal, this.mode);
    const settings: SettingsDictionary = Object.assign(
      { width: size.width, height: size.height, aspectRatio: roundAspectRatio(size.width / size.height), frameRate },
      this.#fixed,
    );
    // Ties: native modes (tie[0] = 0) first; then keep the native aspect ratio, then stay close
    // to the native size and frame rate (the least scaling and frame dropping).
    return {
      settings,
      mode: this.mode,
      tie: [1, size.aspectTie, size.sizeTie + numericDistance(frameRate, this.mode.frameRate)],
    };
  }
}

/** The interval of values a required numeric constraint allows. */
function requiredInterval(c: NumericConstraint, bareValues: BareValues): [number, number] {
  let lo = -Infinity;
  let hi = Infinity;
  if (c.min !== undefined) lo = Math.max(lo, c.min);
  if (c.max !== undefined) hi = Math.min(hi, c.max);
  for (const v of [c.exact, bareValues === 'exact' ? c.bare : undefined]) {
    if (v === undefined) continue;
    lo = Math.max(lo, v);
    hi = Math.min(hi, v);
  }
  return [lo, hi];
}

/** The ideal values of the basic set (bare values read as ideal) for the properties that vary here. */
interface Ideals {
  width?: number;
  height?: number;
  aspectRatio?: number;
  frameRate?: number;
}

function idealsOf(basic: NormalizedConstraintSet): Ideals {
  const ideals: Ideals = {};
  for (const c of basic) {
    if (c.type !== 'numeric') continue;
    if (c.name !== 'width' && c.name !== 'height' && c.name !== 'aspectRatio' && c.name !== 'frameRate') continue;
    const ideal = c.ideal ?? c.bare;
    if (ideal !== undefined) ideals[c.name] = ideal;
  }
  return ideals;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * The frame rate: the ideal clamped into the box (the distance grows away from the ideal on
 * either side), or, without an ideal, the highest allowed (no needless frame dropping). The box
 * ends are also tried, for ideals at or below zero where the distance is not unimodal.
 */
function bestFrameRate(box: SizeBox, ideal: number | undefined): number {
  if (ideal === undefined) return box.fHi;
  let best = box.fHi;
  for (const f of [clamp(ideal, box.fLo, box.fHi), box.fLo]) {
    if (numericDistance(f, ideal) < numericDistance(best, ideal)) best = f;
  }
  return best;
}

