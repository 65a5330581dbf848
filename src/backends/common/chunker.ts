/**
 * Cuts a byte stream (a program's stdout) into units of a fixed size: one raw video frame, or one
 * chunk of raw audio. Each unit is written into a buffer taken from a pool, so steady capture
 * allocates nothing per frame; whoever receives a unit owns its buffer.
 */
export class ByteChunker {
  readonly unitSize: number;
  readonly #take: () => Uint8Array;
  readonly #onUnit: (unit: Uint8Array) => void;
  #current: Uint8Array | undefined;
  #filled = 0;

  /**
   * @param unitSize bytes in one unit (> 0)
   * @param take returns an empty buffer of at least `unitSize` bytes (a pool's `take`)
   * @param onUnit receives each complete unit, in stream order
   */
  constructor(unitSize: number, take: () => Uint8Array, onUnit: (unit: Uint8Array) => void) {
    if (!(Number.isInteger(unitSize) && unitSize > 0)) throw new RangeError(`ByteChunker: unit size must be a positive integer, got ${unitSize}`);
    this.unitSize = unitSize;
    this.#take = take;
    this.#onUnit = onUnit;
  }

  /** Bytes of an incomplete unit held now. */
  get pending(): number {
    return this.#filled;
  }

  /** Appends bytes; calls `onUnit` for every unit they complete. */
  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.byteLength) {
      const unit = (this.#current ??= this.#take());
      const n = Math.min(this.unitSize - this.#filled, chunk.byteLength - at);
      unit.set(chunk.subarray(at, at + n), this.#filled);
      this.#filled += n;
      at += n;
      if (this.#filled === this.unitSize) {
        this.#current = undefined;
        this.#filled = 0;
        this.#onUnit(unit);
      }
    }
  }
}
