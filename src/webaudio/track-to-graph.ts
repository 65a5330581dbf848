/**
 * The bridge from a track to an audio graph: what MediaStreamAudioSourceNode and
 * MediaStreamTrackAudioSourceNode output. node-web-audio-api's own MediaStreamAudioSourceNode
 * takes only the native stream of its own getUserMedia, so the track's audio enters the graph as
 * AudioBuffers: each chunk of audio the track delivers becomes an AudioBufferSourceNode started
 * where the previous one ends, a little ahead of the context's current time.
 *
 * Why not the alternatives (bench/README.md, "Web Audio bridges", has the figures): a
 * ScriptProcessorNode plays what its `audioprocess` writes two buffers later, loses a buffer
 * written late, and in node-web-audio-api 1.0 keeps the Node process alive for good, even after
 * `close()`; an AudioWorklet's thread spins a core. Value curves on a ConstantSourceNode's
 * `offset` (`setValueCurveAtTime`, one call per chunk instead of a node) would cost a tenth as
 * much, but in node-web-audio-api 1.0 curves added one by one while the context renders often hold
 * one value for long stretches instead of playing the samples (bench/webaudio.mjs counts how often).
 */
import { attachSink } from '../algorithms/track/sink.js';
import type { Track } from '../algorithms/track/track.js';
import type { AudioData } from '../webcodecs/audio-data.js';
import type { PkgAudioContext, PkgAudioNode, WebAudioPackage } from './package.js';

/**
 * How far ahead of the context's current time a chunk is scheduled when the schedule starts (or
 * restarts after a gap): room for the event loop's jitter. Chunks that follow are scheduled end
 * to end, so this is the bridge's latency.
 */
export const SOURCE_LEAD_SECONDS = 0.02;

/**
 * How far ahead the schedule may run before chunks are dropped: the track's clock runs a little
 * faster than the context's (two clocks never agree), a burst of late chunks came at once, or the
 * render thread was starved and the context's time stood still (a busy machine).
 */
const SOURCE_MAX_AHEAD_SECONDS = 0.25;

/**
 * Once the schedule ran {@link SOURCE_MAX_AHEAD_SECONDS} ahead, chunks are dropped until it is
 * back to this much ahead: one longer cut instead of a cut every other chunk, which a starved
 * render thread would otherwise make for as long as it lags (each cut is a click, and a tone cut
 * every 20 ms no longer sounds, or analyses, at its frequency).
 */
const SOURCE_RESUME_AHEAD_SECONDS = 0.1;

/**
 * The least time ahead of `currentTime` a chunk may start and still follow on: `currentTime` is
 * the end of the quantum being rendered, and a `start()` reaches the render thread at the start of
 * a quantum, so a chunk starting sooner would begin late, over the next one. Sooner than this,
 * the schedule starts again {@link SOURCE_LEAD_SECONDS} ahead, after a gap of silence.
 */
const SOURCE_MIN_AHEAD_QUANTA = 3;

/** Plays the audio of one track into `output` (a node of `context`) until stopped or the context closes. */
export class TrackToGraph {
  readonly #pkg: WebAudioPackage;
  readonly #context: PkgAudioContext;
  readonly #output: PkgAudioNode;
  readonly #detach: () => void;
  /** The context time at which the next chunk starts; undefined until a chunk came (or after a gap). */
  #next: number | undefined;
  #stopped = false;
  /** Dropping chunks until the schedule is back to {@link SOURCE_RESUME_AHEAD_SECONDS} ahead. */
  #draining = false;
  #samples = new Float32Array(0);
  readonly #onStateChange = () => {
    if (this.#context.state === 'closed') this.stop();
  };

  constructor(pkg: WebAudioPackage, context: PkgAudioContext, output: PkgAudioNode, track: Track) {
    this.#pkg = pkg;
    this.#context = context;
    this.#output = output;
    context.addEventListener('statechange', this.#onStateChange);
    this.#detach = attachSink(track, {
      media: (media) => this.#play(media as AudioData),
      // The track ended: the node outputs silence from now on (its last chunks still play out).
      ended: () => this.stop(),
    });
  }

  /** Detaches from the track; chunks already scheduled play out. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#detach();
    this.#context.removeEventListener('statechange', this.#onStateChange);
  }

  #play(data: AudioData): void {
    try {
      const context = this.#context;
      // A suspended context does not render: live audio of that time is dropped, as a browser does.
      if (this.#stopped || context.state !== 'running') {
        this.#next = undefined;
        return;
      }
      const now = context.currentTime;
      const duration = data.numberOfFrames / data.sampleRate;
      if (this.#next === undefined || this.#next < now + (SOURCE_MIN_AHEAD_QUANTA * 128) / context.sampleRate) {
        // The first chunk, or one that came too late to follow on: start again, on a frame.
        this.#next = Math.ceil((now + SOURCE_LEAD_SECONDS) * context.sampleRate) / context.sampleRate;
      }
      else if (this.#next > now + (this.#draining ? SOURCE_RESUME_AHEAD_SECONDS : SOURCE_MAX_AHEAD_SECONDS)) {
        this.#draining = true;
        return;
      }
      this.#draining = false;
      const buffer = new this.#pkg.AudioBuffer({ length: data.numberOfFrames, numberOfChannels: data.numberOfChannels, sampleRate: data.sampleRate });
      // One scratch plane for every chunk: copyToChannel copies out of it.
      if (this.#samples.length < data.numberOfFrames) this.#samples = new Float32Array(data.numberOfFrames);
      const samples = this.#samples.subarray(0, data.numberOfFrames);
      for (let c = 0; c < data.numberOfChannels; c++) {
        data.copyTo(samples, { planeIndex: c, format: 'f32-planar' });
        buffer.copyToChannel(samples, c);
      }
      const node = new this.#pkg.AudioBufferSourceNode(context, { buffer });
      node.connect(this.#output);
      node.start(this.#next);
      // A start() that reaches a busy render thread after its time plays from the chunk's first
      // frame, late: stopped at its scheduled end (half a frame on, so that no frame of an on-time
      // chunk is cut), it cannot play over the next chunk; its tail is lost instead.
      node.stop(this.#next + duration + 0.5 / context.sampleRate);
      this.#next += duration;
    } finally {
      data.close();
    }
  }
}
