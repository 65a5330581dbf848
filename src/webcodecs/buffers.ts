/**
 * Buffer arguments of the WebCodecs raw media interfaces: `BufferSource` / `AllowSharedBufferSource`
 * conversion (WebIDL § 3.2.25-26) and the `transfer` list of `AudioDataInit` / `VideoFrameBufferInit`
 * (the constructors' "DataCloneError" and "DetachArrayBuffer" steps).
 */
import { typeError, toSequence } from '../webidl/converters.js';

/** A `DataCloneError` DOMException (not in the shared errors module's list of names). */
export function dataCloneError(message: string): DOMException {
  return new DOMException(message, 'DataCloneError');
}

function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  return typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer;
}

/**
 * `BufferSource` (shared: false) or `AllowSharedBufferSource` (shared: true), returned as a
 * `Uint8Array` view over the same bytes: nothing is copied. A detached buffer gives an empty view,
 * which the callers' size checks then reject.
 */
export function toBufferSourceBytes(value: unknown, context: string, shared: boolean): Uint8Array {
  if (value instanceof ArrayBuffer) return isDetached(value) ? new Uint8Array(0) : new Uint8Array(value);
  if (isSharedArrayBuffer(value)) {
    if (!shared) throw typeError(context, 'is a SharedArrayBuffer, which is not allowed here (BufferSource).');
    return new Uint8Array(value);
  }
  if (ArrayBuffer.isView(value)) {
    if (!shared && isSharedArrayBuffer(value.buffer)) {
      throw typeError(context, 'is a view on a SharedArrayBuffer, which is not allowed here (BufferSource).');
    }
    if (value.buffer instanceof ArrayBuffer && isDetached(value.buffer)) return new Uint8Array(0);
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  throw typeError(context, 'is not an ArrayBuffer or an ArrayBuffer view.');
}

/** The ArrayBuffer (never a SharedArrayBuffer) behind a buffer source, if any. */
export function arrayBufferOf(value: unknown): ArrayBuffer | undefined {
  if (value instanceof ArrayBuffer) return value;
  if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) return value.buffer;
  return undefined;
}

/** `[[ArrayBufferDetachKey]]`-free detach check that works on Node 20 (no `ArrayBuffer#detached` yet). */
export function isDetached(buffer: ArrayBuffer): boolean {
  const flag = (buffer as { detached?: unknown }).detached;
  if (typeof flag === 'boolean') return flag;
  if (buffer.byteLength > 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/** `sequence<ArrayBuffer>` for the `transfer` member. */
export function toTransferList(value: unknown, context: string): ArrayBuffer[] {
  return toSequence(value, context, (item, ctx) => {
    if (!(item instanceof ArrayBuffer)) throw typeError(ctx, 'is not an ArrayBuffer (SharedArrayBuffers and views cannot be transferred).');
    return item;
  });
}

/**
 * The constructors' transfer checks:
 * "If init.transfer contains more than one reference to the same ArrayBuffer, then throw a
 * DataCloneError DOMException. For each transferable in init.transfer: If [[Detached]] internal slot
 * is true, then throw a DataCloneError DOMException."
 */
export function checkTransferList(transfer: readonly ArrayBuffer[]): void {
  if (new Set(transfer).size !== transfer.length) {
    throw dataCloneError('init.transfer lists the same ArrayBuffer more than once.');
  }
  for (const buffer of transfer) {
    if (isDetached(buffer)) throw dataCloneError('init.transfer contains an ArrayBuffer that is already detached.');
  }
}

/**
 * DetachArrayBuffer (ECMA-262 § 25.1.3.5), keeping the memory: returns a new ArrayBuffer that owns
 * the bytes `buffer` had, and leaves `buffer` detached (byteLength 0). Nothing is copied: V8 moves the
 * backing store. Node 20 has no `ArrayBuffer#transfer`, so this falls back to a transferring
 * `structuredClone`, which does the same move.
 */
export function detachArrayBuffer(buffer: ArrayBuffer): ArrayBuffer {
  const transfer = (buffer as { transfer?: () => ArrayBuffer }).transfer;
  if (typeof transfer === 'function') return transfer.call(buffer);
  return structuredClone(buffer, { transfer: [buffer] });
}
