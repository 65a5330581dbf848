/**
 * HTML's ErrorEvent, which MediaRecorder fires ("fire an error event means to fire an event using
 * ErrorEvent as eventConstructor", MediaStream Recording §4.2). Node has no global ErrorEvent; a
 * host that has one (a browser-like window) gets its own used instead.
 */
import { illegalInvocation } from '../../platform/errors.js';
import type { EventInit } from '../../platform/events.js';
import { exposeInterface } from '../../platform/interface.js';
import { dictionaryObject, toBoolean, toDOMString, toUnsignedLong } from '../../webidl/converters.js';

/** ErrorEventInit (HTML). */
export interface ErrorEventInit extends EventInit {
  message?: string;
  filename?: string;
  lineno?: number;
  colno?: number;
  error?: unknown;
}

/** HTML's ErrorEvent: `message`, `filename`, `lineno`, `colno` and `error`. */
export class ErrorEvent extends Event {
  #message: string;
  #filename: string;
  #lineno: number;
  #colno: number;
  #error: unknown;

  constructor(type: string, eventInitDict: ErrorEventInit = {}) {
    if (arguments.length < 1) throw new TypeError("Failed to construct 'ErrorEvent': 1 argument required, but only 0 present.");
    const t = toDOMString(type, "Failed to construct 'ErrorEvent': argument 1");
    const init = dictionaryObject(eventInitDict, "Failed to construct 'ErrorEvent': argument 2");
    const ctx = (m: string) => `Failed to construct 'ErrorEvent': member ${m}`;
    const bubbles = toBoolean(init?.bubbles);
    const cancelable = toBoolean(init?.cancelable);
    const composed = toBoolean(init?.composed);
    const colno = init?.colno === undefined ? 0 : toUnsignedLong(init.colno, ctx('colno'));
    const error = init?.error === undefined ? null : init.error;
    const filename = init?.filename === undefined ? '' : toDOMString(init.filename, ctx('filename'));
    const lineno = init?.lineno === undefined ? 0 : toUnsignedLong(init.lineno, ctx('lineno'));
    const message = init?.message === undefined ? '' : toDOMString(init.message, ctx('message'));
    super(t, { bubbles, cancelable, composed });
    this.#message = message;
    this.#filename = filename;
    this.#lineno = lineno;
    this.#colno = colno;
    this.#error = error;
  }

  get message(): string {
    if (!(#message in this)) throw illegalInvocation('ErrorEvent', 'message');
    return this.#message;
  }
  get filename(): string {
    if (!(#filename in this)) throw illegalInvocation('ErrorEvent', 'filename');
    return this.#filename;
  }
  get lineno(): number {
    if (!(#lineno in this)) throw illegalInvocation('ErrorEvent', 'lineno');
    return this.#lineno;
  }
  get colno(): number {
    if (!(#colno in this)) throw illegalInvocation('ErrorEvent', 'colno');
    return this.#colno;
  }
  /** The DOMException that describes the error. */
  get error(): unknown {
    if (!(#error in this)) throw illegalInvocation('ErrorEvent', 'error');
    return this.#error;
  }
}
exposeInterface(ErrorEvent);

/**
 * "Fire an error event named N at recorder" (§4.2): an `error` event whose `error` is a
 * DOMException named N (NotSupportedError, SecurityError, InvalidModificationError, UnknownError).
 */
export function recorderErrorEvent(error: DOMException): Event {
  const Ctor = (globalThis as { ErrorEvent?: typeof ErrorEvent }).ErrorEvent ?? ErrorEvent;
  return new Ctor('error', { message: error.message, error });
}
