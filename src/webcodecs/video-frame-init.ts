/**
 * The `VideoFrame` dictionaries (WebCodecs § 9.4, § 9.5): their WebIDL conversion and the
 * validation algorithms of § 9.4.6 that read only them ("Validate VideoFrameInit", "valid
 * VideoFrameBufferInit", "Parse Rotation", "Add Rotations", "Copy VideoFrame metadata").
 */
import { dictionaryObject, toBoolean, toDouble, toEnforcedInteger, toEnum, toSequence, typeError } from '../webidl/converters.js';
import { toTransferList } from './buffers.js';
import { toPlaneLayout, verifyRectOffsetAlignment, type PlaneLayout } from './layout.js';
import { toDOMRectInit, type DOMRectInit, type Rect } from './rect.js';
import { toVideoColorSpaceInit, type ColorSpaceSlots, type VideoColorSpaceInit } from './video-color-space.js';
import { VIDEO_PIXEL_FORMATS, type VideoPixelFormat } from './video-pixel-format.js';

const MAX_UNSIGNED_LONG = 0xffff_ffff;
const enforceUnsignedLong = (v: unknown, c: string) => toEnforcedInteger(v, c, 0, MAX_UNSIGNED_LONG);
const enforceLongLong = (v: unknown, c: string) => toEnforcedInteger(v, c, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
const enforceUnsignedLongLong = (v: unknown, c: string) => toEnforcedInteger(v, c, 0, Number.MAX_SAFE_INTEGER);

/**
 * `long long` / `unsigned long long` without [EnforceRange] (WebIDL ConvertToInt, 64 bits): NaN and
 * infinities are 0, otherwise truncate and wrap modulo 2^64. The wrap is done in BigInt, since
 * 2^64 + x cannot be represented in a double for small x.
 */
function toInt64(value: unknown, context: string, signed: boolean): number {
  if (typeof value === 'symbol' || typeof value === 'bigint') throw typeError(context, 'is not a number.');
  const x = Number(value);
  if (!Number.isFinite(x)) return 0;
  const wrapped = BigInt.asUintN(64, BigInt(Math.trunc(x)));
  return Number(signed ? BigInt.asIntN(64, wrapped) : wrapped);
}
const toLongLong = (v: unknown, c: string) => toInt64(v, c, true);
const toUnsignedLongLong = (v: unknown, c: string) => toInt64(v, c, false);

/**
 * `dictionary VideoFrameMetadata`: members are listed in the VideoFrame Metadata Registry (and
 * extended by mediacapture-extensions: captureTime, receiveTime, rtpTimestamp, segments,
 * backgroundBlur, …). All of them are serializable.
 */
export type VideoFrameMetadata = Record<string, unknown>;

export type AlphaOption = 'keep' | 'discard';
export type PredefinedColorSpace = 'srgb' | 'display-p3';

/** `dictionary VideoFrameBufferInit`. */
export interface VideoFrameBufferInit {
  format: VideoPixelFormat;
  codedWidth: number;
  codedHeight: number;
  timestamp: number;
  duration?: number;
  layout?: PlaneLayout[];
  visibleRect?: DOMRectInit;
  rotation?: number;
  flip?: boolean;
  displayWidth?: number;
  displayHeight?: number;
  colorSpace?: VideoColorSpaceInit;
  transfer?: ArrayBuffer[];
  metadata?: VideoFrameMetadata;
}

/** `dictionary VideoFrameInit`. */
export interface VideoFrameInit {
  duration?: number;
  timestamp?: number;
  alpha?: AlphaOption;
  visibleRect?: DOMRectInit;
  rotation?: number;
  flip?: boolean;
  displayWidth?: number;
  displayHeight?: number;
  metadata?: VideoFrameMetadata;
}

/** `dictionary VideoFrameCopyToOptions`. */
export interface VideoFrameCopyToOptions {
  rect?: DOMRectInit;
  layout?: PlaneLayout[];
  format?: VideoPixelFormat;
  colorSpace?: PredefinedColorSpace;
}

/** A converted VideoFrameBufferInit (absent optional members are undefined). */
export interface ConvertedBufferInit {
  codedHeight: number;
  codedWidth: number;
  colorSpace: ColorSpaceSlots | undefined;
  displayHeight: number | undefined;
  displayWidth: number | undefined;
  duration: number | undefined;
  flip: boolean;
  format: VideoPixelFormat;
  layout: PlaneLayout[] | undefined;
  metadata: VideoFrameMetadata | undefined;
  rotation: number;
  timestamp: number;
  transfer: ArrayBuffer[];
  visibleRect: Rect | undefined;
}

/** A converted VideoFrameInit. */
export interface ConvertedFrameInit {
  alpha: AlphaOption;
  displayHeight: number | undefined;
  displayWidth: number | undefined;
  duration: number | undefined;
  flip: boolean;
  metadata: VideoFrameMetadata | undefined;
  rotation: number;
  timestamp: number | undefined;
  visibleRect: Rect | undefined;
}

/** A converted VideoFrameCopyToOptions. */
export interface ConvertedCopyToOptions {
  colorSpace: PredefinedColorSpace | undefined;
  format: VideoPixelFormat | undefined;
  layout: PlaneLayout[] | undefined;
  rect: Rect | undefined;
}

function optional<T>(dict: Record<string, unknown> | undefined, member: string, context: string, convert: (v: unknown, c: string) => T): T | undefined {
  const value = dict?.[member];
  return value === undefined ? undefined : convert(value, `${context}.${member}`);
}

function required<T>(dict: Record<string, unknown> | undefined, member: string, context: string, convert: (v: unknown, c: string) => T): T {
  const value = dict?.[member];
  if (value === undefined) throw typeError(`${context}.${member}`, 'is required.');
  return convert(value, `${context}.${member}`);
}

function toVideoFrameMetadata(value: unknown, context: string): VideoFrameMetadata | undefined {
  const dict = dictionaryObject(value, context);
  return dict === undefined ? undefined : { ...dict };
}

const toPixelFormat = (v: unknown, c: string) => toEnum(v, VIDEO_PIXEL_FORMATS, c, 'VideoPixelFormat');
const toLayout = (v: unknown, c: string) => toSequence(v, c, toPlaneLayout);

/** VideoFrameBufferInit, members in WebIDL (lexicographic) order. */
export function toVideoFrameBufferInit(value: unknown, context: string): ConvertedBufferInit {
  const d = dictionaryObject(value, context);
  const codedHeight = required(d, 'codedHeight', context, enforceUnsignedLong);
  const codedWidth = required(d, 'codedWidth', context, enforceUnsignedLong);
  const colorSpace = optional(d, 'colorSpace', context, toVideoColorSpaceInit);
  const displayHeight = optional(d, 'displayHeight', context, enforceUnsignedLong);
  const displayWidth = optional(d, 'displayWidth', context, enforceUnsignedLong);
  const duration = optional(d, 'duration', context, enforceUnsignedLongLong);
  const flip = toBoolean(d?.flip);
  const format = required(d, 'format', context, toPixelFormat);
  const layout = optional(d, 'layout', context, toLayout);
  const metadata = optional(d, 'metadata', context, toVideoFrameMetadata);
  const rotation = optional(d, 'rotation', context, toDouble) ?? 0;
  const timestamp = required(d, 'timestamp', context, enforceLongLong);
  const transfer = optional(d, 'transfer', context, toTransferList) ?? [];
  const visibleRect = optional(d, 'visibleRect', context, toDOMRectInit);
  return { codedHeight, codedWidth, colorSpace, displayHeight, displayWidth, duration, flip, format, layout, metadata, rotation, timestamp, transfer, visibleRect };
}

/** VideoFrameInit, members in WebIDL (lexicographic) order. */
export function toVideoFrameInit(value: unknown, context: string): ConvertedFrameInit {
  const d = dictionaryObject(value, context);
  const alpha = optional(d, 'alpha', context, (v, c) => toEnum(v, ['keep', 'discard'] as const, c, 'AlphaOption')) ?? 'keep';
  const displayHeight = optional(d, 'displayHeight', context, enforceUnsignedLong);
  const displayWidth = optional(d, 'displayWidth', context, enforceUnsignedLong);
  const duration = optional(d, 'duration', context, toUnsignedLongLong);
  const flip = toBoolean(d?.flip);
  const metadata = optional(d, 'metadata', context, toVideoFrameMetadata);
  const rotation = optional(d, 'rotation', context, toDouble) ?? 0;
  const timestamp = optional(d, 'timestamp', context, toLongLong);
  const visibleRect = optional(d, 'visibleRect', context, toDOMRectInit);
  return { alpha, displayHeight, displayWidth, duration, flip, metadata, rotation, timestamp, visibleRect };
}

/** VideoFrameCopyToOptions, members in WebIDL (lexicographic) order. */
export function toVideoFrameCopyToOptions(value: unknown, context: string): ConvertedCopyToOptions {
  const d = dictionaryObject(value, context);
  const colorSpace = optional(d, 'colorSpace', context, (v, c) => toEnum(v, ['srgb', 'display-p3'] as const, c, 'PredefinedColorSpace'));
  const format = optional(d, 'format', context, toPixelFormat);
  const layout = optional(d, 'layout', context, toLayout);
  const rect = optional(d, 'rect', context, toDOMRectInit);
  return { colorSpace, format, layout, rect };
}

function isNonNegativeFinite(rect: Rect): boolean {
  return [rect.x, rect.y, rect.width, rect.height].every((n) => Number.isFinite(n) && n >= 0);
}

/** The display-size rules both validations share (steps "only one of displayWidth/displayHeight", "= 0"). */
function checkDisplaySize(init: { displayWidth: number | undefined; displayHeight: number | undefined }): void {
  if ((init.displayWidth === undefined) !== (init.displayHeight === undefined)) {
    throw new TypeError('VideoFrame: displayWidth and displayHeight must be given together.');
  }
  if (init.displayWidth === 0 || init.displayHeight === 0) throw new TypeError('VideoFrame: displayWidth and displayHeight must not be 0.');
}

/** "To check if a VideoFrameBufferInit is a valid VideoFrameBufferInit"; throws the constructor's TypeError. */
export function checkValidVideoFrameBufferInit(init: ConvertedBufferInit): void {
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
export function validateVideoFrameInit(init: ConvertedFrameInit, format: VideoPixelFormat | null, codedWidth: number, codedHeight: number): void {
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
