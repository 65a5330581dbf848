/**
 * setSinkId() (Audio Output Devices API, https://w3c.github.io/mediacapture-output/#dom-htmlmediaelement-setsinkid):
 * chooses the audio output device of a media element among the `audiooutput` devices that
 * enumerateDevices() lists to this document.
 *
 * Decision: the element's audio is consumed and counted (getVideoPlaybackQuality, captureStream)
 * but not played to a speaker, whatever the sink: a test run must not make sound, and Node has no
 * audio output of its own. `sinkId` still follows the spec, so code that picks an output works.
 */
import { notFound } from '../../platform/errors.js';
import { queueTask } from '../../platform/tasks.js';
import type { MediaElementState } from './media-element.js';

/** The device ids of the `audiooutput` devices enumerateDevices() gives this document now. */
export type AudioOutputIds = () => Promise<readonly string[]>;

/** setSinkId(sinkId) steps 5–7 (the caller converts the argument and makes the promise). */
export function setSinkId(state: MediaElementState, sinkId: string, audioOutputIds: AudioOutputIds): Promise<void> {
  // 5. If sinkId is equal to element's [[SinkId]], return a promise resolved with undefined.
  if (sinkId === state.sinkId) return Promise.resolve();
  // 6.–7. In parallel:
  return audioOutputIds().then(
    (ids) =>
      new Promise<void>((resolve, reject) => {
        // 7.1. If sinkId is not "" and matches no audio output device enumerateDevices() would
        //      list, reject with NotFoundError. (7.2: a device script may not use is not listed,
        //      so it is not found either: enumerateDevices lists outputs only when microphone
        //      information can be exposed.)
        if (sinkId !== '' && !ids.includes(sinkId)) {
          reject(notFound(`No audio output device has the id "${sinkId}" (see navigator.mediaDevices.enumerateDevices()).`));
          return;
        }
        // 7.3.–7.4. Switch the output (nothing plays to a speaker; see above).
        // 7.5. Queue a task: set [[SinkId]] unless it is that already, and resolve.
        queueTask(() => {
          state.sinkId = sinkId;
          resolve();
        });
      }),
  );
}
