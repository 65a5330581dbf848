import { illegalInvocation } from '../platform/errors.js';
import type { EventInit } from '../platform/events.js';
import { exposeInterface } from '../platform/interface.js';
import { dictionaryObject, toBoolean, toDOMString, toDouble } from '../webidl/converters.js';

/** BlobEventInit (MediaStream Recording §3.3): EventInit plus the required `data` and `timecode`. */
export interface BlobEventInit extends EventInit {
  data: Blob;
  timecode?: number;
}

/** The `dataavailable` event (MediaStream Recording §3): a Blob of recorded data. */
export class BlobEvent extends Event {
  #data: Blob;
  #timecode: number;

  constructor(type: string, eventInitDict: BlobEventInit) {
    if (arguments.length < 2) throw new TypeError(`Failed to construct 'BlobEvent': 2 arguments required, but only ${arguments.length} present.`);
    const t = toDOMString(type, "Failed to construct 'BlobEvent': argument 1");
    const init = dictionaryObject(eventInitDict, "Failed to construct 'BlobEvent': argument 2");
    // Inherited members (bubbles, cancelable, composed), then own members in order (data, timecode).
    const bubbles = toBoolean(init?.bubbles);
    const cancelable = toBoolean(init?.cancelable);
    const composed = toBoolean(init?.composed);
    const data = init?.data;
    if (data === undefined) throw new TypeError("Failed to construct 'BlobEvent': member data is required in BlobEventInit.");
    if (!(data instanceof Blob)) throw new TypeError("Failed to construct 'BlobEvent': member data is not of type Blob.");
    const rawTimecode = init?.timecode;
    // DOMHighResTimeStamp is a double; an absent member reads as 0, as browsers do.
    const timecode = rawTimecode === undefined ? 0 : toDouble(rawTimecode, "Failed to construct 'BlobEvent': member timecode");
    super(t, { bubbles, cancelable, composed });
    this.#data = data;
    this.#timecode = timecode;
  }

  /** The encoded data; its `type` is the recording's MIME type. */
  get data(): Blob {
    if (!(#data in this)) throw illegalInvocation('BlobEvent', 'data');
    return this.#data;
  }

  /** Milliseconds from the recorder's first data to the first data in this blob (§3.2). */
  get timecode(): number {
    if (!(#timecode in this)) throw illegalInvocation('BlobEvent', 'timecode');
    return this.#timecode;
  }
}
exposeInterface(BlobEvent);
