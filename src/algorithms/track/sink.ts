/**
 * The contract of everything that consumes a track's media (MediaStreamTrackProcessor,
 * MediaRecorder; later media elements, Web Audio, RTP senders), and each track's media output,
 * which feeds them. A sink never reaches into a backend or a source: it attaches to a track.
 */
import { targetFromSettings, type Media } from '../../media/route.js';
import { blackLike, silenceLike } from '../../media/zero-information.js';
import type { AudioData } from '../../webcodecs/audio-data.js';
import type { VideoFrame } from '../../webcodecs/video-frame.js';
import { observeTrack, type Track } from './track.js';
import { queueMicrotask } from '../../platform/timers.js';

/**
 * A consumer of a track's media.
 *
 * @example
 * const detach = attachSink(track, {
 *   media(frame) { use(frame); frame.close(); },
 *   ended() { finish(); },
 * });
 */
export interface TrackSink {
  /**
   * A video frame or chunk of audio of the track, adapted to its settings; black or silent while
   * the track is disabled, none while it is muted. The sink owns it and must close it.
   */
  media(media: VideoFrame | AudioData): void;
  /** The track ended (stop() or its source ended): nothing more will come. Called once. */
  ended?(): void;
}

/**
 * Attaches `sink` to the media of `track`. Frames start flowing (the source starts producing if it
 * was idle) and follow the track's settings, enabled state and life-cycle. A sink attached to an
 * ended track hears `ended` at once (in a microtask). Returns the function that detaches it.
 */
export function attachSink(track: Track, sink: TrackSink): () => void {
  let output = outputs.get(track);
  if (!output) outputs.set(track, (output = new TrackMediaOutput(track)));
  return output.add(sink);
}

/**
 * The media output of one track: subscribes to the source with the track's settings while it has
 * sinks, follows applyConstraints, and turns a disabled track's media into zero-information
 * content (black frames, silence), as https://w3c.github.io/mediacapture-main/#media-flow says.
 * A muted track delivers nothing, because its source emits nothing while muted.
 */
class TrackMediaOutput {
  readonly #track: Track;
  readonly #sinks = new Set<TrackSink>();
  /** #sinks as an array, replaced when a sink comes or goes, so a frame costs no copy of the set. */
  #sinkList: readonly TrackSink[] = [];
  #unsubscribe: (() => void) | null = null;
  readonly #unobserve: () => void;
  #enabled: boolean;
  #ended: boolean;

  constructor(track: Track) {
    this.#track = track;
    this.#enabled = track.enabled;
    this.#ended = track.readyState === 'ended';
    this.#unobserve = observeTrack(track, {
      enabledChanged: (enabled) => (this.#enabled = enabled),
      settingsChanged: () => this.#resubscribe(),
      ended: () => this.#end(),
    });
  }

  add(sink: TrackSink): () => void {
    if (this.#ended) {
      queueMicrotask(() => sink.ended?.());
      return () => {};
    }
    this.#sinks.add(sink);
    this.#sinkList = [...this.#sinks];
    if (this.#sinks.size === 1) this.#resubscribe();
    return () => {
      if (!this.#sinks.delete(sink)) return;
      this.#sinkList = [...this.#sinks];
      if (this.#sinks.size === 0) this.#detach();
    };
  }

  #resubscribe(): void {
    this.#detach();
    if (this.#ended || this.#sinks.size === 0) return;
    const source = this.#track.source.media;
    if (source.stopped) return;
    const target = targetFromSettings(this.#track.kind, this.#track.settings);
    this.#unsubscribe = source.subscribe(target, (media) => this.#deliver(media));
  }

  #detach(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  #deliver(media: Media): void {
    let out: Media = media;
    if (!this.#enabled) {
      out = 'codedWidth' in media ? blackLike(media) : silenceLike(media);
      media.close();
    }
    const sinks = this.#sinkList;
    if (sinks.length === 0) {
      out.close();
      return;
    }
    for (let i = 0; i < sinks.length; i++) sinks[i]!.media(i === sinks.length - 1 ? out : out.clone());
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#detach();
    this.#unobserve();
    const sinks = [...this.#sinks];
    this.#sinks.clear();
    this.#sinkList = [];
    outputs.delete(this.#track);
    for (const s of sinks) s.ended?.();
  }
}

const outputs = new WeakMap<Track, TrackMediaOutput>();
