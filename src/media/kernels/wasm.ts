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
 * Memory: a kernel reads and writes its module's own memory, so each call copies the source
 * planes in and the results out (a memcpy, ~10 % of a conversion). The memory grows to the largest
 * frame seen and is reused; calls are synchronous, so one arena per thread is enough.
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
  readonly buffer: ArrayBuffer;
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
  scale_plane(...args: number[]): void;
}

/** Bytes left free after the last buffer: the SIMD loops may read up to 32 bytes past a row's end. */
const SLACK = 64;

/** The instance and its memory, made at first use. */
class Arena {
  readonly exports: Exports;
  #heap: Uint8Array;
  readonly #base: number;
  #top: number;

  constructor(exports: Exports) {
    this.exports = exports;
    this.#base = (exports.__heap_base.value + 15) & ~15;
    this.#top = this.#base;
    this.#heap = new Uint8Array(exports.memory.buffer);
  }

  /** Forgets every allocation (the start of each kernel call). */
  reset(): void {
    this.#top = this.#base;
  }

  /** `bytes` bytes of memory, 16-byte aligned; the address. */
  alloc(bytes: number): number {
    const at = this.#top;
    this.#top = (at + bytes + 15) & ~15;
    const needed = this.#top + SLACK;
    const memory = this.exports.memory;
    if (needed > memory.buffer.byteLength) {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
    }
    if (this.#heap.buffer !== memory.buffer) this.#heap = new Uint8Array(memory.buffer);
    return at;
  }

  get heap(): Uint8Array {
    return this.#heap;
  }

  /** Copies `rows` rows of `rowBytes` bytes of `plane` in; the address (rows `stride` apart). */
  copyIn(plane: Plane, rowBytes: number, rows: number): { at: number; stride: number } {
    const { data, offset, stride } = plane;
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

export type { Arena };
