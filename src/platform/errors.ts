/**
 * DOMException with the names the specs use. Messages say what was wrong and, where it helps,
 * what to do about it.
 */
export type DOMExceptionName =
  | 'AbortError'
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

export function domException(name: DOMExceptionName, message: string): DOMException {
  return new DOMException(message, name);
}

export const notAllowed = (message: string) => domException('NotAllowedError', message);
export const notFound = (message: string) => domException('NotFoundError', message);
export const notReadable = (message: string) => domException('NotReadableError', message);
export const notSupported = (message: string) => domException('NotSupportedError', message);
export const invalidState = (message: string) => domException('InvalidStateError', message);
export const abortError = (message: string) => domException('AbortError', message);
export const securityError = (message: string) => domException('SecurityError', message);

/** The TypeError a WebIDL operation throws when called on an object of the wrong interface. */
export function illegalInvocation(interfaceName: string, member: string): TypeError {
  return new TypeError(`Illegal invocation: ${interfaceName}.${member} was called on an object that is not a ${interfaceName}`);
}

/** The TypeError thrown by `new X()` for interfaces without a constructor. */
export function illegalConstructor(interfaceName: string): TypeError {
  return new TypeError(`Illegal constructor: ${interfaceName} cannot be constructed by script`);
}
