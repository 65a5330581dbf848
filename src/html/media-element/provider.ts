/**
 * The contract between a media element (media-element.ts) and what it plays: a MediaStream
 * (stream-provider.ts) or a media file (file-provider.ts). The element keeps HTML's state (ready
 * state, paused, the media timeline, events); a provider fetches and decodes, and tells the
 * element what it learned through the {@link ProviderHost}.
 */
import type { Clock } from '../../media/clock/index.js';
import type { AudioData } from '../../webcodecs/audio-data.js';
import type { VideoFrame } from '../../webcodecs/video-frame.js';

/** What the element learns "once enough of the media data has been fetched to determine the duration of the media resource and its dimensions". */
export interface Metadata {
  /** Seconds; Infinity for a live stream. */
  readonly duration: number;
  readonly hasVideo: boolean;
  readonly hasAudio: boolean;
  /** The video's natural size, when known with the metadata. */
  readonly width?: number;
  readonly height?: number;
}

/** The element, as a provider sees it. */
export interface ProviderHost {
  readonly clock: Clock;
  /** The metadata is known (HAVE_METADATA). */
  metadata(metadata: Metadata): void;
  /** A video frame to show now; the host takes it over. */
  frame(frame: VideoFrame): void;
  /** A chunk of audio to play now; the host takes it over. */
  audio(data: AudioData): void;
  /** The provider can play on from the current position (HAVE_ENOUGH_DATA). */
  enoughData(): void;
  /** The data for the current position did not come in time: playback waits (HAVE_CURRENT_DATA). */
  stalled(): void;
  /** The media reached its end (a file) or the stream became inactive/inaudible. */
  endOfMedia(): void;
  /** A stream that ended became active (audible) again. */
  restarted(): void;
  /** The resource cannot be played: the "dedicated media source failure steps" or a decode error. */
  failed(message: string, code: 'decode' | 'src-not-supported' | 'network'): void;
  /** The media timeline position now (seconds). */
  position(): number;
  /** The clock time (µs) at which the timeline reaches `position` at the current rate; undefined while it does not advance. */
  clockTimeOf(position: number): number | undefined;
  /** Frames the provider could not show in time (counted as dropped). */
  droppedFrames(count: number): void;
}

/** A media resource being played by one element. */
export interface MediaProvider {
  /** "media provider object" (a MediaStream) or "URL" (a file): what HTML's rules for each say. */
  readonly kind: 'object' | 'url';
  /** Starts fetching (the resource fetch algorithm). */
  start(): void;
  /** The media timeline advances (true) or stops (false), at `position`. */
  advancingChanged(advancing: boolean): void;
  /** Seek to `position` (seconds); resolves once the frame there is shown (HAVE_CURRENT_DATA or more). */
  seek?(position: number): Promise<void>;
  /** The effective playback rate changed. */
  rateChanged?(): void;
  /** Releases everything (processes, sinks, temporary files). Called once. */
  close(): void;
}
