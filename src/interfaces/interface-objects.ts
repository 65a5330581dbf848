/**
 * The interface objects the algorithms create, made by these classes (see
 * algorithms/interface-objects.ts). installGlobals gives it to each MediaDevices.
 */
import type { InterfaceObjects } from '../algorithms/interface-objects.js';
import { createCanvasCaptureMediaStreamTrack } from './CanvasCaptureMediaStreamTrack.js';
import { createMediaStream } from './MediaStream.js';
import { createMediaStreamTrack } from './MediaStreamTrack.js';

/** The MediaStreamTrack, MediaStream and CanvasCaptureMediaStreamTrack of this package's interface classes. */
export const interfaceObjects: InterfaceObjects = { createMediaStreamTrack, createMediaStream, createCanvasCaptureMediaStreamTrack };
