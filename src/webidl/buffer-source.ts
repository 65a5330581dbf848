/**
 * Buffer types (https://webidl.spec.whatwg.org/#js-buffer-source-types): `ArrayBuffer`,
 * `BufferSource` and `AllowSharedBufferSource`.
 */
import { typeError, type Converter } from './converters.js';

function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  return typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer;
}

/** IsDetachedBuffer, on Node 20 too (which has no `ArrayBuffer#detached` yet). */
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

/** `ArrayBuffer`: an ArrayBuffer, never a SharedArrayBuffer or a view. */
export const toArrayBuffer: Converter<ArrayBuffer> = (value, context) => {
  if (!(value instanceof ArrayBuffer)) throw typeError(context, 'is not an ArrayBuffer (SharedArrayBuffers and views cannot be transferred).');
  return value;
};

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

/** An IDL `BufferSource` or `AllowSharedBufferSource` value: a reference to the buffer or view itself. */
export type BufferSourceValue = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** `BufferSource`: the buffer or view itself, once checked ({@link toBufferSourceBytes} gives its bytes). */
export const toBufferSource: Converter<BufferSourceValue> = (value, context) => {
  toBufferSourceBytes(value, context, false);
  return value as BufferSourceValue;
};

/** `AllowSharedBufferSource`: the buffer or view itself, once checked. */
export const toAllowSharedBufferSource: Converter<BufferSourceValue> = (value, context) => {
  toBufferSourceBytes(value, context, true);
  return value as BufferSourceValue;
};
