/**
 * The WebAssembly SIMD pixel kernels (kernels.c beside this file, built by
 * `npm run build:wasm`), and the choice between them and the scalar JavaScript in
 * src/media/convert/, which stays as the fallback and as the reference the tests compare against.
 *
 * Loading: the module is compiled synchronously (`new WebAssembly.Module`, ~10 KB) at the first
 * kernel call, not at import, so a program that converts no pixels pays nothing. Where
 * WebAssembly or its SIMD proposal is missing (the compile throws), or `MEDIACAPTURE_KERNELS=js`
 * is set, every kernel is the JavaScript one.
 *
 * Memory: a kernel reads and writes its module's own memory. A plane that lies outside it is
 * copied in (in strips, while the kernel reads each from the cache) and results copied out; a
 * plane that lies in it (`residentBytes`: the frame pools of the sources and of the scalers take
 * their buffers there) is read and written in place, with no copy. The memory is shared
 * (a SharedArrayBuffer), because a shared memory that grows leaves its earlier buffers valid: a
 * frame's view of it survives the growth that a later frame causes. Calls are synchronous, so
 * one arena per thread is enough.
 */
import type { Plane } from '../convert/image.js';
import { KERNELS_WASM_BASE64 } from './wasm-bytes.js';

/** Which implementation the pixel kernels use. */
export type KernelChoice = 'wasm' | 'js';

/**
 * The part of the WebAssembly JS API used here (the project compiles against ES2023 without the
 * DOM library, which is where TypeScript declares it).
 */
interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}

interface Exports {
  memory: WasmMemory;
  __heap_base: { value: number };
  rgb_to_i420(...args: number[]): void;
  yuv420_to_rgb(...args: number[]): void;
  halve_plane(...args: number[]): void;
  third_plane(...args: number[]): void;
  quarter_plane(...args: number[]): void;
  scale_plane(...args: number[]): void;
  mix_channels(...args: number[]): void;
  resample_channel(...args: number[]): void;
}

/** Bytes left free after each buffer: the SIMD loops may read up to 32 bytes past a row's end. */
const SLACK = 64;
/** Blocks are multiples of this (a frame size rounds up to it, so equal frames share a free list). */
const BLOCK = 4096;
const PAGE = 65536;

/**
 * The instance and its memory, made at first use. The memory above the module's own data holds
 * blocks: the scratch of the running kernel call (bump-allocated, forgotten at each call's start)
 * and the resident buffers handed out by `residentBytes`. Blocks are never returned to the
 * system: a freed one waits on a free list for the next buffer of its size (frame sizes repeat).
 */
class Arena {
  readonly exports: Exports;
  #heap: Uint8Array;
  /** Every SharedArrayBuffer the memory has had (one per growth): views of any of them are resident. */
  readonly #buffers = new WeakSet<object>();
  /** The end of the blocks handed out so far. */
  #top: number;
  readonly #free = new Map<number, number[]>();
  #scratch = 0;
  #scratchSize = 0;
  #scratchTop = 0;
  /** Scratch blocks outgrown during the current call, freed at the next. */
  #outgrown: [number, number][] = [];
  readonly #finalizer = new FinalizationRegistry<[number, number]>(([at, size]) => this.#release(at, size));

  constructor(exports: Exports) {
    this.exports = exports;
    this.#top = (exports.__heap_base.value + BLOCK - 1) & ~(BLOCK - 1);
    this.#heap = this.#view();
  }

  #view(): Uint8Array {
    const buffer = this.exports.memory.buffer;
    this.#buffers.add(buffer);
    return new Uint8Array(buffer);
  }

  /** A block of at least `bytes` (plus SLACK) bytes; its address and size, or null when the memory is full. */
  #block(bytes: number): [number, number] | null {
    const size = (bytes + SLACK + BLOCK - 1) & ~(BLOCK - 1);
    const reuse = this.#free.get(size)?.pop();
    if (reuse !== undefined) return [reuse, size];
    const at = this.#top;
    const memory = this.exports.memory;
    if (at + size > memory.buffer.byteLength) {
      try {
        memory.grow(Math.ceil((at + size - memory.buffer.byteLength) / PAGE));
      } catch {
        return null;
      }
      this.#heap = this.#view();
    }
    this.#top = at + size;
    return [at, size];
  }

  #release(at: number, size: number): void {
    let list = this.#free.get(size);
    if (!list) this.#free.set(size, (list = []));
    list.push(at);
  }

  /** Forgets the scratch allocations (the start of each kernel call). */
  reset(): void {
    this.#scratchTop = this.#scratch;
    for (const [at, size] of this.#outgrown) this.#release(at, size);
    this.#outgrown = [];
  }

  /** `bytes` bytes of scratch for the current call, 16-byte aligned; the address. */
  alloc(bytes: number): number {
    const rounded = (bytes + 15) & ~15;
    if (this.#scratchTop + rounded + SLACK > this.#scratch + this.#scratchSize) {
      // Earlier allocations of this call stay where they are: a new, larger scratch block.
      const block = this.#block(Math.max(2 * this.#scratchSize, rounded + SLACK, 1 << 16));
      if (!block) throw new RangeError('the WebAssembly kernels ran out of memory');
      if (this.#scratchSize) this.#outgrown.push([this.#scratch, this.#scratchSize]);
      [this.#scratch, this.#scratchSize] = block;
      this.#scratchTop = this.#scratch;
    }
    const at = this.#scratchTop;
    this.#scratchTop += rounded;
    return at;
  }

  /**
   * A buffer of `bytes` bytes in the kernels' memory, which kernels read and write in place; null
   * when the memory is full. Its block goes back to the free list when `freeResident` is called
   * with it or, failing that, when the view is garbage (a frame never closed).
   */
  resident(bytes: number): Uint8Array | null {
    const block = this.#block(bytes);
    if (!block) return null;
    const view = new Uint8Array(this.#heap.buffer, block[0], bytes);
    this.#finalizer.register(view, block, view);
    return view;
  }

  /** Gives the block of `view` (from `resident`) back; the view must not be used after. */
  freeResident(view: Uint8Array): void {
    if (!this.#finalizer.unregister(view)) return;
    this.#release(view.byteOffset, (view.byteLength + SLACK + BLOCK - 1) & ~(BLOCK - 1));
  }

  /** The address of `data[offset]` when `data` lies in this memory, else -1. */
  addressOf(data: Uint8Array, offset: number): number {
    return this.#buffers.has(data.buffer) ? data.byteOffset + offset : -1;
  }

  get heap(): Uint8Array {
    return this.#heap;
  }

  /** Copies `rows` rows of `rowBytes` bytes of `plane` in (unless resident); the address (rows `stride` apart). */
  copyIn(plane: Plane, rowBytes: number, rows: number): { at: number; stride: number } {
    const { data, offset, stride } = plane;
    const resident = this.addressOf(data, offset);
    if (resident >= 0) return { at: resident, stride };
    // Rows close together go in one copy, padding and all; far-apart rows (a crop) one by one.
    if (stride < 2 * rowBytes) {
      const length = stride * (rows - 1) + rowBytes;
      const at = this.alloc(length);
      this.#heap.set(data.subarray(offset, offset + length), at);
      return { at, stride };
    }
    const at = this.alloc(rowBytes * rows);
    for (let r = 0; r < rows; r++) this.#heap.set(data.subarray(offset + r * stride, offset + r * stride + rowBytes), at + r * rowBytes);
    return { at, stride: rowBytes };
  }

  /** Copies `rows` rows of `rowBytes` bytes, `rowBytes` apart at `at`, out into `plane`. */
  copyOut(at: number, plane: Plane, rowBytes: number, rows: number): void {
    const heap = this.#heap;
    if (plane.stride === rowBytes) {
      plane.data.set(heap.subarray(at, at + rowBytes * rows), plane.offset);
      return;
    }
    for (let r = 0; r < rows; r++) plane.data.set(heap.subarray(at + r * rowBytes, at + (r + 1) * rowBytes), plane.offset + r * plane.stride);
  }

  /** Copies rows `first`.. `first + rows - 1` of `plane` (`rowBytes` each) to `at`, `rowBytes` apart. */
  rowsIn(plane: Plane, first: number, rows: number, rowBytes: number, at: number): void {
    const { data, stride } = plane;
    const start = plane.offset + first * stride;
    if (stride === rowBytes) {
      this.#heap.set(data.subarray(start, start + rowBytes * rows), at);
      return;
    }
    for (let r = 0; r < rows; r++) this.#heap.set(data.subarray(start + r * stride, start + r * stride + rowBytes), at + r * rowBytes);
  }

  /** Copies `rows` rows (`rowBytes` each, `rowBytes` apart at `at`) out into `plane` from row `first`. */
  rowsOut(at: number, rowBytes: number, plane: Plane, first: number, rows: number): void {
    this.copyOut(at, { data: plane.data, offset: plane.offset + first * plane.stride, stride: plane.stride }, rowBytes, rows);
  }

  /** Copies the first `length` samples of `values` in; the address (16-byte aligned). */
  floats(values: Float32Array, length = values.length): number {
    const at = this.alloc(length * 4);
    new Float32Array(this.#heap.buffer, at, length).set(values.subarray(0, length));
    return at;
  }

  /** `length` floats at `at` (a view of the kernels' memory, valid until the next call's scratch). */
  floatsAt(at: number, length: number): Float32Array {
    return new Float32Array(this.#heap.buffer, at, length);
  }

  /** Copies `values` in as doubles; the address. */
  doubles(values: readonly number[]): number {
    const at = this.alloc(values.length * 8);
    new Float64Array(this.#heap.buffer, at, values.length).set(values);
    return at;
  }

  /** Copies `values` in; the address. */
  ints(values: Int32Array | readonly number[]): number {
    const at = this.alloc(values.length * 4);
    new Int32Array(this.#heap.buffer, at, values.length).set(values);
    return at;
  }
}

let choice: KernelChoice = process.env.MEDIACAPTURE_KERNELS === 'js' ? 'js' : 'wasm';
/** undefined: not tried yet; null: unavailable here. */
let arena: Arena | null | undefined;
/** Why the WebAssembly kernels are unavailable, when they are. */
let unavailable: string | undefined;

function load(): Arena | null {
  try {
    const bytes = Buffer.from(KERNELS_WASM_BASE64, 'base64');
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!wasm) throw new Error('this JavaScript engine has no WebAssembly');
    const instance = new wasm.Instance(new wasm.Module(bytes), {});
    return new Arena(instance.exports as unknown as Exports);
  } catch (error) {
    // No WebAssembly, or no SIMD (the module fails to compile): the JavaScript kernels.
    unavailable = error instanceof Error ? error.message : String(error);
    return null;
  }
}

/** The WebAssembly kernels' memory, reset for one call; null when the JavaScript kernels are in use. */
export function wasmArena(): Arena | null {
  if (choice === 'js') return null;
  if (arena === undefined) arena = load();
  arena?.reset();
  return arena;
}

/**
 * Chooses the kernels: `'wasm'` (the default, where WebAssembly SIMD is available) or `'js'` (the
 * scalar reference; also what `MEDIACAPTURE_KERNELS=js` in the environment chooses). For tests
 * and benches; returns the choice before.
 */
export function setKernels(next: KernelChoice): KernelChoice {
  const before = choice;
  choice = next;
  return before;
}

/** Which kernels run now: `'wasm'` only when chosen and loadable. */
export function activeKernels(): KernelChoice {
  return wasmArena() ? 'wasm' : 'js';
}

/** Why the WebAssembly kernels could not be loaded (undefined when they could, or were not tried). */
export function wasmUnavailableReason(): string | undefined {
  return unavailable;
}

/**
 * A buffer of `bytes` bytes that the WebAssembly kernels read and write in place (no copy in or
 * out), on a SharedArrayBuffer; null where the JavaScript kernels are in use or the kernels'
 * memory is full (the caller then makes an ordinary buffer). Give it back with `freeResident`.
 */
export function residentBytes(bytes: number): Uint8Array | null {
  if (choice === 'js') return null;
  if (arena === undefined) arena = load();
  return arena?.resident(bytes) ?? null;
}

/** Gives back a buffer from `residentBytes` for the next one of its size. */
export function freeResident(view: Uint8Array): void {
  arena?.freeResident(view);
}

export type { Arena };
