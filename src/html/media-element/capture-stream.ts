/**
 * HTMLMediaElement.captureStream() (https://w3c.github.io/mediacapture-fromelement/#dom-htmlmediaelement-capturestream):
 * a MediaStream whose tracks carry what the element renders.
 *
 * - No tracks until the element has metadata; then one video track (a `<video>` with a selected
 *   video track) and one audio track (enabled audio), each announced with `addtrack`.
 * - The captured tracks are muted while the media timeline does not advance (paused, waiting,
 *   seeking): "Absence of content is reflected in captured tracks through the muted attribute".
 * - When playback ends or the source changes, they end, and are then removed (`removetrack`).
 *   Playing again after the end makes new tracks.
 * - The element's `muted` and `volume` do not affect the capture.
 *
 * Each captured track's source is a generator source (src/media/generator-source.ts), written by
 * the element with each frame it shows and each chunk of audio it plays.
 */
import type { InterfaceObjects } from '../../algorithms/interface-objects.js';
import { addTrack, removeTrack, type Stream } from '../../algorithms/track/stream.js';
import type { Track } from '../../algorithms/track/track.js';
import { TrackGenerator } from '../../algorithms/transform/generator.js';
import type { MediaKind } from '../../media/modes.js';
import { queueTask } from '../../platform/tasks.js';
import type { AudioData } from '../../webcodecs/audio-data.js';
import type { VideoFrame } from '../../webcodecs/video-frame.js';
import type { MediaElementState, PresentationObserver } from './media-element.js';
import { fireEvent } from '../../realm/events.js';

interface Captured {
  readonly generator: TrackGenerator;
  readonly track: Track;
}

/** The event constructor of the element's window for `addtrack`/`removetrack`. */
export type TrackEventFactory = (type: 'addtrack' | 'removetrack', track: Track) => Event;

/** captureStream()'s steps: returns the Stream of the new MediaStream. */
export function captureStream(state: MediaElementState, interfaces: InterfaceObjects, trackEvent: TrackEventFactory): Stream {
  const stream = interfaces.createMediaStream([]);
  const capture = new ElementCapture(state, stream, interfaces, trackEvent);
  state.observers.add(capture);
  // An element that has metadata already has its tracks selected: capture them now.
  const metadata = state.metadata;
  if (metadata && !state.ended) capture.tracksChanged(metadata.hasVideo, metadata.hasAudio);
  return stream;
}

class ElementCapture implements PresentationObserver {
  readonly #state: MediaElementState;
  readonly #stream: Stream;
  readonly #interfaces: InterfaceObjects;
  readonly #trackEvent: TrackEventFactory;
  #video: Captured | undefined;
  #audio: Captured | undefined;
  /** The kinds the element's playback selects (from its metadata), for a restart after the end. */
  #kinds: { video: boolean; audio: boolean } | undefined;

  constructor(state: MediaElementState, stream: Stream, interfaces: InterfaceObjects, trackEvent: TrackEventFactory) {
    this.#state = state;
    this.#stream = stream;
    this.#interfaces = interfaces;
    this.#trackEvent = trackEvent;
  }

  tracksChanged(hasVideo: boolean, hasAudio: boolean): void {
    this.#kinds = { video: hasVideo && this.#state.element.localName === 'video', audio: hasAudio };
    this.#create();
  }

  /** "new captured MediaStreamTrack instances are created and added to the MediaStream" (with `addtrack`). */
  #create(): void {
    const kinds = this.#kinds;
    if (!kinds) return;
    const added: Track[] = [];
    if (kinds.video && !this.#video) added.push((this.#video = this.#newTrack('video')).track);
    if (kinds.audio && !this.#audio) added.push((this.#audio = this.#newTrack('audio')).track);
    for (const track of added) addTrack(this.#stream, track);
    if (added.length > 0) queueTask(() => added.forEach((t) => fireEvent(this.#stream.object, 'addtrack', () => this.#trackEvent('addtrack', t))));
  }

  #newTrack(kind: MediaKind): Captured {
    const generator = new TrackGenerator(kind, 'MediaStreamTrackGenerator');
    // Muted from the start unless the element is playing (its timeline advances).
    const muted = !this.#state.potentiallyPlaying;
    generator.setMuted(muted);
    generator.source.setMutedState(muted);
    const track = this.#interfaces.createMediaStreamTrack(generator.trackInit());
    return { generator, track };
  }

  frame(frame: VideoFrame): void {
    if (this.#video) this.#video.generator.source.write(frame);
    else frame.close();
  }

  audio(data: AudioData): void {
    if (this.#audio) this.#audio.generator.source.write(data);
    else data.close();
  }

  advancingChanged(advancing: boolean): void {
    // "Restarting playback after playback ends causes a new set of captured tracks."
    if (advancing && !this.#video && !this.#audio) this.#create();
    for (const c of [this.#video, this.#audio]) c?.generator.setMuted(!advancing);
  }

  /** A captured track "MUST end prior to being removed from the MediaStream". */
  ended(): void {
    const captured = [this.#video, this.#audio].filter((c): c is Captured => c !== undefined);
    this.#video = undefined;
    this.#audio = undefined;
    if (captured.length === 0) return;
    for (const c of captured) c.generator.source.close('The captured media element ended playback or changed its source.');
    queueTask(() => {
      for (const c of captured) removeTrack(this.#stream, c.track);
      for (const c of captured) fireEvent(this.#stream.object, 'removetrack', () => this.#trackEvent('removetrack', c.track));
    });
  }
}
