import { generatorForKind, type TrackGenerator } from '../algorithms/transform/generator.js';
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

  /**
   * `new MediaStreamTrackGenerator({ kind })`, or Chrome's older `new MediaStreamTrackGenerator(kind)`
   * (Chrome keeps both overloads; the tests of the 2021 draft use both). Throws a TypeError unless
   * the kind is "audio" or "video".
   */
  constructor(init: MediaStreamTrackGeneratorInit | string) {
    const context = "Failed to construct 'MediaStreamTrackGenerator'";
    if (arguments.length < 1) throw new TypeError(`${context}: 1 argument required, but only 0 present.`);
    // WebIDL overload resolution between (DOMString kind) and (MediaStreamTrackGeneratorInit init):
    // an object (or undefined, null) is the dictionary; anything else converts to a string.
    const kind = typeof init === 'object' || init === undefined ? converters.MediaStreamTrackGeneratorInit(init, `${context}: init`).kind : converters.DOMString(init, `${context}: kind`);
    const generator = generatorForKind(kind, context);
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
