/**
 * Moving tracks and frames between worker threads: the explicit form of the transfers browsers
 * do with `postMessage(value, [value])`. Each `serialize*` returns `{ data, transfer }` for
 * `postMessage(data, transfer)`; the receiving thread calls the matching `deserialize*`.
 */
export { serializeTrack, deserializeTrack, type SerializedTrack } from './track.js';
export {
  serializeVideoFrame,
  deserializeVideoFrame,
  serializeAudioData,
  deserializeAudioData,
  type SerializedVideoFrame,
  type SerializedAudioData,
  type TransferRecord,
} from './frame.js';
