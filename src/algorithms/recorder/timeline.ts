/**
 * The media timeline of one recording, in microseconds from its start, and where each track's
 * media lands on it. Pure bookkeeping: no I/O, no clocks; the session feeds it capture timestamps.
 *
 * - The output time of media is its capture timestamp minus an offset shared by all tracks, so
 *   audio and video keep the relation they had when captured (A/V sync). The first media after
 *   start() sets the offset; after a pause, the first media after resume() sets it again so the
 *   recording goes on where it stopped (a paused span leaves no gap).
 * - Video frames sit in slots of the track's frame rate: output slot n covers [n/fps, (n+1)/fps).
 *   A frame takes the slot its timestamp rounds to, and is shown from the slot's time on, until
 *   the next frame written (variable frame rate). `place` says how many slots before it no frame
 *   reached, which the session fills with repeats only at the end of a gap it was filling (a muted
 *   track delivers nothing); a frame dropped because the encoder is behind uses up its slot too.
 *   A frame for a slot already taken is dropped.
 * - Audio is a sample count: a chunk that starts later than the samples written so far is
 *   preceded by silence, one that overlaps them loses its overlapping part; small differences
 *   (timestamp jitter) are let through so the sound stays continuous.
 */

/** The shared mapping from capture time to output time. */
export class RecordingTimeline {
  #offset: number | null = null;
  #end = 0;

  /** Output time (µs) of media captured at `captureTimestamp`; the first media after start or resume anchors the mapping. */
  map(captureTimestamp: number): number {
    if (this.#offset === null) this.#offset = captureTimestamp - this.#end;
    return captureTimestamp - this.#offset;
  }

  /** Whether the next media sets the offset (nothing since start or resume). */
  get anchored(): boolean {
    return this.#offset !== null;
  }

  /** After a pause: the next media continues the timeline where it stopped. */
  reanchor(): void {
    this.#offset = null;
  }

  /** Notes that some track reached output time `t` (µs). */
  extend(t: number): void {
    if (t > this.#end) this.#end = t;
  }

  /** The furthest output time any track has reached (µs). */
  get end(): number {
    return this.#end;
  }
}

/** Constant-frame-rate slots of the video track. */
export class VideoSlots {
  readonly frameRate: number;
  /** The next slot to fill. */
  #next = 0;

  constructor(frameRate: number) {
    this.frameRate = frameRate;
  }

  /** Slots filled so far. */
  get count(): number {
    return this.#next;
  }

  /** Output time (µs) where slot `n` starts. */
  slotTime(n: number): number {
    return (n * 1e6) / this.frameRate;
  }

  /** Output time (µs) where the filled slots end. */
  get endTime(): number {
    return this.slotTime(this.#next);
  }

  /**
   * A frame at output time `t`: `repeats` slots to fill with the previous frame first, then
   * whether this frame takes a slot (false: its slot is already filled, drop it).
   */
  place(t: number): { repeats: number; write: boolean } {
    const n = Math.max(0, Math.round((t * this.frameRate) / 1e6));
    if (n < this.#next) return { repeats: 0, write: false };
    const repeats = n - this.#next;
    this.#next = n + 1;
    return { repeats, write: true };
  }

  /** Slots to fill with the previous frame so that the filled slots reach output time `t`. */
  fillTo(t: number): number {
    const n = Math.floor((t * this.frameRate) / 1e6 + 1e-6);
    if (n <= this.#next) return 0;
    const repeats = n - this.#next;
    this.#next = n;
    return repeats;
  }
}

/** The audio track's sample position. */
export class AudioCursor {
  readonly sampleRate: number;
  /** Timing differences up to this many samples are ignored (timestamp jitter). */
  readonly tolerance: number;
  #written = 0;

  constructor(sampleRate: number, toleranceMs = 10) {
    this.sampleRate = sampleRate;
    this.tolerance = Math.round((sampleRate * toleranceMs) / 1000);
  }

  /** Samples (per channel) written so far. */
  get written(): number {
    return this.#written;
  }

  /** Output time (µs) where the written samples end. */
  get endTime(): number {
    return (this.#written * 1e6) / this.sampleRate;
  }

  /** A chunk of `frames` samples at output time `t`: silence to insert first, samples to skip from its start, samples to keep. */
  place(t: number, frames: number): { silence: number; skip: number; take: number } {
    const start = Math.round((t * this.sampleRate) / 1e6);
    let silence = 0;
    let skip = 0;
    if (start > this.#written + this.tolerance) silence = start - this.#written;
    else if (start < this.#written - this.tolerance) skip = Math.min(frames, this.#written - start);
    const take = frames - skip;
    this.#written += silence + take;
    return { silence, skip, take };
  }

  /** Silence (samples) to write so that the written samples reach output time `t`. */
  fillTo(t: number): number {
    const target = Math.floor((t * this.sampleRate) / 1e6);
    if (target <= this.#written) return 0;
    const silence = target - this.#written;
    this.#written = target;
    return silence;
  }
}
