/**
 * The event init dictionaries of DOM and HTML that this package's events build on: `EventInit`
 * (https://dom.spec.whatwg.org/#dictdef-eventinit) and `ErrorEventInit`
 * (https://html.spec.whatwg.org/multipage/webappapis.html#erroreventinit).
 */
import { toAny, toBoolean, toDOMString, toUnsignedLong, toUSVString } from './converters.js';
import { dictionary } from './dictionary.js';

/** `dictionary EventInit` as script passes it. */
export interface EventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
}

/** A converted `EventInit`: every member has its default. */
export interface ConvertedEventInit {
  bubbles: boolean;
  cancelable: boolean;
  composed: boolean;
}

/** `dictionary EventInit { boolean bubbles = false; boolean cancelable = false; boolean composed = false; }` */
export const EventInit = dictionary<ConvertedEventInit>('EventInit', {
  bubbles: { type: toBoolean, default: false },
  cancelable: { type: toBoolean, default: false },
  composed: { type: toBoolean, default: false },
});

/** `dictionary ErrorEventInit` (HTML) as script passes it. */
export interface ErrorEventInit extends EventInit {
  message?: string;
  filename?: string;
  lineno?: number;
  colno?: number;
  error?: unknown;
}

/** A converted `ErrorEventInit`. */
export interface ConvertedErrorEventInit extends ConvertedEventInit {
  colno: number;
  error: unknown;
  filename: string;
  lineno: number;
  message: string;
}

/**
 * `dictionary ErrorEventInit : EventInit { DOMString message = ""; USVString filename = "";
 * unsigned long lineno = 0; unsigned long colno = 0; any error; }`. An absent `error` is null, the
 * value of the attribute it initialises.
 */
export const ErrorEventInit = dictionary<ConvertedErrorEventInit, ConvertedEventInit>('ErrorEventInit', EventInit, {
  colno: { type: toUnsignedLong, default: 0 },
  error: { type: toAny, default: null },
  filename: { type: toUSVString, default: '' },
  lineno: { type: toUnsignedLong, default: 0 },
  message: { type: toDOMString, default: '' },
});
