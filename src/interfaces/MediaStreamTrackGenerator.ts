import { TrackGenerator } from '../algorithms/transform/generator.js';
import { illegalInvocation } from '../platform/errors.js';
import { INTERNAL, exposeInterface } from '../platform/interface.js';
import { converters } from '../webidl/index.js';
import type { MediaStreamTrackGeneratorInit } from '../webidl/transform.js';
import { MediaStreamTrack } from './MediaStreamTrack.js';

export type { MediaStreamTrackGeneratorInit };

/**
 * MediaStreamTrackGenerator, as Chrome ships it (mediacapture-transform-2021-mstg §2.2): a
 * MediaStreamTrack whose media is the `VideoFrame`s (kind "video") or `AudioData` (kind "audio")
 * written to `writable`. Each written chunk is closed. `clone()` gives plain MediaStreamTracks of
 * the same source. Closing or aborting `writable` ends every track; when every track has ended,
 * writes reject.
 */
export class MediaStreamTrackGenerator extends MediaStreamTrack {
  #generator: TrackGenerator;

  /** Throws a TypeError unless `init.kind` is "audio" or "video". */
  constructor(init: MediaStreamTrackGeneratorInit) {
    const context = "Failed to construct 'MediaStreamTrackGenerator'";
    if (arguments.length < 1) throw new TypeError(`${context}: 1 argument required, but only 0 present.`);
    const { kind } = converters.MediaStreamTrackGeneratorInit(init, `${context}: init`);
    // 1. If init.kind is not "audio" or "video", throw a TypeError.
    if (kind !== 'audio' && kind !== 'video') throw new TypeError(`${context}: kind must be "audio" or "video", not "${kind}".`);
    // 2.–3. Let g be a new MediaStreamTrackGenerator whose kind is init.kind (its source's kind).
    const generator = new TrackGenerator(kind, 'MediaStreamTrackGenerator');
    super(INTERNAL, generator.trackInit());
    this.#generator = generator;
    // 4. Return g.
  }

  /** Where to write frames. Made on first access. */
  get writable(): WritableStream {
    if (!(#generator in this)) throw illegalInvocation('MediaStreamTrackGenerator', 'writable');
    return this.#generator.writable;
  }
}
exposeInterface(MediaStreamTrackGenerator);
