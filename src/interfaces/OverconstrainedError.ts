import { toDOMString } from '../webidl/converters.js';
import { exposeInterface } from '../platform/interface.js';

/**
 * OverconstrainedError (mediacapture-main §7.1): a DOMException named "OverconstrainedError" that
 * carries the name of the constraint that could not be satisfied.
 */
export class OverconstrainedError extends DOMException {
  #constraint: string;

  constructor(constraint: string, message: string = '') {
    // 1.–2.
    const c = toDOMString(constraint, 'OverconstrainedError constructor: argument 1');
    const m = message === undefined ? '' : toDOMString(message, 'OverconstrainedError constructor: argument 2');
    // 3.–4. name "OverconstrainedError" (legacy code 0).
    super(m, 'OverconstrainedError');
    // 5.
    this.#constraint = c;
  }

  /** The name of the constraint that failed, or "" if none is revealed. */
  get constraint(): string {
    if (!(#constraint in this)) throw new TypeError('Illegal invocation: OverconstrainedError.constraint read on a wrong object');
    return this.#constraint;
  }
}
exposeInterface(OverconstrainedError);

/** Builds the error getUserMedia and applyConstraints reject with, with a message a person can act on. */
export function overconstrained(constraint: string, detail?: string): OverconstrainedError {
  const what = constraint ? `the constraint "${constraint}" cannot be satisfied by any device setting` : 'the constraints cannot be satisfied';
  return new OverconstrainedError(constraint, detail ? `${what}: ${detail}` : `${what}. Relax it or make it "ideal" instead of "exact"/"min"/"max".`);
}
