import { trackInternals, type MediaStreamTrack } from '../interfaces/MediaStreamTrack.js';
import type { SettingsDictionary } from '../interfaces/track-binding.js';
import type { AudioData } from '../webcodecs/audio-data.js';
import type { VideoFrame } from '../webcodecs/video-frame.js';
import { silenceLike, blackLike } from './zero-information.js';
import type { Media, MediaTarget } from './route.js';

/**
 * A consumer of a track's media: MediaStreamTrackProcessor, MediaRecorder, and later Web Audio,
 * WebRTC and canvas. Consumers never reach into a backend; they attach here.
 */
export interface TrackSink {
  /** A video frame or chunk of audio of the track. The sink owns it and must close it. */
  media(media: VideoFrame | AudioData): void;
  /** The track ended (stop() or its source ended): nothing more will come. Called once. */
  ended?(): void;
}

/** The adaptation a track's settings ask for. */
export function targetFromSettings(kind: string, settings: SettingsDictionary): MediaTarget {
  if (kind === 'video') {
    const { width, height, frameRate } = settings;
    if (typeof width === 'number' && typeof height === 'number' && typeof frameRate === 'number') {
      return { kind: 'video', width, height, frameRate };
    }
    return null;
  }
  const { sampleRate, channelCount } = settings;
  if (typeof sampleRate === 'number' && typeof channelCount === 'number') return { kind: 'audio', sampleRate, channelCount };
  return null;
}

/**
 * The media output of one track: subscribes to the source with the track's settings while it has
 * sinks, follows applyConstraints, and turns a disabled track's media into zero-information
 * content (black frames, silence) as §4.3.1.1 says. A muted track delivers nothing, because its
 * source emits nothing while muted.
 */
class TrackMedia {
  readonly #track: MediaStreamTrack;
  readonly #sinks = new Set<TrackSink>();
  /** #sinks as an array, replaced when a sink comes or goes, so a frame costs no copy of the set. */
  #sinkList: readonly TrackSink[] = [];
  #unsubscribe: (() => void) | null = null;
  #unobserve: () => void;
  #enabled: boolean;
  #ended = false;

  constructor(track: MediaStreamTrack) {
    this.#track = track;
    this.#enabled = track.enabled;
    this.#ended = track.readyState === 'ended';
    this.#unobserve = trackInternals.observe(track, {
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
    const source = trackInternals.source(this.#track);
    if (source.stopped) return;
    const target = targetFromSettings(this.#track.kind, trackInternals.settings(this.#track));
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

const outputs = new WeakMap<MediaStreamTrack, TrackMedia>();

/**
 * Attaches a consumer to a track's media. Frames start flowing (the source starts producing if it
 * was idle) and follow the track's settings, enabled state and life-cycle. Returns a detach function.
 */
export function attachSink(track: MediaStreamTrack, sink: TrackSink): () => void {
  let output = outputs.get(track);
  if (!output) outputs.set(track, (output = new TrackMedia(track)));
  return output.add(sink);
}
