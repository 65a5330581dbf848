/**
 * Reuses frame-sized byte buffers: a frame's media resource gives its bytes back here when the
 * last VideoFrame referencing them is closed, so steady capture allocates nothing per frame.
 */
export class BufferPool {
  readonly #free: Uint8Array[] = [];
  readonly #size: number;
  readonly #limit: number;
  readonly #shared: boolean;

  /**
   * @param shared buffers on SharedArrayBuffers, which another thread can read and write in place
   *   (the scaling thread: src/media/adapt/scaler-thread.ts).
   */
  constructor(size: number, { limit = 8, shared = false }: { limit?: number; shared?: boolean } = {}) {
    this.#size = size;
    this.#limit = limit;
    this.#shared = shared;
  }

  get size(): number {
    return this.#size;
  }

  get shared(): boolean {
    return this.#shared;
  }

  take(): Uint8Array {
    return this.#free.pop() ?? (this.#shared ? new Uint8Array(new SharedArrayBuffer(this.#size)) : new Uint8Array(this.#size));
  }

  /** Gives a buffer back (bound, so it can be passed as a `release` callback). */
  readonly give = (buffer: Uint8Array): void => {
    if (buffer.byteLength === this.#size && this.#free.length < this.#limit) this.#free.push(buffer);
  };
}
