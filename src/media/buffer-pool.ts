/**
 * Reuses frame-sized byte buffers: a frame's media resource gives its bytes back here when the
 * last VideoFrame referencing them is closed, so steady capture allocates nothing per frame.
 */
export class BufferPool {
  readonly #free: Uint8Array[] = [];
  readonly #size: number;
  readonly #limit: number;

  constructor(size: number, limit = 8) {
    this.#size = size;
    this.#limit = limit;
  }

  get size(): number {
    return this.#size;
  }

  take(): Uint8Array {
    return this.#free.pop() ?? new Uint8Array(this.#size);
  }

  /** Gives a buffer back (bound, so it can be passed as a `release` callback). */
  readonly give = (buffer: Uint8Array): void => {
    if (buffer.byteLength === this.#size && this.#free.length < this.#limit) this.#free.push(buffer);
  };
}
