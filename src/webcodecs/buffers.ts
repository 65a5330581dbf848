/**
 * The `transfer` list of `AudioDataInit` / `VideoFrameBufferInit`: the constructors'
 * "DataCloneError" and "DetachArrayBuffer" steps. (The buffer types' conversions are in
 * src/webidl/buffer-source.ts.)
 */
import { dataCloneError } from '../platform/errors.js';
import { isDetached } from '../webidl/buffer-source.js';

/** The ArrayBuffer (never a SharedArrayBuffer) behind a buffer source, if any. */
export function arrayBufferOf(value: unknown): ArrayBuffer | undefined {
  if (value instanceof ArrayBuffer) return value;
  if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) return value.buffer;
  return undefined;
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
