/**
 * `VideoFrame.allocationSize()` / `copyTo()` (WebCodecs § 9.4.5, § 9.4.6 "Parse
 * VideoFrameCopyToOptions", https://w3c.github.io/webcodecs/#videoframe-methods):
 * which bytes go where, and the copy itself.
 */
import { notSupported } from '../platform/errors.js';
import { computeLayoutAndAllocationSize, copyPlanes, parseVisibleRect, type CombinedBufferLayout, type PlaneLayout } from './layout.js';
import type { Rect } from '../webidl/geometry.js';
import type { ConvertedVideoFrameCopyToOptions } from '../webidl/webcodecs.js';
import type { VideoFrameSlots } from './slots.js';
import { convertToRGB } from './video-frame-rgb.js';
import { isRGBFormat, type VideoPixelFormat } from './video-pixel-format.js';

/** What "Parse VideoFrameCopyToOptions" yields: the layout, plus the rect and format it was computed for. */
export interface ParsedCopyToOptions {
  combinedLayout: CombinedBufferLayout;
  parsedRect: Rect;
  format: VideoPixelFormat;
}

/** Parse VideoFrameCopyToOptions (with options); throws the exception it would return. */
export function parseVideoFrameCopyToOptions(frame: VideoFrameSlots, options: ConvertedVideoFrameCopyToOptions): ParsedCopyToOptions {
  // 1. Let defaultRect be the result of performing the getter steps for visibleRect.
  const defaultRect: Rect = { x: frame.visibleLeft, y: frame.visibleTop, width: frame.visibleWidth, height: frame.visibleHeight };
  // 2.-5. overrideRect is options.rect if it exists; Parse Visible Rect.
  const parsedRect = parseVisibleRect(defaultRect, options.rect, frame.codedWidth, frame.codedHeight, frame.format, 'options.rect');
  // 6.-10. format is [[format]] without options.format; an RGB options.format; else NotSupportedError.
  let format: VideoPixelFormat;
  if (options.format === undefined) format = frame.format;
  else if (isRGBFormat(options.format)) format = options.format;
  else throw notSupported(`VideoFrame.copyTo: conversion to ${options.format} is not supported; copyTo() converts only to RGBA, RGBX, BGRA or BGRX.`);
  // 11.-12. Compute Layout and Allocation Size.
  return { combinedLayout: computeLayoutAndAllocationSize(parsedRect, format, options.layout), parsedRect, format };
}

/**
 * copyTo() steps 6-10 after the checks: copies (or converts, for an RGB options.format) the planes
 * into `destination` and returns their layouts.
 *
 * The rectangle given with an RGB format is taken in the frame's coordinates, as without one (the
 * excerpt applies it to an intermediate frame whose origin is the visible rectangle's corner; the
 * two agree for the default rect). Each returned PlaneLayout has the destination stride used, which
 * is what the caller's `layout` said (step 10.4.7 writes the row length there; they differ only for
 * a caller-chosen layout).
 */
export function copyVideoFrame(frame: VideoFrameSlots, parsed: ParsedCopyToOptions, destination: Uint8Array, options: ConvertedVideoFrameCopyToOptions): PlaneLayout[] {
  const { combinedLayout, parsedRect, format } = parsed;
  // 6. If options.format is RGBA, RGBX, BGRA or BGRX: Convert to RGB frame, then copy it.
  if (options.format !== undefined && isRGBFormat(format)) {
    const plane = combinedLayout.computedLayouts[0]!;
    const rect = { x: Math.trunc(parsedRect.x), y: Math.trunc(parsedRect.y), width: Math.trunc(parsedRect.width), height: Math.trunc(parsedRect.height) };
    convertToRGB(frame.resourceReference, frame.format, frame.colorSpace, rect, format, destination, plane.destinationOffset, plane.destinationStride);
    return [{ offset: plane.destinationOffset, stride: plane.destinationStride }];
  }
  // 10.1.-10.4. Copy each plane's rows.
  return copyPlanes(frame.resourceReference.resource.data, frame.resourceReference.planes, destination, combinedLayout);
}
