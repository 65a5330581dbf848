/**
 * The width and height SelectSettings step 6 picks inside a crop-and-scale region: the smallest
 * sum of the width, height and aspectRatio ideal terms of the fitness distance (step 7), then the
 * UA's tie-break (keep the native aspect ratio, then the size closest to native).
 */
import type { VideoMode } from '../../media/modes.js';
import { numericDistance } from './fitness-distance.js';
import { roundAspectRatio } from './properties.js';
import { type SizeBox, hasAspectBounds, heightScanRange, widthWindow } from './size-box.js';

/** The ideal values of the basic set (bare values read as ideal) for width, height and aspectRatio. */
export interface SizeIdeals {
  readonly width?: number;
  readonly height?: number;
  readonly aspectRatio?: number;
}

/** The chosen size, with its tie-break values (smaller is better). */
export interface SizeChoice {
  readonly width: number;
  readonly height: number;
  /** Distance of the aspect ratio from the native one. */
  readonly aspectTie: number;
  /** Distance of width and height from the native ones. */
  readonly sizeTie: number;
}

/** Sums compared with these slacks: the aspect ratio's rounding moves a term by ~1e-10 at most. */
const BOUND_SLACK = 1e-9;
const EQUAL_SLACK = 1e-12;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const term = (actual: number, ideal: number | undefined) => (ideal === undefined ? 0 : numericDistance(actual, ideal));

/**
 * The best size in a non-empty box.
 *
 * Each ideal term, as a function of the width at a fixed height, is linear below its ideal and
 * concave above it (1 - ideal/x). Between two ideals their sum is concave, so its minimum is at
 * an end: the best whole width is the floor or ceiling of one of the ideals, clamped into the
 * allowed widths. Without an aspect constraint or ideal, width and height are independent.
 * Otherwise heights are tried one by one, from where the lower bound of the sum is smallest,
 * outward, stopping once that bound exceeds the best sum found.
 */
export function bestSize(box: SizeBox, ideal: SizeIdeals, mode: VideoMode): SizeChoice {
  const search = new SizeSearch(ideal, mode);
  if (!hasAspectBounds(box) && ideal.aspectRatio === undefined) {
    independentSizes(box, ideal, mode, search);
    return search.best;
  }
  const [start, end] = heightScanRange(box);
  const tryHeight = (h: number) => {
    const window = widthWindow(box, h);
    if (window === undefined) return;
    const [lo, hi] = window;
    search.consider(lo, h);
    search.consider(hi, h);
    if (ideal.width !== undefined) for (const w of nearestWholes(ideal.width, lo, hi)) search.consider(w, h);
    if (ideal.aspectRatio !== undefined) for (const w of nearestWholes(ideal.aspectRatio * h, lo, hi)) search.consider(w, h);
    for (const w of nearestWholes(search.nativeAspect * h, lo, hi)) search.consider(w, h);
  };
  const positive = (x: number | undefined) => x === undefined || x > 0;
  if (!positive(ideal.width) || !positive(ideal.height) || !positive(ideal.aspectRatio)) {
    // The bounds below assume positive ideals; without them, try every height.
    for (let h = end; h >= start; h--) tryHeight(h);
    return search.best;
  }
  const centre = boundCentre(box, ideal);
  if (centre === undefined) {
    // Only the aspect ratio has an ideal (or nothing does): no height is better a priori. Try
    // the tallest first (closest to native) and stop at the least possible sum.
    const least = term(clamp(ideal.aspectRatio ?? 0, Math.max(box.aLo, box.wLo / box.hHi), Math.min(box.aHi, box.wHi / box.hLo)), ideal.aspectRatio);
    for (let h = end; h >= start && !(search.primary <= least + EQUAL_SLACK); h--) tryHeight(h);
    return search.best;
  }
  const lowerBound = (h: number) => heightLowerBound(h, box, ideal);
  const first = clamp(Math.floor(centre[0]), start, end);
  const last = clamp(Math.ceil(centre[1]), start, end);
  for (let h = first; h <= last; h++) tryHeight(h);
  for (let h = first - 1; h >= start && !(lowerBound(h) > search.primary + BOUND_SLACK); h--) tryHeight(h);
  for (let h = last + 1; h <= end && !(lowerBound(h) > search.primary + BOUND_SLACK); h++) tryHeight(h);
  return search.best;
}

/** Keeps the best (width, height) seen: smallest sum of ideal terms, then the tie-breaks. */
class SizeSearch {
  readonly nativeAspect: number;
  best: SizeChoice = { width: 0, height: 0, aspectTie: Infinity, sizeTie: Infinity };
  primary = Infinity;

  constructor(
    private readonly ideal: SizeIdeals,
    private readonly mode: VideoMode,
  ) {
    this.nativeAspect = roundAspectRatio(mode.width / mode.height);
  }

  consider(w: number, h: number): void {
    const aspect = roundAspectRatio(w / h);
    const primary = term(w, this.ideal.width) + term(h, this.ideal.height) + term(aspect, this.ideal.aspectRatio);
    if (primary > this.primary) return;
    const aspectTie = numericDistance(aspect, this.nativeAspect);
    const sizeTie = numericDistance(w, this.mode.width) + numericDistance(h, this.mode.height);
    const best = this.best;
    if (primary < this.primary || aspectTie < best.aspectTie || (aspectTie === best.aspectTie && sizeTie < best.sizeTie)) {
      this.primary = primary;
      this.best = { width: w, height: h, aspectTie, sizeTie };
    }
  }
}

/** Width and height when nothing couples them: each at its ideal, or the largest native-shaped size. */
function independentSizes(box: SizeBox, ideal: SizeIdeals, mode: VideoMode, search: SizeSearch): void {
  const widths = ideal.width !== undefined ? nearestWholes(ideal.width, box.wLo, box.wHi) : undefined;
  const heights = ideal.height !== undefined ? nearestWholes(ideal.height, box.hLo, box.hHi) : undefined;
  const aspect = search.nativeAspect;
  if (widths && heights) {
    for (const w of widths) for (const h of heights) search.consider(w, h);
  } else if (widths) {
    for (const w of widths) for (const h of [...nearestWholes(w / aspect, box.hLo, box.hHi), box.hLo, box.hHi]) search.consider(w, h);
  } else if (heights) {
    for (const h of heights) for (const w of [...nearestWholes(h * aspect, box.wLo, box.wHi), box.wLo, box.wHi]) search.consider(w, h);
  } else {
    const scale = Math.min(1, box.wHi / mode.width, box.hHi / mode.height);
    for (const w of nearestWholes(mode.width * scale, box.wLo, box.wHi)) {
      for (const h of nearestWholes(mode.height * scale, box.hLo, box.hHi)) search.consider(w, h);
    }
    search.consider(box.wHi, box.hHi);
  }
}

/**
 * The heights around which {@link heightLowerBound} is smallest, as [from, to], or undefined
 * when the bound is flat (no width or height ideal). Away from this range the bound only grows.
 */
function boundCentre(box: SizeBox, ideal: SizeIdeals): [number, number] | undefined {
  const ranges: [number, number][] = [];
  if (ideal.height !== undefined) ranges.push([ideal.height, ideal.height]);
  if (ideal.width !== undefined && ideal.aspectRatio !== undefined) {
    const h = ideal.width / ideal.aspectRatio;
    ranges.push([h, h]);
  } else if (ideal.width !== undefined && hasAspectBounds(box)) {
    ranges.push([box.aHi > 0 ? ideal.width / box.aHi : 0, box.aLo > 0 ? ideal.width / box.aLo : Infinity]);
  }
  if (ranges.length === 0) return undefined;
  return [Math.min(...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1]))];
}

/**
 * A lower bound of the sum of ideal terms over all sizes of height h. With d(x, i) the fitness
 * distance term, d(x, i) = 1 - 1/ρ where ρ = max(x/i, i/x), and ρ is submultiplicative; since
 * h / (width ideal / aspect ideal) = (w / width ideal) / ((w/h) / aspect ideal), the width and
 * aspect terms together are at least d(h, width ideal / aspect ideal). With only an aspect
 * interval, the width term is at least the distance from its ideal to the widths the interval
 * allows at this height.
 */
function heightLowerBound(h: number, box: SizeBox, ideal: SizeIdeals): number {
  let bound = term(h, ideal.height);
  if (ideal.width === undefined) return bound;
  if (ideal.aspectRatio !== undefined) return bound + numericDistance(h, ideal.width / ideal.aspectRatio);
  const narrowest = box.aLo * h * (1 - BOUND_SLACK);
  const widest = box.aHi * h * (1 + BOUND_SLACK);
  if (ideal.width < narrowest) bound += numericDistance(narrowest, ideal.width);
  else if (ideal.width > widest) bound += numericDistance(widest, ideal.width);
  return bound;
}

/** The whole numbers in [lo, hi] nearest to x: its floor and ceiling, clamped. */
function nearestWholes(x: number, lo: number, hi: number): number[] {
  const down = clamp(Math.floor(x), lo, hi);
  const up = clamp(Math.ceil(x), lo, hi);
  return down === up ? [down] : [down, up];
}
