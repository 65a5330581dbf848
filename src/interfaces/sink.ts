/**
 * The track sink contract, for code that consumes a track's media without a stream in between:
 * a package module (media elements, Web Audio, RTP senders) or an application's own consumer.
 * Beyond the specs: browsers give script only MediaStreamTrackProcessor's ReadableStream.
 */
import { attachSink as attachTrackSink, type TrackSink } from '../algorithms/track/sink.js';
import { type MediaStreamTrack, trackOf } from './MediaStreamTrack.js';

export type { TrackSink };

/**
 * Attaches `sink` to `track`'s media: each frame or chunk of audio, adapted to the track's
 * settings (black or silent while it is disabled, nothing while it is muted), is handed to
 * `sink.media()`, which owns it and must close it; `sink.ended()` is called once when the track
 * ends. Returns the function that detaches the sink. The source runs while any sink is attached.
 *
 * @throws TypeError when `track` is not a MediaStreamTrack of this package.
 */
export function attachSink(track: MediaStreamTrack, sink: TrackSink): () => void {
  const model = trackOf(track);
  if (!model) throw new TypeError('attachSink: argument 1 is not a MediaStreamTrack.');
  if (typeof sink !== 'object' || sink === null || typeof sink.media !== 'function') {
    throw new TypeError('attachSink: argument 2 is not a sink (an object with a media(frame) method).');
  }
  return attachTrackSink(model, sink);
}
