/**
 * `import 'mediacapture/global'` installs the Media Capture and Streams API on `globalThis`:
 * the interface globals and `navigator.mediaDevices` with the built-in synthetic devices.
 * A native implementation already present is kept.
 */
import { installGlobals } from './install.js';
import type { DeviceChangeEvent as DeviceChangeEventClass } from './interfaces/DeviceChangeEvent.js';
import type { MediaStreamTrackAudioStats as MediaStreamTrackAudioStatsClass } from './interfaces/MediaStreamTrackAudioStats.js';
import type { MediaStreamTrackGenerator as MediaStreamTrackGeneratorClass } from './interfaces/MediaStreamTrackGenerator.js';
import type { MediaStreamTrackProcessor as MediaStreamTrackProcessorClass } from './interfaces/MediaStreamTrackProcessor.js';
import type { MediaStreamTrackVideoStats as MediaStreamTrackVideoStatsClass } from './interfaces/MediaStreamTrackVideoStats.js';
import type { VideoTrackGenerator as VideoTrackGeneratorClass } from './interfaces/VideoTrackGenerator.js';

/**
 * The globals this installs that TypeScript's lib.dom does not declare (the insertable-streams
 * and track-stats interfaces, DeviceChangeEvent), so that a test importing this module can use
 * them without TS2304. The others (MediaStream, MediaRecorder, …) have lib.dom's types.
 */
declare global {
  /** Takes lib.dom's MediaStreamTrack too (what `getUserMedia` is typed to return there); at run time, a track of this package. */
  var MediaStreamTrackProcessor: {
    readonly prototype: MediaStreamTrackProcessorClass;
    new (init: { track: { readonly kind: string; readonly id: string }; maxBufferSize?: number }): MediaStreamTrackProcessorClass;
  };
  var VideoTrackGenerator: typeof VideoTrackGeneratorClass;
  var MediaStreamTrackGenerator: typeof MediaStreamTrackGeneratorClass;
  var MediaStreamTrackAudioStats: typeof MediaStreamTrackAudioStatsClass;
  var MediaStreamTrackVideoStats: typeof MediaStreamTrackVideoStatsClass;
  var DeviceChangeEvent: typeof DeviceChangeEventClass;
  type MediaStreamTrackProcessor = MediaStreamTrackProcessorClass;
  type VideoTrackGenerator = VideoTrackGeneratorClass;
  type MediaStreamTrackGenerator = MediaStreamTrackGeneratorClass;
  type MediaStreamTrackAudioStats = MediaStreamTrackAudioStatsClass;
  type MediaStreamTrackVideoStats = MediaStreamTrackVideoStatsClass;
  type DeviceChangeEvent = DeviceChangeEventClass;
}

/** The controls of the global installation: devices, permissions, clock, reset, uninstall. */
export const mediacapture = installGlobals(globalThis);
