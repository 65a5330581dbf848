/**
 * Moving tracks and frames between worker threads: the explicit form of the transfers browsers
 * do with `postMessage(value, [value])`. Each `serialize*` returns `{ data, transfer }` for
 * `postMessage(data, transfer)`; the receiving thread calls the matching `deserialize*`.
 *
 * @example
 * // main thread
 * const { data, transfer } = serializeTrack(track);
 * worker.postMessage({ track: data }, transfer);
 * // worker
 * parentPort.once('message', ({ track: data }) => {
 *   const track = deserializeTrack(data);
 *   const { readable } = new MediaStreamTrackProcessor({ track });
 * });
 */
import { trackTransferReceivingSteps, trackTransferSteps, type SerializedTrack } from '../transfer/track.js';
import type { TransferRecord } from '../transfer/frame.js';
import { createMediaStreamTrack, mediaStreamTrackOf, trackOf, type MediaStreamTrack } from './MediaStreamTrack.js';

export type { SerializedTrack } from '../transfer/track.js';
export {
  serializeVideoFrame,
  deserializeVideoFrame,
  serializeAudioData,
  deserializeAudioData,
  type SerializedVideoFrame,
  type SerializedAudioData,
  type TransferRecord,
} from '../transfer/frame.js';

/**
 * The MediaStreamTrack transfer steps (https://w3c.github.io/mediacapture-extensions/#transferable-mediastreamtrack).
 * Afterwards `track` is ended (no `ended` event) and cannot be transferred again; its source keeps
 * running for the receiving thread. Throws a TypeError for something that is not one of our
 * tracks and a DataCloneError DOMException for a track that was transferred already.
 */
export function serializeTrack(track: MediaStreamTrack): TransferRecord<SerializedTrack> {
  const t = trackOf(track);
  if (!t) throw new TypeError('serializeTrack: the argument is not a MediaStreamTrack of this implementation.');
  return trackTransferSteps(t, { createMediaStreamTrack });
}

/**
 * The MediaStreamTrack transfer-receiving steps: a live MediaStreamTrack in this thread whose media
 * comes from the source in the thread `data` was serialized in. Each `data` can be received once.
 */
export function deserializeTrack(data: SerializedTrack): MediaStreamTrack {
  if (data?.type !== 'MediaStreamTrack') throw new TypeError('deserializeTrack: the argument is not a serialized MediaStreamTrack.');
  return mediaStreamTrackOf(trackTransferReceivingSteps(data, { createMediaStreamTrack }));
}
