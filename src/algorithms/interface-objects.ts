/**
 * The interface objects algorithms must create: getUserMedia and getDisplayMedia return a new
 * MediaStream of new MediaStreamTracks, "clone a track" makes a MediaStreamTrack, a transferred
 * track arrives as one. The IDL layer makes this object (interfaces/interface-objects.ts), and
 * algorithms receive it (a MediaDevices has one), so that algorithms never import the IDL classes.
 * One object per set of interface objects: later, one per realm (a jsdom or happy-dom window).
 * Another interface an algorithm must create gets its method here.
 */
import type { Stream } from './track/stream.js';
import type { Track, TrackInit } from './track/track.js';

/** Makes MediaStreamTrack and MediaStream objects; returns their models. */
export interface InterfaceObjects {
  /** A new MediaStreamTrack ("create a MediaStreamTrack" with `init`); returns its Track. */
  createMediaStreamTrack(init: TrackInit): Track;
  /** A new MediaStream whose track set is `tracks`; returns its Stream. */
  createMediaStream(tracks: readonly Track[]): Stream;
  /**
   * A new CanvasCaptureMediaStreamTrack of `canvas` (mediacapture-fromelement), whose
   * `requestFrame()` calls `requestFrame`; returns its Track.
   */
  createCanvasCaptureMediaStreamTrack(init: TrackInit, canvas: object, requestFrame: () => void): Track;
}
