/**
 * The geometry of a crop-and-scale region: a box of whole-pixel widths and heights, frame rates,
 * and (rounded) aspect ratios, which couple width and height. Emptiness is decided exactly, by
 * looking for a whole-pixel size that meets the aspect interval.
 */
import { roundAspectRatio } from './properties.js';

/** Closed intervals; width and height bounds are whole numbers, aspect bounds compare with the rounded aspect ratio. */
export interface SizeBox {
  readonly wLo: number;
  readonly wHi: number;
  readonly hLo: number;
  readonly hHi: number;
  readonly fLo: number;
  readonly fHi: number;
  readonly aLo: number;
  readonly aHi: number;
}

/** Whether some settings dictionary lies in the box: every interval non-empty and some whole-pixel size with an allowed aspect ratio. */
export function isNonEmpty(box: SizeBox): boolean {
  if (!(box.wLo <= box.wHi && box.hLo <= box.hHi && box.fLo <= box.fHi && box.aLo <= box.aHi)) return false;
  if (!hasAspectBounds(box)) return true;
  const [start, end] = heightScanRange(box);
  for (let h = start; h <= end; h++) if (widthWindow(box, h) !== undefined) return true;
  return false;
}

/** Whether the aspect interval restricts anything. */
export function hasAspectBounds(box: SizeBox): boolean {
  return box.aLo > -Infinity || box.aHi < Infinity;
}

/**
 * The heights worth trying: outside this range no width in the box meets the aspect interval.
 * The margins are far wider than the rounding of the aspect ratio (5e-11), so no height is lost.
 */
export function heightScanRange(box: SizeBox): [number, number] {
  let start = box.hLo;
  let end = box.hHi;
  if (box.aHi < Infinity && box.aHi > 0) start = Math.max(start, Math.floor(box.wLo / (box.aHi * (1 + 1e-9) + 1e-9)));
  const lowest = box.aLo * (1 - 1e-9) - 1e-9;
  if (lowest > 0) end = Math.min(end, Math.ceil(box.wHi / lowest));
  return [start, end];
}

/**
 * The widths w in the box for which the rounded aspect ratio w/h lies within the aspect
 * interval, as [first, last], or undefined. Rounding is monotonic, so they are contiguous; the
 * loops run a step or two, since one pixel moves w/h by far more than the rounding.
 */
export function widthWindow(box: SizeBox, h: number): [number, number] | undefined {
  let lo = box.wLo;
  let hi = box.wHi;
  if (box.aLo > -Infinity) {
    let w = Math.max(lo, Math.ceil(box.aLo * h) - 2);
    while (w <= hi && roundAspectRatio(w / h) < box.aLo) w++;
    lo = w;
  }
  if (box.aHi < Infinity) {
    let w = Math.min(hi, Math.floor(box.aHi * h) + 2);
    while (w >= lo && roundAspectRatio(w / h) > box.aHi) w--;
    hi = w;
  }
  return lo <= hi ? [lo, hi] : undefined;
}
