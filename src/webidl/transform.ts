/**
 * The dictionaries of MediaStreamTrack Insertable Media Processing
 * (https://w3c.github.io/mediacapture-transform/#dictdef-mediastreamtrackprocessorinit, and the
 * 2021 draft Chrome ships, which adds MediaStreamTrackGeneratorInit).
 */
import { toDOMString, toEnforcedUnsignedShort } from './converters.js';
import { dictionary } from './dictionary.js';
import { interfaceType, type InterfaceType } from './interface-types.js';

/** `MediaStreamTrackProcessorInit`: the same dictionary in the current draft and in Chrome's 2021 one. */
export interface MediaStreamTrackProcessorInit {
  /** The track to read. It must be live. */
  track: InterfaceType<'MediaStreamTrack'>;
  /**
   * How many frames (or AudioData chunks) to hold while the reader is behind; when full, the
   * oldest is closed and dropped. Default 1 for video (the current draft), 10 for audio.
   */
  maxBufferSize?: number;
}

/** `dictionary MediaStreamTrackProcessorInit { required MediaStreamTrack track; [EnforceRange] unsigned short maxBufferSize; }` */
export const MediaStreamTrackProcessorInit = dictionary<MediaStreamTrackProcessorInit>('MediaStreamTrackProcessorInit', {
  maxBufferSize: { type: toEnforcedUnsignedShort },
  track: { type: interfaceType('MediaStreamTrack'), required: true },
});

/** `MediaStreamTrackGeneratorInit` (2021 draft). */
export interface MediaStreamTrackGeneratorInit {
  /** "audio" or "video". */
  kind: string;
}

/** `dictionary MediaStreamTrackGeneratorInit { required DOMString kind; }` */
export const MediaStreamTrackGeneratorInit = dictionary<MediaStreamTrackGeneratorInit>('MediaStreamTrackGeneratorInit', {
  kind: { type: toDOMString, required: true },
});
