import { toMediaStreamTrackProcessorInit } from '../algorithms/transform/dictionaries.js';
import { TrackProcessor } from '../algorithms/transform/processor.js';
import { illegalInvocation } from '../platform/errors.js';
import { exposeInterface } from '../platform/interface.js';
import { trackOf, type MediaStreamTrack } from './MediaStreamTrack.js';

/** `MediaStreamTrackProcessorInit`: the same dictionary in the current draft and in Chrome's 2021 one. */
export interface MediaStreamTrackProcessorInit {
  /** The track to read. It must be live. */
  track: MediaStreamTrack;
  /**
   * How many frames (or AudioData chunks) to hold while the reader is behind; when full, the
   * oldest is closed and dropped. Default 1 for video (the current draft), 10 for audio.
   */
  maxBufferSize?: number;
}

/**
 * MediaStreamTrackProcessor (mediacapture-transform §2.1): a track's media as a `ReadableStream`
 * of `VideoFrame` (video) or `AudioData` (audio) objects. The reader owns each chunk it reads and
 * must `close()` it. Cancelling the stream disconnects the processor; the track ending closes it.
 *
 * @example
 * const { readable } = new MediaStreamTrackProcessor({ track });
 * for await (const frame of readable) { use(frame); frame.close(); }
 */
export class MediaStreamTrackProcessor {
  #processor: TrackProcessor;

  /** Throws a TypeError when `init.track` is missing, not a MediaStreamTrack, or ended, or `maxBufferSize` is out of range. */
  constructor(init: MediaStreamTrackProcessorInit) {
    const context = "Failed to construct 'MediaStreamTrackProcessor'";
    if (arguments.length < 1) throw new TypeError(`${context}: 1 argument required, but only 0 present.`);
    this.#processor = new TrackProcessor(toMediaStreamTrackProcessorInit(init, `${context}: init`, trackOf));
  }

  /** The frames of the track. The same stream every time it is read. */
  get readable(): ReadableStream {
    if (!(#processor in this)) throw illegalInvocation('MediaStreamTrackProcessor', 'readable');
    return this.#processor.readable;
  }
}
exposeInterface(MediaStreamTrackProcessor);
