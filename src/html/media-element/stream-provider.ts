/**
 * A MediaStream as a media element's media provider object (mediacapture-main §6, "MediaStreams
 * in Media Elements": https://w3c.github.io/mediacapture-main/#mediastreams-in-media-elements).
 *
 * The element consumes the stream's tracks as a {@link TrackSink}: the selected video track (the
 * first live one; a `<video>` only) and every live audio track ("enabled"). The stream "MUST NOT
 * buffer": each frame is shown when it arrives. Metadata is known with the first frame (a
 * `<video>` with a video track) or the first chunk of audio; the element then has enough data at
 * once. Playback "has ended" when the stream becomes inactive (a `<video>`) or inaudible (an
 * `<audio>`) after having been active; a track added afterwards restarts it under `autoplay`.
 */
import { attachSink } from '../../algorithms/track/sink.js';
import { observeTrackSet, type Stream } from '../../algorithms/track/stream.js';
import { observeTrack, type Track } from '../../algorithms/track/track.js';
import type { AudioData } from '../../webcodecs/audio-data.js';
import type { VideoFrame } from '../../webcodecs/video-frame.js';
import type { MediaProvider, ProviderHost } from './provider.js';

export class StreamProvider implements MediaProvider {
  readonly kind = 'object';
  readonly #stream: Stream;
  readonly #host: ProviderHost;
  readonly #isVideo: boolean;
  /** The sink of each track consumed now, by track. */
  readonly #attached = new Map<Track, () => void>();
  readonly #unobserve = new Map<Track, () => void>();
  #unobserveSet: (() => void) | undefined;
  #metadata = false;
  #enough = false;
  /** Whether the stream was active (audible) when last looked at, and whether it ever was. */
  #live = false;
  #closed = false;

  constructor(stream: Stream, host: ProviderHost, isVideo: boolean) {
    this.#stream = stream;
    this.#host = host;
    this.#isVideo = isVideo;
  }

  start(): void {
    this.#unobserveSet = observeTrackSet(this.#stream, () => this.#update());
    this.#live = this.#isLive();
    this.#update();
  }

  /** A stream plays the same whether or not the timeline advances; the element decides what to show. */
  advancingChanged(): void {}

  close(): void {
    this.#closed = true;
    this.#unobserveSet?.();
    for (const detach of this.#attached.values()) detach();
    for (const unobserve of this.#unobserve.values()) unobserve();
    this.#attached.clear();
    this.#unobserve.clear();
  }

  /** "active" for a `<video>`, "audible" for an `<audio>` (mediacapture-main §6). */
  #isLive(): boolean {
    for (const t of this.#stream.trackSet) if (t.readyState === 'live' && (this.#isVideo || t.kind === 'audio')) return true;
    return false;
  }

  /** Follows the track set: which tracks to consume, and whether playback has ended. */
  #update(): void {
    if (this.#closed) return;
    const tracks = [...this.#stream.trackSet];
    for (const t of tracks) {
      if (!this.#unobserve.has(t)) this.#unobserve.set(t, observeTrack(t, { ended: () => this.#update() }));
    }
    for (const [t, unobserve] of this.#unobserve) {
      if (!this.#stream.trackSet.has(t)) {
        unobserve();
        this.#unobserve.delete(t);
      }
    }
    // The selected video track: the one consumed already if still live, else the first live one.
    const live = tracks.filter((t) => t.readyState === 'live');
    const videos = this.#isVideo ? live.filter((t) => t.kind === 'video') : [];
    const selectedVideo = videos.find((t) => this.#attached.has(t)) ?? videos[0];
    const wanted = new Set<Track>([...(selectedVideo ? [selectedVideo] : []), ...live.filter((t) => t.kind === 'audio')]);
    for (const [t, detach] of this.#attached) {
      if (!wanted.has(t)) {
        detach();
        this.#attached.delete(t);
      }
    }
    for (const t of wanted) if (!this.#attached.has(t)) this.#attach(t);
    // Ended playback: inactive (inaudible) after having been active (audible).
    const nowLive = this.#isLive();
    if (nowLive !== this.#live) {
      this.#live = nowLive;
      if (nowLive) this.#host.restarted();
      else this.#host.endOfMedia();
    }
  }

  #attach(track: Track): void {
    const detach = attachSink(track, {
      media: (media) => ('codedWidth' in media ? this.#frame(media as VideoFrame) : this.#audio(media as AudioData)),
      ended: () => this.#update(),
    });
    this.#attached.set(track, detach);
  }

  /** Metadata comes with the first frame of a `<video>` that has a video track, else with the first audio. */
  #ensureMetadata(width?: number, height?: number): void {
    if (this.#metadata) return;
    this.#metadata = true;
    const tracks = [...this.#stream.trackSet];
    this.#host.metadata({
      duration: Infinity,
      hasVideo: tracks.some((t) => t.kind === 'video' && t.readyState === 'live'),
      hasAudio: tracks.some((t) => t.kind === 'audio' && t.readyState === 'live'),
      ...(width !== undefined && height !== undefined ? { width, height } : {}),
    });
  }

  #frame(frame: VideoFrame): void {
    if (this.#closed) return frame.close();
    this.#ensureMetadata(frame.displayWidth, frame.displayHeight);
    this.#host.frame(frame);
    this.#enoughNow();
  }

  #audio(data: AudioData): void {
    if (this.#closed) return data.close();
    const waitsForVideo = this.#isVideo && [...this.#attached.keys()].some((t) => t.kind === 'video');
    if (!this.#metadata && waitsForVideo) return data.close();
    this.#ensureMetadata();
    this.#host.audio(data);
    this.#enoughNow();
  }

  /** "The User Agent MUST always play the current data from the MediaStream and MUST NOT buffer": enough data at once. */
  #enoughNow(): void {
    if (this.#enough) return;
    this.#enough = true;
    this.#host.enoughData();
  }
}
