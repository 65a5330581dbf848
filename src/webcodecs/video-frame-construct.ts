/**
 * The `VideoFrame` constructors' algorithms (WebCodecs § 9.4.2 and § 9.4.6 "Initialize Frame From
 * Other Frame", "Initialize Visible Rect, Orientation, and Display Size",
 * https://w3c.github.io/webcodecs/#videoframe-constructors). Each returns the new
 * frame's internal slots; the class assigns them.
 */
import { toBufferSourceBytes } from '../webidl/buffer-source.js';
import type { Rect } from '../webidl/geometry.js';
import { converters } from '../webidl/index.js';
import type { ConvertedVideoFrameInit, PlaneLayout } from '../webidl/webcodecs.js';
import { arrayBufferOf, checkTransferList, detachArrayBuffer } from './buffers.js';
import { computeLayoutAndAllocationSize, copyPlanes, parseVisibleRect } from './layout.js';
import { MediaResource } from './media-resource.js';
import type { VideoFrameSlots } from './slots.js';
import { colorSpaceObject, pickColorSpace } from './video-color-space.js';
import {
  addRotations,
  checkValidVideoFrameBufferInit,
  copyVideoFrameMetadata,
  parseRotation,
  validateVideoFrameInit,
} from './video-frame-init.js';
import { equivalentOpaqueFormat, isRGBFormat, type VideoPixelFormat } from './video-pixel-format.js';
import type { CanvasImagePixels } from './canvas-image.js';
import { invalidState, securityError } from '../platform/errors.js';

const CONTEXT = "Failed to construct 'VideoFrame'";

/**
 * VideoFrame(data, init).
 *
 * Where the excerpt is ambiguous, the reading Chromium implements: `init.layout` (and the size check
 * of step 11) describe the planes of the whole coded image, computed with the coded rectangle, not
 * with the visible rectangle as steps 7-9 literally say. The visible rectangle then selects a part
 * of those planes, and the resource keeps the full coded size (so `codedWidth` is what was passed).
 */
export function initializeFrameFromBuffer(dataSource: unknown, initValue: unknown): VideoFrameSlots {
  const data = toBufferSourceBytes(dataSource, `${CONTEXT}: data`, true);
  const init = converters.VideoFrameBufferInit(initValue, `${CONTEXT}: init`);
  const { format, codedWidth, codedHeight } = init;
  // 1. If init is not a valid VideoFrameBufferInit, throw a TypeError.
  checkValidVideoFrameBufferInit(init);
  // 2.-6. Parse Visible Rect with the coded rect as default.
  const codedRect: Rect = { x: 0, y: 0, width: codedWidth, height: codedHeight };
  const parsedRect = parseVisibleRect(codedRect, init.visibleRect, codedWidth, codedHeight, format, 'init.visibleRect');
  // 7.-10. Compute Layout and Allocation Size (of the coded planes; see above).
  const combinedLayout = computeLayoutAndAllocationSize(codedRect, format, init.layout);
  // 11. If data.byteLength is less than combinedLayout's allocationSize, throw a TypeError.
  if (data.byteLength < combinedLayout.allocationSize) {
    throw new TypeError(`${CONTEXT}: data has ${data.byteLength} bytes, but a ${codedWidth}×${codedHeight} ${format} frame with this layout needs ${combinedLayout.allocationSize}.`);
  }
  // 12.-13. The transfer list: no duplicates, nothing detached (DataCloneError).
  checkTransferList(init.transfer);
  const dataLayout: PlaneLayout[] = combinedLayout.computedLayouts.map((l) => ({ offset: l.destinationOffset, stride: l.destinationStride }));
  const dataBuffer = arrayBufferOf(dataSource);
  const reference = dataBuffer !== undefined && init.transfer.includes(dataBuffer);
  let bytes: Uint8Array;
  let planes: PlaneLayout[];
  if (reference) {
    // 14. init.transfer contains the ArrayBuffer of data: the resource references its pixels, no copy.
    const { byteOffset, byteLength } = data; // (the view reads as empty once its buffer is detached)
    bytes = new Uint8Array(detachArrayBuffer(dataBuffer), byteOffset, byteLength);
    planes = dataLayout;
  } else {
    // 15. Otherwise a copy of data, tightly packed, using layout to find each plane.
    const packed = computeLayoutAndAllocationSize(codedRect, format, undefined);
    bytes = new Uint8Array(packed.allocationSize);
    planes = copyPlanes(data, dataLayout, bytes, packed);
  }
  // 16. Detach every ArrayBuffer in init.transfer.
  for (const buffer of init.transfer) if (!(reference && buffer === dataBuffer)) detachArrayBuffer(buffer);

  // 17.-21. The new frame's slots.
  const visibleWidth = init.visibleRect !== undefined ? Math.trunc(init.visibleRect.width) : codedWidth;
  const visibleHeight = init.visibleRect !== undefined ? Math.trunc(init.visibleRect.height) : codedHeight;
  const rotation = parseRotation(init.rotation);
  let displayWidth: number;
  let displayHeight: number;
  if (init.displayWidth !== undefined && init.displayHeight !== undefined) {
    [displayWidth, displayHeight] = [init.displayWidth, init.displayHeight];
  } else if (rotation === 0 || rotation === 180) {
    [displayWidth, displayHeight] = [visibleWidth, visibleHeight];
  } else {
    [displayWidth, displayHeight] = [visibleHeight, visibleWidth];
  }
  return {
    resourceReference: { resource: new MediaResource(bytes).addReference(), planes },
    format,
    codedWidth,
    codedHeight,
    visibleLeft: Math.trunc(parsedRect.x),
    visibleTop: Math.trunc(parsedRect.y),
    visibleWidth,
    visibleHeight,
    rotation,
    flip: init.flip,
    displayWidth,
    displayHeight,
    duration: init.duration ?? null,
    timestamp: init.timestamp,
    colorSpace: pickColorSpace(init.colorSpace, isRGBFormat(format)),
    metadata: copyVideoFrameMetadata(init.metadata),
  };
}

/** Initialize Frame From Other Frame (with init, frame, and otherFrame). */
export function initializeFrameFromOtherFrame(otherFrame: VideoFrameSlots, initValue: unknown): VideoFrameSlots {
  const init = converters.VideoFrameInit(initValue, `${CONTEXT}: init`);
  // 1.-2. format, or its equivalent opaque format when init.alpha is "discard".
  const format = init.alpha === 'discard' ? equivalentOpaqueFormat(otherFrame.format) : otherFrame.format;
  // 3.-4. Validate VideoFrameInit; if invalid, throw a TypeError.
  validateVideoFrameInit(init, format, otherFrame.codedWidth, otherFrame.codedHeight);
  // 8.-11. Initialize Visible Rect, Orientation, and Display Size.
  const defaultVisibleRect: Rect = { x: otherFrame.visibleLeft, y: otherFrame.visibleTop, width: otherFrame.visibleWidth, height: otherFrame.visibleHeight };
  const geometry = initializeVisibleRectOrientationAndDisplaySize(
    init,
    defaultVisibleRect,
    otherFrame.rotation,
    otherFrame.flip,
    otherFrame.displayWidth,
    otherFrame.displayHeight,
  );
  // 5.-6. A new reference to the resource of otherFrame.
  otherFrame.resourceReference.resource.addReference();
  return {
    ...geometry,
    resourceReference: otherFrame.resourceReference,
    // 7. codedWidth, codedHeight, colorSpace from otherFrame.
    codedWidth: otherFrame.codedWidth,
    codedHeight: otherFrame.codedHeight,
    colorSpace: colorSpaceObject(otherFrame),
    // 12.-13.
    duration: init.duration ?? otherFrame.duration,
    timestamp: init.timestamp ?? otherFrame.timestamp,
    // 14.
    format,
    // 15.
    metadata: copyVideoFrameMetadata(init.metadata),
  };
}

/**
 * VideoFrame(image, init) for an HTMLCanvasElement or OffscreenCanvas (§ 9.4.2 steps 1, 2 and
 * the canvas case of step 4), given a copy of its bitmap, then "Initialize Frame With Resource"
 * (https://w3c.github.io/webcodecs/#videoframe-initialize-frame-with-resource).
 */
export function initializeFrameFromCanvas(image: CanvasImagePixels, initValue: unknown): VideoFrameSlots {
  const init = converters.VideoFrameInit(initValue, `${CONTEXT}: init`);
  // 1. Check the usability of the image argument: a canvas with no pixels is unusable.
  if (image.width === 0 || image.height === 0) throw invalidState(`${CONTEXT}: the canvas has a width or height of 0.`);
  // 2. If image is not origin-clean, then throw a SecurityError.
  if (!image.originClean) throw securityError(`${CONTEXT}: the canvas has been tainted by cross-origin data.`);
  // 4. (canvas) 4.1. If timestamp does not exist in init, throw a TypeError.
  if (init.timestamp === undefined) throw new TypeError(`${CONTEXT}: init.timestamp is required when the image is a canvas.`);
  // 4.2.-4.3. resource: a copy of image's bitmap data; width and height are the canvas's.
  const { width, height } = image;
  // Initialize Frame With Resource (init, frame, resource, width, height, 0, false, width, height):
  // 1.-2. The resource's format: RGBA, or RGBX for an opaque canvas.
  let format: VideoPixelFormat = image.alpha ? 'RGBA' : 'RGBX';
  // 3. Validate VideoFrameInit with format, width and height; if invalid, throw a TypeError.
  validateVideoFrameInit(init, format, width, height);
  // 4. If init.alpha is "discard", the equivalent opaque format.
  if (init.alpha === 'discard') format = equivalentOpaqueFormat(format);
  // 5.-7. The frame's resource, coded size and default visible rect.
  const packed = computeLayoutAndAllocationSize({ x: 0, y: 0, width, height }, format, undefined);
  const planes: PlaneLayout[] = packed.computedLayouts.map((l) => ({ offset: l.destinationOffset, stride: l.destinationStride }));
  // 8. Initialize Visible Rect, Orientation, and Display Size.
  const geometry = initializeVisibleRectOrientationAndDisplaySize(init, { x: 0, y: 0, width, height }, 0, false, width, height);
  return {
    ...geometry,
    resourceReference: { resource: new MediaResource(image.data).addReference(), planes },
    format,
    codedWidth: width,
    codedHeight: height,
    // 9.-10.
    duration: init.duration ?? null,
    timestamp: init.timestamp,
    // 11. sRGB, the canvas's colour space.
    colorSpace: pickColorSpace(undefined, true),
    // 12.
    metadata: copyVideoFrameMetadata(init.metadata),
  };
}

type Geometry = Pick<VideoFrameSlots, 'visibleLeft' | 'visibleTop' | 'visibleWidth' | 'visibleHeight' | 'rotation' | 'flip' | 'displayWidth' | 'displayHeight'>;

/**
 * Initialize Visible Rect, Orientation, and Display Size (with init, frame, defaultVisibleRect,
 * baseRotation, baseFlip, defaultDisplayWidth and defaultDisplayHeight).
 *
 * Step 8.5 says "if rotation is 0 or 180"; this reads it as the frame's combined `[[rotation]]`
 * (step 5), since the display size is of the rotated frame: with a base rotation of 90 and no new
 * rotation, the init's own rotation (0) would leave the display size unrotated.
 */
export function initializeVisibleRectOrientationAndDisplaySize(
  init: ConvertedVideoFrameInit,
  defaultVisibleRect: Rect,
  baseRotation: number,
  baseFlip: boolean,
  defaultDisplayWidth: number,
  defaultDisplayHeight: number,
): Geometry {
  // 1.-2. visibleRect is init.visibleRect when it exists (negative or non-finite: TypeError).
  let visibleRect = defaultVisibleRect;
  if (init.visibleRect !== undefined) {
    const r = init.visibleRect;
    if (![r.x, r.y, r.width, r.height].every((n) => Number.isFinite(n) && n >= 0)) {
      throw new TypeError(`${CONTEXT}: init.visibleRect has a negative or non-finite member.`);
    }
    visibleRect = r;
  }
  // 3.
  const visibleLeft = Math.trunc(visibleRect.x);
  const visibleTop = Math.trunc(visibleRect.y);
  const visibleWidth = Math.trunc(visibleRect.width);
  const visibleHeight = Math.trunc(visibleRect.height);
  // 4.-5.
  const rotation = addRotations(baseRotation, baseFlip, parseRotation(init.rotation));
  // 6.
  const flip = baseFlip !== init.flip;
  // 7.
  if (init.displayWidth !== undefined && init.displayHeight !== undefined) {
    return { visibleLeft, visibleTop, visibleWidth, visibleHeight, rotation, flip, displayWidth: init.displayWidth, displayHeight: init.displayHeight };
  }
  // 8.1.-8.2.
  const upright = baseRotation === 0 || baseRotation === 180;
  const widthScale = (upright ? defaultDisplayWidth : defaultDisplayHeight) / defaultVisibleRect.width;
  const heightScale = (upright ? defaultDisplayHeight : defaultDisplayWidth) / defaultVisibleRect.height;
  // 8.3.-8.4.
  const displayWidth = Math.round(visibleWidth * widthScale);
  const displayHeight = Math.round(visibleHeight * heightScale);
  // 8.5.-8.6.
  const swap = !(rotation === 0 || rotation === 180);
  return {
    visibleLeft,
    visibleTop,
    visibleWidth,
    visibleHeight,
    rotation,
    flip,
    displayWidth: swap ? displayHeight : displayWidth,
    displayHeight: swap ? displayWidth : displayHeight,
  };
}
