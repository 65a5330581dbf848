/**
 * The errors of the specs: DOMException with the names they use, and OverconstrainedError
 * (https://w3c.github.io/mediacapture-main/#overconstrainederror-interface §7.1), a DOMException
 * that the algorithms throw (so it lives here, below them, rather than among the IDL classes).
 * Messages say what was wrong and, where it helps, what to do about it.
 */
import { toDOMString } from '../webidl/converters.js';
import { PlatformDOMException } from '../realm/current.js';
import { registerTranslation } from '../realm/realm.js';
import { exposeInterface } from './interface.js';

export type DOMExceptionName =
  | 'AbortError'
  | 'DataCloneError'
  | 'IndexSizeError'
  | 'InvalidAccessError'
  | 'InvalidModificationError'
  | 'InvalidStateError'
  | 'NotAllowedError'
  | 'NotFoundError'
  | 'NotReadableError'
  | 'NotSupportedError'
  | 'OperationError'
  | 'SecurityError'
  | 'UnknownError'
  | 'DataError'
  | 'EncodingError'
  | 'QuotaExceededError';

/**
 * A DOMException named `name`: the current realm's (current.ts), so that one made for an event
 * in a window's realm (MediaRecorder's `error`) is that window's; others are translated where
 * they reach script (realm.ts).
 */
export function domException(name: DOMExceptionName, message: string): DOMException {
  return Reflect.construct(PlatformDOMException, [message, name]) as DOMException;
}

export const notAllowed = (message: string) => domException('NotAllowedError', message);
export const notFound = (message: string) => domException('NotFoundError', message);
export const notReadable = (message: string) => domException('NotReadableError', message);
export const notSupported = (message: string) => domException('NotSupportedError', message);
export const invalidState = (message: string) => domException('InvalidStateError', message);
export const abortError = (message: string) => domException('AbortError', message);
export const securityError = (message: string) => domException('SecurityError', message);
export const dataCloneError = (message: string) => domException('DataCloneError', message);

/** The TypeError a WebIDL operation throws when called on an object of the wrong interface. */
export function illegalInvocation(interfaceName: string, member: string): TypeError {
  return new TypeError(`Illegal invocation: ${interfaceName}.${member} was called on an object that is not a ${interfaceName}`);
}

/** The TypeError thrown by `new X()` for interfaces without a constructor. */
export function illegalConstructor(interfaceName: string): TypeError {
  return new TypeError(`Illegal constructor: ${interfaceName} cannot be constructed by script`);
}

/**
 * OverconstrainedError (mediacapture-main §7.1): a DOMException named "OverconstrainedError" that
 * carries the name of the constraint that could not be satisfied.
 */
export class OverconstrainedError extends PlatformDOMException {
  #constraint: string;

  constructor(constraint: string, message: string = '') {
    // 1.–2.
    const c = toDOMString(constraint, "Failed to construct 'OverconstrainedError': constraint");
    const m = message === undefined ? '' : toDOMString(message, "Failed to construct 'OverconstrainedError': message");
    // 3.–4. name "OverconstrainedError" (legacy code 0).
    super(m, 'OverconstrainedError');
    // 5.
    this.#constraint = c;
  }

  /** The name of the constraint that failed, or "" if none is revealed. */
  get constraint(): string {
    if (!(#constraint in this)) throw illegalInvocation('OverconstrainedError', 'constraint');
    return this.#constraint;
  }
}
exposeInterface(OverconstrainedError);
// Algorithms reject with an OverconstrainedError before anyone knows which realm will see it; the
// window's copy of the interface gets an equal one, made there.
registerTranslation(OverconstrainedError, (error, realm) => realm.run(() => new OverconstrainedError(error.constraint, error.message)));

/** Builds the error getUserMedia and applyConstraints reject with, with a message a person can act on. */
export function overconstrained(constraint: string, detail?: string): OverconstrainedError {
  const what = constraint ? `the constraint "${constraint}" cannot be satisfied by any device setting` : 'the constraints cannot be satisfied';
  return new OverconstrainedError(constraint, detail ? `${what}: ${detail}` : `${what}. Relax it or make it "ideal" instead of "exact"/"min"/"max".`);
}
