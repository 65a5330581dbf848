/**
 * HTML's ErrorEvent (https://html.spec.whatwg.org/multipage/webappapis.html#errorevent), which
 * MediaRecorder fires ("fire an error event means to fire an event using ErrorEvent as
 * eventConstructor", MediaStream Recording §4.2). Node has no global ErrorEvent; a host that has
 * one (a browser-like window) gets its own used instead (src/algorithms/recorder/events.ts).
 */
import { PlatformEvent } from '../realm/current.js';
import { illegalInvocation } from '../platform/errors.js';
import { exposeInterface } from '../platform/interface.js';
import { converters } from '../webidl/index.js';
import type { ErrorEventInit } from '../webidl/events.js';

export type { ErrorEventInit };

/** HTML's ErrorEvent: `message`, `filename`, `lineno`, `colno` and `error`. */
export class ErrorEvent extends PlatformEvent {
  #message: string;
  #filename: string;
  #lineno: number;
  #colno: number;
  #error: unknown;

  constructor(type: string, eventInitDict: ErrorEventInit = {}) {
    const context = "Failed to construct 'ErrorEvent'";
    if (arguments.length < 1) throw new TypeError(`${context}: 1 argument required, but only 0 present.`);
    const t = converters.DOMString(type, `${context}: type`);
    const { colno, error, filename, lineno, message, ...eventInit } = converters.ErrorEventInit(eventInitDict, `${context}: eventInitDict`);
    super(t, eventInit);
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
