/**
 * MediaError (https://html.spec.whatwg.org/multipage/media.html#mediaerror): what the `error`
 * attribute of a media element holds after a failure. Installed as the window's `MediaError`
 * where it has none (jsdom has none).
 */
import { illegalConstructor } from '../../platform/errors.js';
import { INTERNAL, exposeInterface } from '../../platform/interface.js';

/** MEDIA_ERR_ABORTED (1), MEDIA_ERR_NETWORK (2), MEDIA_ERR_DECODE (3), MEDIA_ERR_SRC_NOT_SUPPORTED (4). */
export type MediaErrorCode = 1 | 2 | 3 | 4;

export class MediaError {
  static readonly MEDIA_ERR_ABORTED = 1;
  static readonly MEDIA_ERR_NETWORK = 2;
  static readonly MEDIA_ERR_DECODE = 3;
  static readonly MEDIA_ERR_SRC_NOT_SUPPORTED = 4;
  declare readonly MEDIA_ERR_ABORTED: 1;
  declare readonly MEDIA_ERR_NETWORK: 2;
  declare readonly MEDIA_ERR_DECODE: 3;
  declare readonly MEDIA_ERR_SRC_NOT_SUPPORTED: 4;

  readonly #code: MediaErrorCode;
  readonly #message: string;

  /** Made by the media element only: script gets "Illegal constructor". */
  constructor(token: typeof INTERNAL, code: MediaErrorCode, message: string) {
    if (token !== INTERNAL) throw illegalConstructor('MediaError');
    this.#code = code;
    this.#message = message;
  }

  /** The kind of error: one of the MEDIA_ERR_* constants. */
  get code(): number {
    if (!(#code in this)) throw new TypeError('Illegal invocation: MediaError.code');
    return this.#code;
  }

  /** A human-readable description of what went wrong (from ffmpeg or the loader). */
  get message(): string {
    if (!(#message in this)) throw new TypeError('Illegal invocation: MediaError.message');
    return this.#message;
  }
}
for (const [name, value] of [['MEDIA_ERR_ABORTED', 1], ['MEDIA_ERR_NETWORK', 2], ['MEDIA_ERR_DECODE', 3], ['MEDIA_ERR_SRC_NOT_SUPPORTED', 4]] as const) {
  Object.defineProperty(MediaError.prototype, name, { value, enumerable: true });
}
exposeInterface(MediaError);
