import { TrackGenerator } from '../algorithms/transform/generator.js';
import { illegalInvocation } from '../platform/errors.js';
import { INTERNAL, exposeInterface } from '../platform/interface.js';
import { converters } from '../webidl/index.js';
import { MediaStreamTrack } from './MediaStreamTrack.js';

/**
 * VideoTrackGenerator (mediacapture-transform §2.2): a video track made from the `VideoFrame`s
 * written to `writable`. Each written frame is closed. The track goes anywhere a camera track
 * goes: clones, applyConstraints (crop-and-scale, frame rate), processors, recorders.
 * Closing or aborting `writable` ends every track; when every track has ended, writes reject.
 *
 * @example
 * const generator = new VideoTrackGenerator();
 * const stream = new MediaStream([generator.track]);
 * await readable.pipeThrough(transformer).pipeTo(generator.writable);
 */
export class VideoTrackGenerator {
  #generator: TrackGenerator;
  #track: MediaStreamTrack;

  constructor() {
    // 1. Let generator be a new VideoTrackGenerator object.
    this.#generator = new TrackGenerator('video', 'VideoTrackGenerator');
    // 2. Let track be a newly created MediaStreamTrack with source set to generator and
    //    tieSourceToContext set to false.
    // 3. Initialize generator.track to track.
    this.#track = new MediaStreamTrack(INTERNAL, this.#generator.trackInit());
    // 4. Return generator.
  }

  /** Where to write `VideoFrame`s. Made on first access. */
  get writable(): WritableStream {
    if (!(#generator in this)) throw illegalInvocation('VideoTrackGenerator', 'writable');
    return this.#generator.writable;
  }

  /** Whether the generator and every track it sources are muted; muted, written frames are dropped. */
  get muted(): boolean {
    if (!(#generator in this)) throw illegalInvocation('VideoTrackGenerator', 'muted');
    return this.#generator.muted;
  }

  set muted(value: boolean) {
    if (!(#generator in this)) throw illegalInvocation('VideoTrackGenerator', 'muted');
    this.#generator.setMuted(converters.boolean(value));
  }

  /** The track the written frames become. */
  get track(): MediaStreamTrack {
    if (!(#track in this)) throw illegalInvocation('VideoTrackGenerator', 'track');
    return this.#track;
  }
}
exposeInterface(VideoTrackGenerator);
