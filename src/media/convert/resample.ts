/**
 * Streaming sample-rate conversion of planar float audio: a polyphase windowed-sinc (Kaiser)
 * low-pass interpolator.
 *
 * Output sample n lies at input time t = n · inRate / outRate. It is the sum of the input samples
 * around t weighted by a sinc whose cut-off is just under the lower of the two Nyquist frequencies
 * (so down-sampling does not alias), windowed to `zeroCrossings` lobes each side. For rational
 * ratios (every pair of common integer rates) the filter has one phase per distinct fractional
 * position, so each output uses exact coefficients; otherwise positions are rounded to one of 4096
 * phases. Each phase is normalised to unit DC gain, so levels are kept.
 *
 * Defaults (32 lobes, cut-off at 0.94 of the lower Nyquist frequency, Kaiser β 8.6), measured
 * 48 kHz → 16 kHz: flat to 7 kHz (-0.0 dB), -5 dB at 7.5 kHz, below -90 dB from 8.5 kHz (what would
 * alias back into the band). One second of stereo 48 kHz → 44.1 kHz takes about 12 ms.
 *
 * Streaming: the last input samples of each chunk are kept for the next one, and positions are
 * counted in whole samples since the start, so output does not depend on how the input was cut into
 * chunks (chunked and one-shot output are identical) and nothing clicks at chunk boundaries. Output
 * lags input delivery by `delay` input frames (the filter needs samples after t); `flush()` emits
 * the rest. Output sample 0 is aligned with input sample 0: there is no time shift, only latency.
 */

import { wasmFilter, wasmResample, type WasmFilter } from '../kernels/samples.js';

export interface ResamplerOptions {
  /** Sinc lobes on each side of the centre: more is sharper and slower. Default 32. */
  zeroCrossings?: number;
  /** Cut-off as a fraction of the lower Nyquist frequency. Default 0.94. */
  rolloff?: number;
  /** Kaiser window β: higher gives more stop-band attenuation and a wider transition. Default 8.6. */
  beta?: number;
}

const MAX_PHASES = 4096;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 64; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Converts planar float audio from one sample rate to another, chunk by chunk. */
export class Resampler {
  readonly inputRate: number;
  readonly outputRate: number;
  readonly channels: number;
  /** Input frames the output lags behind the input delivered. */
  readonly delay: number;

  readonly #passthrough: boolean;
  /** Input samples per output sample, as the rational step/phases when exact. */
  readonly #step: number;
  readonly #phases: number;
  readonly #exact: boolean;
  readonly #half: number;
  readonly #taps: number;
  readonly #coefficients: Float32Array;
  /** The table in the WebAssembly kernels' memory (exact ratios), made at the first use; null: the JavaScript loop. */
  #wasm: WasmFilter | null | undefined;

  /** History and pending input per channel; element 0 is absolute input index `#start`. */
  #buffers: Float32Array[];
  #start = 0;
  #length = 0;
  /** Output samples produced so far, and input frames received so far. */
  #produced = 0;
  #received = 0;

  constructor(inputRate: number, outputRate: number, channels: number, options: ResamplerOptions = {}) {
    if (!(inputRate > 0) || !(outputRate > 0) || !Number.isFinite(inputRate) || !Number.isFinite(outputRate)) {
      throw new RangeError(`Resampler: sample rates must be positive and finite (got ${inputRate} → ${outputRate}).`);
    }
    if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`Resampler: channels must be a positive integer (got ${channels}).`);
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.channels = channels;
    this.#passthrough = inputRate === outputRate;

    const integral = Number.isInteger(inputRate) && Number.isInteger(outputRate);
    const g = integral ? gcd(inputRate, outputRate) : 1;
    const L = integral ? outputRate / g : Infinity;
    this.#exact = L <= MAX_PHASES;
    this.#phases = this.#exact ? L : MAX_PHASES;
    this.#step = this.#exact ? inputRate / g : inputRate / outputRate;

    const zeroCrossings = options.zeroCrossings ?? 32;
    const rolloff = options.rolloff ?? 0.94;
    const beta = options.beta ?? 8.6;
    // Cut-off in cycles per input sample.
    const cutoff = 0.5 * Math.min(1, outputRate / inputRate) * rolloff;
    this.#half = this.#passthrough ? 0 : Math.ceil(zeroCrossings / (2 * cutoff));
    this.#taps = 2 * this.#half;
    this.delay = this.#half;
    this.#coefficients = this.#passthrough ? new Float32Array(0) : this.#design(cutoff, beta);

    this.#buffers = Array.from({ length: channels }, () => new Float32Array(4096));
    this.reset();
  }

  /** The filter: for each phase p (output at fraction p/phases past an input sample), `taps` weights. */
  #design(cutoff: number, beta: number): Float32Array {
    const phases = this.#phases;
    const half = this.#half;
    const taps = this.#taps;
    const table = new Float32Array(phases * taps);
    const i0Beta = besselI0(beta);
    const row = new Float64Array(taps);
    for (let p = 0; p < phases; p++) {
      const fraction = p / phases;
      let sum = 0;
      for (let k = 0; k < taps; k++) {
        // Distance in input samples from the output instant to input sample (ipos - half + 1 + k).
        const d = k - half + 1 - fraction;
        const x = 2 * cutoff * d;
        const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        const r = d / half;
        const window = r * r >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
        row[k] = sinc * window;
        sum += row[k]!;
      }
      for (let k = 0; k < taps; k++) table[p * taps + k] = row[k]! / sum;
    }
    return table;
  }

  /** Forgets all input: the next `process()` starts a new stream. */
  reset(): void {
    // The taps of the first outputs reach half - 1 samples before input 0: silence.
    this.#start = -(this.#half - 1);
    this.#length = Math.max(0, this.#half - 1);
    for (const b of this.#buffers) b.fill(0, 0, this.#length);
    this.#produced = 0;
    this.#received = 0;
  }

  /** Output samples a stream of `inputFrames` frames yields in total, after `flush()`. */
  outputLengthFor(inputFrames: number): number {
    return this.#passthrough ? inputFrames : Math.ceil((inputFrames * this.outputRate) / this.inputRate - 1e-9);
  }

  /**
   * Takes the next chunk (one array per channel, all the same length) and returns the output it
   * completes (one new array per channel; possibly empty). With equal rates the input arrays are
   * returned as they are.
   */
  process(input: readonly Float32Array[]): Float32Array[] {
    if (input.length !== this.channels) throw new RangeError(`Resampler: expected ${this.channels} channel(s), got ${input.length}.`);
    if (this.#passthrough) return [...input];
    const frames = input[0]!.length;
    this.#append(input, frames);
    this.#received += frames;
    return this.#run(Infinity);
  }

  /** Ends the stream: returns the output still held back by the filter's look-ahead, then resets. */
  flush(): Float32Array[] {
    if (this.#passthrough) return Array.from({ length: this.channels }, () => new Float32Array(0));
    const silence = Array.from({ length: this.channels }, () => new Float32Array(this.#half + 1));
    this.#append(silence, this.#half + 1);
    const out = this.#run(this.outputLengthFor(this.#received));
    this.reset();
    return out;
  }

  #append(input: readonly Float32Array[], frames: number): void {
    const needed = this.#length + frames;
    for (let c = 0; c < this.channels; c++) {
      let buffer = this.#buffers[c]!;
      if (buffer.length < needed) {
        const grown = new Float32Array(Math.max(needed, buffer.length * 2));
        grown.set(buffer.subarray(0, this.#length));
        this.#buffers[c] = buffer = grown;
      }
      buffer.set(input[c]!.subarray(0, frames), this.#length);
    }
    this.#length = needed;
  }

  /** The input sample at or just before the instant of output n (the one its phase is measured from). */
  #inputPosition(n: number): number {
    const t = n * this.#step;
    if (this.#exact) return Math.floor(t / this.#phases);
    const ipos = Math.floor(t);
    return Math.round((t - ipos) * this.#phases) === this.#phases ? ipos + 1 : ipos;
  }

  /** Produces every output whose taps are all buffered (and whose index is below `limit`). */
  #run(limit: number): Float32Array[] {
    const half = this.#half;
    const taps = this.#taps;
    const phases = this.#phases;
    const step = this.#step;
    const exact = this.#exact;
    const end = this.#start + this.#length;
    // Output n can be computed when its last tap, ipos(n) + half, is buffered: ipos(n) <= lastIpos.
    const lastIpos = end - 1 - half;
    const first = this.#produced;
    let stop: number;
    if (exact) stop = lastIpos < 0 ? first : Math.ceil(((lastIpos + 1) * phases) / step);
    else stop = Math.max(first, Math.ceil((lastIpos + 1) / step) + 2);
    stop = Math.max(first, Math.min(stop, limit));
    const out = Array.from({ length: this.channels }, () => new Float32Array(stop - first));
    const coefficients = this.#coefficients;
    let n = first;
    // The WebAssembly kernel for exact ratios (within a float's last place of this loop's sums:
    // see resample_channel in kernels.c); every output below `stop` has its taps buffered.
    if (exact && stop > first) {
      if (this.#wasm === undefined) this.#wasm = wasmFilter(coefficients);
      const filter = this.#wasm;
      const geometry = { taps, half, phases, step, first, count: stop - first, start: this.#start };
      if (filter && this.#buffers.every((x, c) => wasmResample(filter, x, this.#length, out[c]!, geometry))) n = stop;
    }
    for (; n < stop; n++) {
      const t = n * step;
      let ipos: number;
      let phase: number;
      if (exact) {
        ipos = Math.floor(t / phases);
        phase = t - ipos * phases;
      } else {
        ipos = Math.floor(t);
        phase = Math.round((t - ipos) * phases);
        if (phase === phases) {
          ipos++;
          phase = 0;
        }
      }
      if (ipos > lastIpos) break;
      const base = ipos - half + 1 - this.#start;
      const c0 = phase * taps;
      for (let c = 0; c < this.channels; c++) {
        const x = this.#buffers[c]!;
        let sum = 0;
        for (let k = 0; k < taps; k++) sum += coefficients[c0 + k]! * x[base + k]!;
        out[c]![n - first] = sum;
      }
    }
    this.#produced = n;
    const count = n - first;
    // Drop input no later output needs (the taps of output n start at ipos(n) - half + 1).
    const keepFrom = Math.min(this.#inputPosition(n) - half + 1, end);
    const drop = keepFrom - this.#start;
    if (drop > 0) {
      for (const b of this.#buffers) b.copyWithin(0, drop, this.#length);
      this.#length -= drop;
      this.#start = keepFrom;
    }
    return out.map((channel) => (count === channel.length ? channel : channel.slice(0, count)));
  }
}
