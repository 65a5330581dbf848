/**
 * Plane layouts and rectangles of `VideoFrame` (WebCodecs § 9.4.4, § 9.4.6 "Parse Visible Rect",
 * "Verify Rect Offset Alignment", "Compute Layout and Allocation Size", § 9.7 "Plane Layout";
 * https://w3c.github.io/webcodecs/#videoframe-algorithms). Pure functions.
 */
import type { Rect } from '../webidl/geometry.js';
import type { PlaneLayout } from '../webidl/webcodecs.js';
import { pixelFormat, type VideoPixelFormat } from './video-pixel-format.js';

/** `dictionary PlaneLayout` (its converter is in src/webidl/webcodecs.ts). */
export type { PlaneLayout };

const MAX_UNSIGNED_LONG = 0xffff_ffff;

/** A computed plane layout (§ 9.4.4). */
export interface ComputedPlaneLayout {
  destinationOffset: number;
  destinationStride: number;
  sourceTop: number;
  sourceHeight: number;
  sourceLeftBytes: number;
  sourceWidthBytes: number;
}

/** A combined buffer layout (§ 9.4.4). */
export interface CombinedBufferLayout {
  allocationSize: number;
  computedLayouts: ComputedPlaneLayout[];
}

/** True when every number of the rectangle is finite and not negative. */
function isNonNegativeFinite(rect: Rect): boolean {
  return [rect.x, rect.y, rect.width, rect.height].every((n) => Number.isFinite(n) && n >= 0);
}

/** Verify Rect Offset Alignment (with format and rect). */
export function verifyRectOffsetAlignment(format: VideoPixelFormat | null, rect: Rect): boolean {
  // 1. If format is null, return true.
  if (format === null) return true;
  // 2.-4. For each plane: rect.x a multiple of sampleWidth, rect.y a multiple of sampleHeight.
  for (const plane of pixelFormat(format).planes) {
    if (rect.x % plane.sampleWidth !== 0) return false;
    if (rect.y % plane.sampleHeight !== 0) return false;
  }
  // 5. Return true.
  return true;
}

/** Parse Visible Rect (with defaultRect, overrideRect, codedWidth, codedHeight, and format); throws the TypeError it would return. */
export function parseVisibleRect(
  defaultRect: Rect,
  overrideRect: Rect | undefined,
  codedWidth: number,
  codedHeight: number,
  format: VideoPixelFormat | null,
  what = 'rect',
): Rect {
  // 1. Let sourceRect be defaultRect.
  let sourceRect = defaultRect;
  // 2. If overrideRect is not undefined:
  if (overrideRect !== undefined) {
    // 2.1. If any attribute of overrideRect is negative or not finite, return a TypeError.
    if (!isNonNegativeFinite(overrideRect)) throw new TypeError(`${what} has a negative or non-finite member.`);
    // 2.2. If either of overrideRect.width or height is 0, return a TypeError.
    if (overrideRect.width === 0 || overrideRect.height === 0) throw new TypeError(`${what} has a zero width or height.`);
    // 2.3. If the sum of overrideRect.x and overrideRect.width is greater than codedWidth, return a TypeError.
    if (overrideRect.x + overrideRect.width > codedWidth) {
      throw new TypeError(`${what} (x ${overrideRect.x} + width ${overrideRect.width}) extends past the coded width ${codedWidth}.`);
    }
    // 2.4. If the sum of overrideRect.y and overrideRect.height is greater than codedHeight, return a TypeError.
    if (overrideRect.y + overrideRect.height > codedHeight) {
      throw new TypeError(`${what} (y ${overrideRect.y} + height ${overrideRect.height}) extends past the coded height ${codedHeight}.`);
    }
    // 2.5. Assign overrideRect to sourceRect.
    sourceRect = overrideRect;
  }
  // 3.-4. Verify Rect Offset Alignment; if false, throw a TypeError.
  if (!verifyRectOffsetAlignment(format, sourceRect)) {
    throw new TypeError(`${what} offset (${sourceRect.x}, ${sourceRect.y}) is not aligned to the sub-sampling of ${format}; use even coordinates.`);
  }
  // 5. Return sourceRect.
  return sourceRect;
}

/**
 * Compute Layout and Allocation Size (with parsedRect, format, and layout); throws the TypeError it
 * would return.
 *
 * One deliberate difference: sourceWidthBytes is the rect's width divided by sampleWidth *rounded
 * up*, as sourceHeight is, and as the pixel format sections define a chroma row ("the division of
 * codedWidth by 2, rounded up"). The excerpt's integer division would drop the last chroma column
 * of an odd-width I420 frame. Chromium rounds up too. For even widths the two agree.
 */
export function computeLayoutAndAllocationSize(
  parsedRect: Rect,
  format: VideoPixelFormat,
  layout: readonly PlaneLayout[] | undefined,
): CombinedBufferLayout {
  const planes = pixelFormat(format).planes;
  // 1. Let numPlanes be the number of planes as defined by format.
  const numPlanes = planes.length;
  // 2. If layout is not undefined and its length does not equal numPlanes, throw a TypeError.
  if (layout !== undefined && layout.length !== numPlanes) {
    throw new TypeError(`layout has ${layout.length} plane(s) but ${format} has ${numPlanes}.`);
  }
  // 3.-6.
  let minAllocationSize = 0;
  const computedLayouts: ComputedPlaneLayout[] = [];
  const endOffsets: number[] = [];
  const x = Math.trunc(parsedRect.x);
  const y = Math.trunc(parsedRect.y);
  const width = Math.trunc(parsedRect.width);
  const height = Math.trunc(parsedRect.height);
  // 7. While planeIndex < numPlanes:
  for (let planeIndex = 0; planeIndex < numPlanes; planeIndex++) {
    // 7.1.-7.4.
    const { sampleBytes, sampleWidth, sampleHeight } = planes[planeIndex]!;
    // 7.5.-7.9.
    const computedLayout: ComputedPlaneLayout = {
      destinationOffset: 0,
      destinationStride: 0,
      sourceTop: Math.ceil(y / sampleHeight),
      sourceHeight: Math.ceil(height / sampleHeight),
      sourceLeftBytes: Math.floor(x / sampleWidth) * sampleBytes,
      sourceWidthBytes: Math.ceil(width / sampleWidth) * sampleBytes,
    };
    // 7.10. If layout is not undefined:
    if (layout !== undefined) {
      const planeLayout = layout[planeIndex]!;
      // 7.10.2. If planeLayout.stride is less than computedLayout's sourceWidthBytes, return a TypeError.
      if (planeLayout.stride < computedLayout.sourceWidthBytes) {
        throw new TypeError(`layout[${planeIndex}].stride ${planeLayout.stride} is less than the ${computedLayout.sourceWidthBytes} bytes of one row of plane ${planeIndex}.`);
      }
      // 7.10.3.-7.10.4.
      computedLayout.destinationOffset = planeLayout.offset;
      computedLayout.destinationStride = planeLayout.stride;
    } else {
      // 7.11. Default to tight packing.
      computedLayout.destinationOffset = minAllocationSize;
      computedLayout.destinationStride = computedLayout.sourceWidthBytes;
    }
    // 7.12.-7.13.
    const planeSize = computedLayout.destinationStride * computedLayout.sourceHeight;
    const planeEnd = planeSize + computedLayout.destinationOffset;
    // 7.14. If planeSize or planeEnd is greater than maximum range of unsigned long, return a TypeError.
    if (planeSize > MAX_UNSIGNED_LONG || planeEnd > MAX_UNSIGNED_LONG) {
      throw new TypeError(`plane ${planeIndex} would end at byte ${planeEnd}, past the 4 GiB an unsigned long can address.`);
    }
    // 7.15.-7.16.
    endOffsets.push(planeEnd);
    minAllocationSize = Math.max(minAllocationSize, planeEnd);
    // 7.17.-7.18. Planes must not overlap.
    for (let earlierPlaneIndex = 0; earlierPlaneIndex < planeIndex; earlierPlaneIndex++) {
      const earlierLayout = computedLayouts[earlierPlaneIndex]!;
      if (planeEnd <= earlierLayout.destinationOffset || endOffsets[earlierPlaneIndex]! <= computedLayout.destinationOffset) continue;
      throw new TypeError(`layout of plane ${planeIndex} overlaps plane ${earlierPlaneIndex}.`);
    }
    // 7.19.
    computedLayouts.push(computedLayout);
  }
  // 8.-9.
  return { allocationSize: minAllocationSize, computedLayouts };
}

/**
 * Copies the planes a combined layout describes, row by row, from a resource (planes at
 * `sourceLayouts`) to `destination` (copyTo() step 10.4). Returns the destination `PlaneLayout`s.
 */
export function copyPlanes(
  source: Uint8Array,
  sourceLayouts: readonly PlaneLayout[],
  destination: Uint8Array,
  combined: CombinedBufferLayout,
): PlaneLayout[] {
  const planeLayouts: PlaneLayout[] = [];
  combined.computedLayouts.forEach((computed, planeIndex) => {
    // 10.4.1.-10.4.7.
    const sourceStride = sourceLayouts[planeIndex]!.stride;
    let sourceOffset = sourceLayouts[planeIndex]!.offset + computed.sourceTop * sourceStride + computed.sourceLeftBytes;
    let destinationOffset = computed.destinationOffset;
    const rowBytes = computed.sourceWidthBytes;
    planeLayouts.push({ offset: destinationOffset, stride: computed.destinationStride });
    // 10.4.9. Copy rowBytes bytes per row.
    if (sourceStride === rowBytes && computed.destinationStride === rowBytes) {
      destination.set(source.subarray(sourceOffset, sourceOffset + rowBytes * computed.sourceHeight), destinationOffset);
      return;
    }
    for (let row = 0; row < computed.sourceHeight; row++) {
      destination.set(source.subarray(sourceOffset, sourceOffset + rowBytes), destinationOffset);
      sourceOffset += sourceStride;
      destinationOffset += computed.destinationStride;
    }
  });
  return planeLayouts;
}
