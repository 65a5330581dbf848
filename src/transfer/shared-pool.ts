/**
 * SharedArrayBuffer-backed byte buffers for frames sent to another thread: the sender copies a
 * frame's pixels into one once, the receiver reads them in place, and gives the buffer back by
 * message when its last VideoFrame is closed. Steady streaming of same-sized frames then
 * allocates nothing.
 */
export class SharedBufferPool {
  readonly #limit: number;
  #size = 0;
  #free: Uint8Array[] = [];

  /** @param limit how many free buffers to keep. */
  constructor(limit = 8) {
    this.#limit = limit;
  }

  /** A buffer of exactly `size` bytes on a SharedArrayBuffer. */
  take(size: number): Uint8Array {
    if (size !== this.#size) {
      // Frames changed size: the buffers of the old size will not be used again.
      this.#size = size;
      this.#free = [];
    }
    return this.#free.pop() ?? new Uint8Array(new SharedArrayBuffer(size));
  }

  /** Gives a buffer back for reuse. */
  give(buffer: Uint8Array): void {
    if (buffer.byteLength === this.#size && this.#free.length < this.#limit) this.#free.push(buffer);
  }
}
