/**
 * The calls into the WebAssembly sample kernels (the channel mixer and the resampler's filter;
 * kernels.c): copy the samples in, run the kernel, copy the results out. Each returns false
 * (having done nothing) when the JavaScript kernels are in use, so that its caller in
 * src/media/convert/ runs its scalar reference instead.
 */
import { wasmArena } from './wasm.js';

/**
 * Mixes `frames` samples of the planar channels `input` into `output` (arrays of at least
 * `frames`) with `matrix[out][in]` (see `mix_channels` in kernels.c): byte for byte what
 * mixChannels computes in JavaScript.
 */
export function wasmMix(input: readonly Float32Array[], output: readonly Float32Array[], frames: number, matrix: readonly (readonly number[])[]): boolean {
  const arena = wasmArena();
  if (!arena) return false;
  const inputs = input.length;
  const outputs = output.length;
  const from = arena.alloc(inputs * frames * 4);
  for (let i = 0; i < inputs; i++) arena.floatsAt(from + i * frames * 4, frames).set(input[i]!.subarray(0, frames));
  const to = arena.alloc(outputs * frames * 4);
  let flat = flatMatrices.get(matrix);
  if (flat === undefined) flatMatrices.set(matrix, (flat = matrix.flat()));
  arena.exports.mix_channels(to, from, frames, inputs, outputs, arena.doubles(flat));
  for (let o = 0; o < outputs; o++) output[o]!.set(arena.floatsAt(to + o * frames * 4, frames));
  return true;
}

/** The matrices of mixChannels (made once each), row after row. */
const flatMatrices = new WeakMap<readonly (readonly number[])[], number[]>();

/** A resampler's filter table in the kernels' memory: its address, and the arena it lies in. */
export interface WasmFilter {
  readonly address: number;
  /** Keeps the block alive as long as the filter is (its finalizer gives the block back). */
  readonly view: Uint8Array;
}

/** Puts a resampler's coefficient table in the kernels' memory for good; null with the JavaScript kernels. */
export function wasmFilter(coefficients: Float32Array): WasmFilter | null {
  const arena = wasmArena();
  if (!arena) return null;
  const view = arena.resident(coefficients.byteLength);
  if (!view) return null;
  new Float32Array(view.buffer, view.byteOffset, coefficients.length).set(coefficients);
  return { address: view.byteOffset, view };
}

/**
 * Runs the resampler's filter (the exact, rational case: see `resample_channel` in kernels.c) for
 * outputs `first` … `first + count - 1` of one channel whose buffered input `x` (`length` samples)
 * starts at input sample number `start`; writes them to `out`. False with the JavaScript kernels.
 */
export function wasmResample(
  filter: WasmFilter,
  x: Float32Array,
  length: number,
  out: Float32Array,
  geometry: { taps: number; half: number; phases: number; step: number; first: number; count: number; start: number },
): boolean {
  const arena = wasmArena();
  if (!arena) return false;
  const { taps, half, phases, step, first, count, start } = geometry;
  const from = arena.floats(x, length);
  const to = arena.alloc(count * 4);
  arena.exports.resample_channel(to, from, filter.address, taps, half, phases, step, first, count, start);
  out.set(arena.floatsAt(to, count));
  return true;
}
