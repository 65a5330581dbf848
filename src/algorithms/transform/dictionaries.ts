/**
 * WebIDL conversion of the transform dictionaries, members in WebIDL order (lexicographic):
 * `MediaStreamTrackProcessorInit` (the same in the current draft and in the 2021 draft Chrome
 * ships) and `MediaStreamTrackGeneratorInit`.
 */
import type { Track } from '../track/track.js';
import { dictionaryObject, toDOMString, toEnforcedInteger, typeError } from '../../webidl/converters.js';

/** A converted `MediaStreamTrackProcessorInit`. */
export interface ProcessorInit {
  maxBufferSize?: number;
  track: Track;
}

/**
 * `dictionary MediaStreamTrackProcessorInit { required MediaStreamTrack track; [EnforceRange] unsigned short maxBufferSize; }`.
 * `trackOf` is the IDL layer's MediaStreamTrack check: the Track of a MediaStreamTrack, else undefined.
 */
export function toMediaStreamTrackProcessorInit(value: unknown, context: string, trackOf: (value: unknown) => Track | undefined): ProcessorInit {
  const dict = dictionaryObject(value, context);
  const maxBufferSizeValue = dict?.maxBufferSize;
  const maxBufferSize = maxBufferSizeValue === undefined ? undefined : toEnforcedInteger(maxBufferSizeValue, `${context}: member maxBufferSize`, 0, 0xffff);
  const trackValue = dict?.track;
  if (trackValue === undefined) throw typeError(`${context}:`, "required member track is undefined.");
  const track = trackOf(trackValue);
  if (!track) throw typeError(`${context}: member track`, 'is not of type MediaStreamTrack.');
  return maxBufferSize === undefined ? { track } : { maxBufferSize, track };
}

/** `dictionary MediaStreamTrackGeneratorInit { required DOMString kind; }` */
export function toMediaStreamTrackGeneratorInit(value: unknown, context: string): { kind: string } {
  const dict = dictionaryObject(value, context);
  const kind = dict?.kind;
  if (kind === undefined) throw typeError(`${context}:`, 'required member kind is undefined.');
  return { kind: toDOMString(kind, `${context}: member kind`) };
}
