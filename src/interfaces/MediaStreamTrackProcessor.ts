import { TrackProcessor } from '../algorithms/transform/processor.js';
import { illegalInvocation } from '../platform/errors.js';
import { exposeInterface } from '../platform/interface.js';
import { converters } from '../webidl/index.js';
import type { MediaStreamTrackProcessorInit } from '../webidl/transform.js';
import { trackOf } from './MediaStreamTrack.js';

export type { MediaStreamTrackProcessorInit };

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
    const { maxBufferSize, track } = converters.MediaStreamTrackProcessorInit(init, `${context}: init`);
    this.#processor = new TrackProcessor({ track: trackOf(track)!, ...(maxBufferSize === undefined ? {} : { maxBufferSize }) });
  }

  /** Frames the track delivered to this processor (a reader that keeps up reads them all). */
  get totalFrames(): number {
    if (!(#processor in this)) throw illegalInvocation('MediaStreamTrackProcessor', 'totalFrames');
    return this.#processor.totalFrames;
  }

  /** Frames dropped unread because the queue (`maxBufferSize`) was full: the reader fell behind. */
  get discardedFrames(): number {
    if (!(#processor in this)) throw illegalInvocation('MediaStreamTrackProcessor', 'discardedFrames');
    return this.#processor.discardedFrames;
  }

  /** The frames of the track. The same stream every time it is read. */
  get readable(): ReadableStream {
    if (!(#processor in this)) throw illegalInvocation('MediaStreamTrackProcessor', 'readable');
    return this.#processor.readable;
  }
}
exposeInterface(MediaStreamTrackProcessor);
