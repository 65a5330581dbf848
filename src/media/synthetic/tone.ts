/**
 * The built-in microphone's signal: a sine tone, optionally broken by silent gaps and mixed with
 * white or pink noise, generated into planar Float32 channel buffers.
 *
 * Every sample is a pure function of its absolute index (and channel), so chunks of any size join
 * seamlessly and bit-exactly: generating samples [0, 960) at once, or as [0, 480) and [480, 960),
 * gives the same bits. The tone's phase is computed from the index (no running phase that gathers
 * floating-point drift), and the noise comes from a counter-based hash of the index and a seed, so
 * it is reproducible and can start anywhere.
 *
 * Defaults: 440 Hz (concert A: easy to recognise, and not a divisor of common chunk sizes, so a
 * chunking bug shows as a phase jump) at amplitude 0.25 (−12 dBFS peak, −15 dBFS RMS: a typical
 * speech level, with headroom for noise). All channels carry the same tone; each channel's noise
 * is independent.
 */

/** The default tone frequency, Hz. */
export const DEFAULT_TONE_FREQUENCY = 440;
/** The default tone amplitude (peak, linear full scale = 1). */
export const DEFAULT_TONE_AMPLITUDE = 0.25;

/** Noise mixed into the tone. */
export type NoiseType = 'none' | 'white' | 'pink';

/** Options of {@link ToneGenerator}. */
export interface ToneOptions {
  /** Samples per second, e.g. 48000. */
  sampleRate: number;
  /** Tone frequency in Hz (default 440). 0 gives no tone. */
  frequency?: number;
  /** Tone peak amplitude, linear (default 0.25). 0 gives no tone. */
  amplitude?: number;
  /** Noise to add (default "none"). */
  noise?: NoiseType;
  /** The noise's RMS level, linear (default 0.01, −40 dBFS). */
  noiseLevel?: number;
  /** Seed of the noise (default 1). Equal seeds give equal noise. */
  seed?: number;
  /**
   * Break the tone into bursts: `toneSeconds` of tone, then `silenceSeconds` without, repeating
   * from sample 0. Each burst fades in and out over 2 ms to avoid clicks. Noise is not gated.
   */
  gap?: { toneSeconds: number; silenceSeconds: number };
}

/** Pink noise rows (octaves) of the Voss-McCartney generator. */
const PINK_ROWS = 16;
const TWO_PI = 2 * Math.PI;
const TWO_POW_32 = 2 ** 32;

/**
 * Generates the microphone's signal. Cheap to make; holds only the settings and a small cache.
 */
export class ToneGenerator {
  readonly sampleRate: number;
  readonly frequency: number;
  readonly amplitude: number;
  readonly noise: NoiseType;
  readonly noiseLevel: number;
  readonly seed: number;
  readonly #burst: number; // samples of tone per gap cycle (Infinity: no gaps)
  readonly #cycle: number; // samples per gap cycle
  readonly #fade: number; // samples of fade at each end of a burst
  // Pink noise: per channel, the last block index and value of each row (a cache only).
  readonly #pinkBlock = new Map<number, Float64Array>();
  readonly #pinkValue = new Map<number, Float64Array>();

  constructor(options: ToneOptions) {
    const { sampleRate } = options;
    if (!Number.isInteger(sampleRate) || sampleRate <= 0) {
      throw new RangeError(`sampleRate must be a positive integer, got ${sampleRate}`);
    }
    this.sampleRate = sampleRate;
    this.frequency = finiteAtLeast0(options.frequency ?? DEFAULT_TONE_FREQUENCY, 'frequency');
    this.amplitude = finiteAtLeast0(options.amplitude ?? DEFAULT_TONE_AMPLITUDE, 'amplitude');
    this.noise = options.noise ?? 'none';
    this.noiseLevel = finiteAtLeast0(options.noiseLevel ?? 0.01, 'noiseLevel');
    this.seed = (options.seed ?? 1) >>> 0;
    if (options.gap) {
      const on = Math.round(finiteAtLeast0(options.gap.toneSeconds, 'gap.toneSeconds') * sampleRate);
      const off = Math.round(finiteAtLeast0(options.gap.silenceSeconds, 'gap.silenceSeconds') * sampleRate);
      this.#burst = on;
      this.#cycle = Math.max(1, on + off);
      this.#fade = Math.min(Math.round(0.002 * sampleRate), Math.floor(on / 2));
    } else {
      this.#burst = Infinity;
      this.#cycle = 1;
      this.#fade = 0;
    }
  }

  /**
   * Fills `channels[c][0, frameCount)` with samples `startSample … startSample + frameCount − 1`
   * of channel c. `startSample` is an absolute index (a non-negative integer); frameCount defaults
   * to the first buffer's length.
   */
  generate(startSample: number, frameCount: number, channels: readonly Float32Array[]): void {
    if (!Number.isSafeInteger(startSample) || startSample < 0) {
      throw new RangeError(`startSample must be a non-negative integer, got ${startSample}`);
    }
    for (let c = 0; c < channels.length; c++) {
      const out = channels[c]!;
      if (out.length < frameCount) throw new RangeError(`channel ${c} holds ${out.length} samples, need ${frameCount}`);
      for (let i = 0; i < frameCount; i++) {
        const v = this.sample(startSample + i, c);
        out[i] = v > 1 ? 1 : v < -1 ? -1 : v;
      }
    }
  }

  /**
   * Generates `frameCount` samples of `channelCount` channels in the "f32-planar" layout of
   * AudioData (channel c at `c × frameCount`), into `out` when given, and returns the buffer.
   */
  generatePlanar(startSample: number, frameCount: number, channelCount: number, out?: Float32Array): Float32Array {
    const buf = out ?? new Float32Array(frameCount * channelCount);
    if (buf.length < frameCount * channelCount) {
      throw new RangeError(`${channelCount} × ${frameCount} samples do not fit in ${buf.length}`);
    }
    const planes = Array.from({ length: channelCount }, (_, c) => buf.subarray(c * frameCount, (c + 1) * frameCount));
    this.generate(startSample, frameCount, planes);
    return buf;
  }

  /** The value (before Float32 rounding and clipping to [−1, 1]) of sample `index` of `channel`. */
  sample(index: number, channel = 0): number {
    let v = 0;
    if (this.amplitude > 0 && this.frequency > 0) v = this.amplitude * this.#gate(index) * this.#sine(index);
    if (this.noise === 'white') v += this.noiseLevel * Math.sqrt(3) * uniform(streamKey(this.seed, channel, 0), index);
    else if (this.noise === 'pink') v += this.noiseLevel * Math.sqrt(3 / (PINK_ROWS + 1)) * this.#pink(index, channel);
    return v;
  }

  /** sin(2π f n / rate), with the phase reduced exactly: n = a × rate + b, phase = frac(a f) + b f / rate. */
  #sine(n: number): number {
    const rate = this.sampleRate;
    const a = Math.floor(n / rate);
    const b = n - a * rate;
    const af = a * this.frequency;
    let cycles = af - Math.floor(af) + (b * this.frequency) / rate;
    cycles -= Math.floor(cycles);
    return Math.sin(TWO_PI * cycles);
  }

  /** The tone's gain at sample n: 1 in a burst, 0 in a gap, a raised-cosine fade between. */
  #gate(n: number): number {
    if (this.#burst === Infinity) return 1;
    const pos = n % this.#cycle;
    if (pos >= this.#burst) return 0;
    const fade = this.#fade;
    const edge = Math.min(pos, this.#burst - 1 - pos);
    return edge >= fade ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * (edge + 0.5)) / fade);
  }

  /**
   * Voss-McCartney pink noise: the sum of a white sample and PINK_ROWS rows, row k holding a
   * random value that changes every 2^k samples. Each row's value is a hash of its block index,
   * so any sample can be computed on its own; the cache only saves rehashing.
   */
  #pink(n: number, channel: number): number {
    let blocks = this.#pinkBlock.get(channel);
    let values = this.#pinkValue.get(channel);
    if (!blocks || !values) {
      this.#pinkBlock.set(channel, (blocks = new Float64Array(PINK_ROWS).fill(-1)));
      this.#pinkValue.set(channel, (values = new Float64Array(PINK_ROWS)));
    }
    let sum = uniform(streamKey(this.seed, channel, 0), n);
    let block = n;
    for (let k = 0; k < PINK_ROWS; k++) {
      if (blocks[k] !== block) {
        blocks[k] = block;
        values[k] = uniform(streamKey(this.seed, channel, k + 1), block);
      }
      sum += values[k]!;
      block = Math.floor(block / 2);
    }
    return sum;
  }
}

function finiteAtLeast0(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  return value;
}

/** A 32-bit integer hash with good avalanche (the "lowbias32" finalizer). */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** The key of one random stream: (seed, channel, row). */
function streamKey(seed: number, channel: number, row: number): number {
  return mix32(mix32(mix32(seed) ^ Math.imul(channel + 1, 0x9e3779b9)) ^ Math.imul(row + 1, 0x85ebca6b));
}

/** A uniform value in [−1, 1) for element `index` (a non-negative safe integer) of a stream. */
function uniform(key: number, index: number): number {
  const hi = Math.floor(index / TWO_POW_32);
  const lo = index >>> 0;
  return (mix32(mix32(key ^ hi) ^ lo) / TWO_POW_32) * 2 - 1;
}
