import { PlatformEvent } from '../realm/current.js';
import { illegalInvocation } from '../platform/errors.js';
import { exposeInterface } from '../platform/interface.js';
import { converters } from '../webidl/index.js';
import type { BlobEventInit } from '../webidl/recording.js';

export type { BlobEventInit };

/** The `dataavailable` event (MediaStream Recording §3): a Blob of recorded data. */
export class BlobEvent extends PlatformEvent {
  #data: Blob;
  #timecode: number;

  constructor(type: string, eventInitDict: BlobEventInit) {
    const context = "Failed to construct 'BlobEvent'";
    if (arguments.length < 2) throw new TypeError(`${context}: 2 arguments required, but only ${arguments.length} present.`);
    const t = converters.DOMString(type, `${context}: type`);
    const { data, timecode, ...eventInit } = converters.BlobEventInit(eventInitDict, `${context}: eventInitDict`);
    super(t, eventInit);
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
