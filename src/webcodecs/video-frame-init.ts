/**
 * The validation algorithms of the `VideoFrame` dictionaries (WebCodecs § 9.4.6) that read only
 * them: "Validate VideoFrameInit", "valid VideoFrameBufferInit", "Parse Rotation", "Add Rotations",
 * "Copy VideoFrame metadata". The dictionaries' types and converters are in src/webidl/webcodecs.ts.
 */
import type { Rect } from '../webidl/geometry.js';
import type {
  ConvertedVideoFrameBufferInit,
  ConvertedVideoFrameInit,
  VideoFrameMetadata,
  VideoPixelFormat,
} from '../webidl/webcodecs.js';
import { verifyRectOffsetAlignment } from './layout.js';

export type {
  AlphaOption,
  PredefinedColorSpace,
  VideoFrameBufferInit,
  VideoFrameCopyToOptions,
  VideoFrameInit,
  VideoFrameMetadata,
} from '../webidl/webcodecs.js';

function isNonNegativeFinite(rect: Rect): boolean {
  return [rect.x, rect.y, rect.width, rect.height].every((n) => Number.isFinite(n) && n >= 0);
}

/** The display-size rules both validations share (steps "only one of displayWidth/displayHeight", "= 0"). */
function checkDisplaySize(init: { displayWidth?: number | undefined; displayHeight?: number | undefined }): void {
  if ((init.displayWidth === undefined) !== (init.displayHeight === undefined)) {
    throw new TypeError('VideoFrame: displayWidth and displayHeight must be given together.');
  }
  if (init.displayWidth === 0 || init.displayHeight === 0) throw new TypeError('VideoFrame: displayWidth and displayHeight must not be 0.');
}

/** "To check if a VideoFrameBufferInit is a valid VideoFrameBufferInit"; throws the constructor's TypeError. */
export function checkValidVideoFrameBufferInit(init: ConvertedVideoFrameBufferInit): void {
  // 1. If codedWidth = 0 or codedHeight = 0, return false.
  if (init.codedWidth === 0 || init.codedHeight === 0) throw new TypeError('VideoFrame: codedWidth and codedHeight must not be 0.');
  const r = init.visibleRect;
  if (r !== undefined) {
    // 2. If any attribute of visibleRect is negative or not finite, return false.
    if (!isNonNegativeFinite(r)) throw new TypeError('VideoFrame: visibleRect has a negative or non-finite member.');
    // 3. If visibleRect.y + visibleRect.height > codedHeight, return false.
    if (r.y + r.height > init.codedHeight) throw new TypeError(`VideoFrame: visibleRect extends below the coded height ${init.codedHeight}.`);
    // 4. If visibleRect.x + visibleRect.width > codedWidth, return false.
    if (r.x + r.width > init.codedWidth) throw new TypeError(`VideoFrame: visibleRect extends past the coded width ${init.codedWidth}.`);
  }
  // 5.-6.
  checkDisplaySize(init);
}

/** Validate VideoFrameInit (with format, codedWidth, and codedHeight); throws the TypeError the caller would. */
export function validateVideoFrameInit(init: ConvertedVideoFrameInit, format: VideoPixelFormat | null, codedWidth: number, codedHeight: number): void {
  const r = init.visibleRect;
  // 1. If visibleRect exists:
  if (r !== undefined) {
    // 1.1.-1.2. Verify Rect Offset Alignment.
    if (!verifyRectOffsetAlignment(format, r)) throw new TypeError(`VideoFrame: visibleRect offset (${r.x}, ${r.y}) is not aligned to the sub-sampling of ${format}.`);
    // 1.3. If any attribute of visibleRect is negative or not finite, return false.
    if (!isNonNegativeFinite(r)) throw new TypeError('VideoFrame: visibleRect has a negative or non-finite member.');
    // 1.4. If visibleRect.width == 0 or visibleRect.height == 0 return false.
    if (r.width === 0 || r.height === 0) throw new TypeError('VideoFrame: visibleRect has a zero width or height.');
    // 1.5. If visibleRect.y + visibleRect.height > codedHeight, return false.
    if (r.y + r.height > codedHeight) throw new TypeError(`VideoFrame: visibleRect extends below the coded height ${codedHeight}.`);
    // 1.6. If visibleRect.x + visibleRect.width > codedWidth, return false.
    if (r.x + r.width > codedWidth) throw new TypeError(`VideoFrame: visibleRect extends past the coded width ${codedWidth}.`);
  }
  // 2. If codedWidth = 0 or codedHeight = 0, return false.
  if (codedWidth === 0 || codedHeight === 0) throw new TypeError('VideoFrame: the source has a zero coded size.');
  // 3.-4.
  checkDisplaySize(init);
}

/** Parse Rotation (with rotation). */
export function parseRotation(rotation: number): number {
  // 1. alignedRotation: the nearest multiple of 90, ties towards positive infinity.
  const alignedRotation = Math.floor(rotation / 90 + 0.5) * 90;
  // 2. fullTurns: the greatest multiple of 360 less than or equal to alignedRotation.
  const fullTurns = Math.floor(alignedRotation / 360) * 360;
  // 3. Return alignedRotation - fullTurns.
  return alignedRotation - fullTurns;
}

/** Add Rotations (with baseRotation, baseFlip, and rotation). */
export function addRotations(baseRotation: number, baseFlip: boolean, rotation: number): number {
  // 1. combinedRotation is base + rotation, or base - rotation when flipped.
  const combinedRotation = baseFlip ? baseRotation - rotation : baseRotation + rotation;
  // 2.-3.
  const fullTurns = Math.floor(combinedRotation / 360) * 360;
  return combinedRotation - fullTurns;
}

/** Copy VideoFrame metadata (with metadata): StructuredSerialize then StructuredDeserialize. */
export function copyVideoFrameMetadata(metadata: VideoFrameMetadata | undefined): VideoFrameMetadata {
  return metadata === undefined ? {} : structuredClone(metadata);
}
