/**
 * The bridge from an audio graph to a track: what MediaStreamAudioDestinationNode's stream
 * carries. node-web-audio-api 1.0 has no such node, and the two ways out of its graph that hand
 * every frame to script cost too much: a ScriptProcessorNode keeps the Node process alive for good
 * (its event callback is never released, even after `close()`), and an AudioWorklet's thread
 * spins a core (bench/README.md, "Web Audio bridges").
 *
 * So the audio is read where the package keeps it anyway: an AnalyserNode keeps the last 32768
 * frames of its input, and `getFloatTimeDomainData` copies the newest `fftSize` of them. Polled
 * every {@link DESTINATION_POLL_MS}, one analyser per channel gives every frame, once, provided
 * each read knows which frame its newest sample is. The render thread writes the analysers while
 * script reads them, so that position comes from a clock rendered in the same graph: a looping
 * AudioBufferSourceNode whose sample values count frames (0, 1, 2, … exactly, in float), read by
 * two small analysers. Zero-gain connections order the render of each quantum as
 *   clockBefore → channel analysers → clockAfter,
 * and script reads clockAfter, then the channels, then clockBefore. When both clocks give the same
 * count q, every channel read ends exactly at frame q: clockAfter = q means quantum q was written
 * to the channels before they were read; clockBefore = q means quantum q + 1 was not. When they
 * differ (a quantum was rendered during the reads, a few times a second), the reads are repeated.
 */
import { clearInterval as clearIntervalFromNode, setInterval as setIntervalFromNode } from 'node:timers';
import { audioDataFromBuffer } from '../webcodecs/internal.js';
import type { AudioData } from '../webcodecs/audio-data.js';
import type { PkgAnalyserNode, PkgAudioBufferSourceNode, PkgAudioContext, PkgAudioNode, WebAudioPackage } from './package.js';
import { monotonicNow } from '../platform/timers.js';

/** How often the analysers are read: the bridge's latency is up to this, plus one render quantum. */
export const DESTINATION_POLL_MS = 10;

/** The most frames an AnalyserNode keeps (its largest fftSize): the longest the event loop may stall without a gap. */
const ANALYSER_FRAMES = 32768;

/** The frame clock's period: twice what an analyser keeps, so a count is never ambiguous. */
const CLOCK_PERIOD = 2 * ANALYSER_FRAMES;

/** How many times a read is repeated when a quantum was rendered during it. */
const READ_ATTEMPTS = 8;

/** An analyser size (a power of two, 32 to {@link ANALYSER_FRAMES}) for reading `frames` frames and the quanta rendered meanwhile. */
function readSize(frames: number): number {
  return Math.min(ANALYSER_FRAMES, Math.max(32, 2 ** Math.ceil(Math.log2(Math.max(frames, 0) + 256))));
}

/** Reads what reaches `input` (a node of `context`) and hands it over as AudioData, while started. */
export class GraphToTrack {
  readonly #context: PkgAudioContext;
  readonly #sampleRate: number;
  readonly #clock: PkgAudioBufferSourceNode;
  readonly #clockBefore: PkgAnalyserNode;
  readonly #clockAfter: PkgAnalyserNode;
  readonly #channels: PkgAnalyserNode[];
  readonly #nodes: PkgAudioNode[];
  readonly #input: PkgAudioNode;
  readonly #splitter: PkgAudioNode;
  readonly #onMedia: (data: AudioData) => void;
  readonly #count = new Float32Array(32);
  #timer: ReturnType<typeof setIntervalFromNode> | undefined;
  /** The clock count (unwrapped) of the last frame handed over, and the context time it was read at. */
  #last: { frame: number; time: number } | undefined;
  /** Timestamps: frame `frame` of the clock is at `micros` on performance.now()'s time line. */
  #anchor: { frame: number; micros: number } | undefined;
  #closed = false;

  constructor(pkg: WebAudioPackage, context: PkgAudioContext, input: PkgAudioNode, channelCount: number, onMedia: (data: AudioData) => void) {
    this.#context = context;
    this.#sampleRate = context.sampleRate;
    this.#onMedia = onMedia;
    const counts = new Float32Array(CLOCK_PERIOD);
    for (let i = 0; i < CLOCK_PERIOD; i++) counts[i] = i;
    const clockBuffer = new pkg.AudioBuffer({ length: CLOCK_PERIOD, numberOfChannels: 1, sampleRate: context.sampleRate });
    clockBuffer.copyToChannel(counts, 0);
    this.#clock = new pkg.AudioBufferSourceNode(context, { buffer: clockBuffer, loop: true });
    this.#clockBefore = new pkg.AnalyserNode(context, { fftSize: 32 });
    this.#clockAfter = new pkg.AnalyserNode(context, { fftSize: 32 });
    const splitter = new pkg.ChannelSplitterNode(context, { numberOfOutputs: channelCount });
    const before = new pkg.GainNode(context, { gain: 0 });
    const after = new pkg.GainNode(context, { gain: 0 });
    this.#channels = [];
    input.connect(splitter);
    for (let c = 0; c < channelCount; c++) {
      const analyser = new pkg.AnalyserNode(context, { fftSize: ANALYSER_FRAMES, channelCount: 1, channelCountMode: 'explicit' });
      splitter.connect(analyser, c);
      before.connect(analyser);
      analyser.connect(after);
      this.#channels.push(analyser);
    }
    this.#clock.connect(this.#clockBefore);
    this.#clock.connect(this.#clockAfter);
    this.#clockBefore.connect(before);
    after.connect(this.#clockAfter);
    this.#clock.start();
    this.#nodes = [this.#clock, this.#clockBefore, this.#clockAfter, splitter, before, after, ...this.#channels];
    this.#input = input;
    this.#splitter = splitter;
  }

  /** Starts handing over audio, from what the graph renders next (someone consumes the track). */
  start(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#last = undefined;
    this.#anchor = undefined;
    this.#timer = setIntervalFromNode(() => this.poll(), DESTINATION_POLL_MS);
    // The context keeps the process alive while it runs; the bridge never does on its own.
    this.#timer.unref();
  }

  /** Stops handing over audio (nobody consumes the track); start() resumes from the next frames. */
  stop(): void {
    if (this.#timer !== undefined) clearIntervalFromNode(this.#timer);
    this.#timer = undefined;
  }

  /** Whether audio is being handed over (started and not stopped). */
  get started(): boolean {
    return this.#timer !== undefined;
  }

  /** Stops for good and takes the bridge's nodes out of the graph (the context closed, or the channel count changed). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.stop();
    if (this.#context.state !== 'closed') {
      try {
        this.#clock.stop();
      } catch {
        // Already stopped.
      }
      this.#input.disconnect(this.#splitter);
      for (const node of this.#nodes) node.disconnect();
    }
  }

  /** Reads the frames rendered since the last read and hands them over as one AudioData. */
  poll(): void {
    if (this.#context.state !== 'running') return;
    const time = this.#context.currentTime;
    const last = this.#last;
    // About how many frames came since the last read, from the context's time: enough to unwrap
    // the clock's count (it is ambiguous only past half its period, 0.68 s either way).
    const expected = last === undefined ? 0 : Math.round((time - last.time) * this.#sampleRate);
    // The read's size: what the frame clock says came, with room for quanta rendered meanwhile. A
    // starved render thread catches up in bursts, after `currentTime` was read: a read sized
    // from it would miss the start of the burst, so a read that fell short is made again, larger.
    let size = last === undefined ? 32 : readSize(this.#unwrap(this.#readClock(this.#clockAfter), last.frame, expected) - last.frame);
    for (;;) {
      const read = this.#read(size);
      if (read === undefined) return;
      if (last === undefined) {
        // The first read marks where the track's audio starts.
        this.#last = { frame: read.count, time };
        return;
      }
      const frame = this.#unwrap(read.count, last.frame, expected);
      const frames = frame - last.frame;
      if (frames > size && size < ANALYSER_FRAMES) {
        size = readSize(frames);
        continue;
      }
      this.#last = { frame, time };
      if (frames > 0) this.#handOver(read.channels, size, frame, frames);
      return;
    }
  }

  /**
   * Reads the newest `size` frames of every channel and the frame count they end at, the same on
   * both clocks (so no quantum was rendered during the reads); undefined if that never held.
   */
  #read(size: number): { channels: Float32Array[]; count: number } | undefined {
    for (const analyser of this.#channels) if (analyser.fftSize !== size) analyser.fftSize = size;
    const channels = this.#channels.map(() => new Float32Array(size));
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const after = this.#readClock(this.#clockAfter);
      for (let c = 0; c < channels.length; c++) this.#channels[c]!.getFloatTimeDomainData(channels[c]!);
      const before = this.#readClock(this.#clockBefore);
      if (after === before) return { channels, count: after };
    }
    return undefined;
  }

  /** The clock's `count` unwrapped: the frame number near `lastFrame + expected` that it stands for. */
  #unwrap(count: number, lastFrame: number, expected: number): number {
    return lastFrame + ((((count - lastFrame - expected) % CLOCK_PERIOD) + CLOCK_PERIOD + CLOCK_PERIOD / 2) % CLOCK_PERIOD) + expected - CLOCK_PERIOD / 2;
  }

  /** Hands over the `frames` newest of the `size` frames read, ending at clock frame `frame`. */
  #handOver(channels: Float32Array[], size: number, frame: number, frames: number): void {
    // More than an analyser keeps (the event loop stalled): the oldest are lost, and the
    // timestamps show the gap.
    const taken = Math.min(frames, size);
    this.#anchor ??= { frame: frame - taken, micros: monotonicNow() * 1000 - (taken * 1e6) / this.#sampleRate };
    const planar = new Float32Array(taken * channels.length);
    for (let c = 0; c < channels.length; c++) planar.set(channels[c]!.subarray(size - taken), c * taken);
    this.#onMedia(
      audioDataFromBuffer({
        format: 'f32-planar',
        sampleRate: this.#sampleRate,
        numberOfFrames: taken,
        numberOfChannels: channels.length,
        timestamp: Math.round(this.#anchor.micros + ((frame - taken - this.#anchor.frame) * 1e6) / this.#sampleRate),
        data: new Uint8Array(planar.buffer),
      }),
    );
  }

  #readClock(analyser: PkgAnalyserNode): number {
    analyser.getFloatTimeDomainData(this.#count);
    return this.#count[this.#count.length - 1]!;
  }
}
