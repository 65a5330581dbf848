import { freeResident, residentBytes } from './kernels/wasm.js';

/**
 * Reuses frame-sized byte buffers: a frame's media resource gives its bytes back here when the
 * last VideoFrame referencing them is closed, so steady capture allocates nothing per frame.
 *
 * Video pools take their buffers in the pixel kernels' memory where they can (`residentBytes`):
 * the kernels then convert and scale those frames in place, with no copy in or out. Those
 * buffers lie on a SharedArrayBuffer, so they also serve where `shared` is asked for.
 */
export class BufferPool {
  readonly #free: Uint8Array[] = [];
  readonly #size: number;
  readonly #limit: number;
  readonly #shared: boolean;
  readonly #resident: boolean;

  /**
   * @param shared buffers on SharedArrayBuffers, which another thread can read and write in place
   *   (the scaling thread: src/media/adapt/scaler-thread.ts).
   * @param resident buffers in the pixel kernels' memory where it has room (pixels: frames that
   *   will be converted or scaled).
   */
  constructor(size: number, { limit = 8, shared = false, resident = false }: { limit?: number; shared?: boolean; resident?: boolean } = {}) {
    this.#size = size;
    this.#limit = limit;
    this.#shared = shared;
    this.#resident = resident;
  }

  get size(): number {
    return this.#size;
  }

  get shared(): boolean {
    return this.#shared;
  }

  take(): Uint8Array {
    const free = this.#free.pop();
    if (free) return free;
    const resident = this.#resident ? residentBytes(this.#size) : null;
    if (resident) return resident;
    return this.#shared ? new Uint8Array(new SharedArrayBuffer(this.#size)) : new Uint8Array(this.#size);
  }

  /** Gives a buffer back (bound, so it can be passed as a `release` callback). */
  readonly give = (buffer: Uint8Array): void => {
    if (buffer.byteLength === this.#size && this.#free.length < this.#limit) this.#free.push(buffer);
    else freeResident(buffer);
  };
}
