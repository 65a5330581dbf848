/**
 * The media resource of WebCodecs § 9.1.2 "Reference Counting"
 * (https://w3c.github.io/webcodecs/#raw-media-memory-model-reference-counting): storage for the
 * pixel or sample data that `VideoFrame` and `AudioData` objects point at through their
 * `[[resource reference]]` slot.
 *
 * One resource is shared by a frame and all its clones. Each `[[resource reference]]` holds one
 * reference; `close()` drops it. When the last reference goes, the resource lets go of its bytes
 * (so the garbage collector can take them) and calls the optional `release` callback, which a
 * buffer pool can use to take the bytes back for the next frame.
 */
export class MediaResource {
  #data: Uint8Array | null;
  #references = 0;
  #release: ((data: Uint8Array) => void) | undefined;

  /**
   * @param data the bytes; a plain `Uint8Array`, on an `ArrayBuffer` or a `SharedArrayBuffer`.
   * @param release called once, with the bytes, when the last reference is dropped.
   */
  constructor(data: Uint8Array, release?: (data: Uint8Array) => void) {
    this.#data = data;
    this.#release = release;
  }

  /** The bytes. Reading them after the last reference was dropped is a bug in the caller. */
  get data(): Uint8Array {
    if (this.#data === null) throw new Error('internal: media resource read after its last reference was released');
    return this.#data;
  }

  /** How many `[[resource reference]]` slots point at this resource now. */
  get referenceCount(): number {
    return this.#references;
  }

  /** True once the last reference was dropped and the bytes were let go. */
  get released(): boolean {
    return this.#data === null;
  }

  /** "Let reference be a new reference to resource." Returns the resource, for chaining. */
  addReference(): this {
    if (this.#data === null) throw new Error('internal: new reference to a released media resource');
    this.#references++;
    return this;
  }

  /** Drops one reference; the last one releases the bytes. */
  dropReference(): void {
    if (this.#data === null || this.#references === 0) return;
    if (--this.#references > 0) return;
    const data = this.#data;
    this.#data = null;
    const release = this.#release;
    this.#release = undefined;
    release?.(data);
  }
}
