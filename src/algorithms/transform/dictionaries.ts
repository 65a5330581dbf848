/**
 * The converted `MediaStreamTrackProcessorInit` as the processor's algorithms take it: the
 * track's model rather than the MediaStreamTrack. The dictionaries' converters are in
 * src/webidl/transform.ts.
 */
import type { Track } from '../track/track.js';

/** A converted `MediaStreamTrackProcessorInit`. */
export interface ProcessorInit {
  maxBufferSize?: number;
  track: Track;
}
