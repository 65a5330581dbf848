/**
 * The bridge from a track to an audio graph: what MediaStreamAudioSourceNode and
 * MediaStreamTrackAudioSourceNode output. node-web-audio-api's own MediaStreamAudioSourceNode
 * takes only the native stream of its own getUserMedia, so the track's audio enters the graph
 * through AudioParam automation: one ConstantSourceNode per channel (offset 0), whose `offset`
 * plays each chunk of the track's audio as a value curve (`setValueCurveAtTime`), the chunks end
 * to end, a little ahead of the context's current time. A curve of N samples over (N - 1) sample
 * periods puts each sample on a frame, so the output is the samples themselves (at another sample
 * rate than the context's, the curve's linear interpolation resamples them).
 *
 * Why not the alternatives (bench/README.md, "Web Audio bridges", has the figures): an
 * AudioBufferSourceNode per chunk plays the same samples but costs about 0.5 ms of the event loop
 * per chunk in node-web-audio-api 1.0 (a curve: 0.03 ms); a ScriptProcessorNode plays what its
 * `audioprocess` writes two buffers later, loses a buffer written late, and keeps the Node
 * process alive for good, even after `close()`; an AudioWorklet's thread spins a core.
 */
import { attachSink } from '../algorithms/track/sink.js';
import type { Track } from '../algorithms/track/track.js';
import type { AudioData } from '../webcodecs/audio-data.js';
import type { PkgAudioContext, PkgAudioNode, PkgConstantSourceNode, WebAudioPackage } from './package.js';

/**
 * How far ahead of the context's current time a chunk is scheduled when the schedule starts (or
 * restarts after a gap): room for the event loop's jitter. Chunks that follow are scheduled end
 * to end, so this is the bridge's latency.
 */
export const SOURCE_LEAD_SECONDS = 0.02;

/**
 * How far ahead the schedule may run before chunks are dropped: the track's clock runs a little
 * faster than the context's (two clocks never agree), or a burst of late chunks came at once.
 */
const SOURCE_MAX_AHEAD_SECONDS = 0.1;

/**
 * Automation times are set this fraction of a frame early: an event at exactly frame f's time
 * can land on frame f + 1 when the time is rounded, which would repeat a sample and skip one.
 */
const EARLY_FRAMES = 1e-6;

/** The nodes that play one channel layout: a ConstantSourceNode per channel, merged. */
interface Voices {
  readonly channels: number;
  readonly sources: PkgConstantSourceNode[];
  readonly merger: PkgAudioNode | undefined;
}

/** Plays the audio of one track into `output` (a node of `context`) until stopped or the context closes. */
export class TrackToGraph {
  readonly #pkg: WebAudioPackage;
  readonly #context: PkgAudioContext;
  readonly #output: PkgAudioNode;
  readonly #detach: () => void;
  #voices: Voices | undefined;
  /** The context time at which the next chunk starts; undefined until a chunk came (or after a gap). */
  #next: number | undefined;
  #stopped = false;
  readonly #samples = new Map<number, Float32Array>();
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
      // The track ended: the node outputs silence once what is scheduled has played.
      ended: () => this.stop(),
    });
  }

  /** Detaches from the track; chunks already scheduled play out, then silence. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#detach();
    this.#context.removeEventListener('statechange', this.#onStateChange);
    if (this.#context.state !== 'closed') this.#retire(this.#next ?? this.#context.currentTime);
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
      const frames = data.numberOfFrames;
      if (this.#next === undefined || this.#next < now) {
        // The first chunk, or one that came too late to follow on: start again, on a frame.
        this.#next = Math.ceil((now + SOURCE_LEAD_SECONDS) * context.sampleRate) / context.sampleRate;
      } else if (this.#next > now + SOURCE_MAX_AHEAD_SECONDS) {
        return;
      }
      const start = this.#next;
      const early = EARLY_FRAMES / context.sampleRate;
      const voices = this.#voicesFor(data.numberOfChannels, start);
      let samples = this.#samples.get(frames);
      if (!samples) this.#samples.set(frames, (samples = new Float32Array(frames)));
      const end = start + frames / data.sampleRate;
      for (let c = 0; c < voices.channels; c++) {
        const offset = voices.sources[c]!.offset;
        data.copyTo(samples, { planeIndex: c, format: 'f32-planar' });
        // The silence set after the previous chunk, in case none followed, gives way to this one.
        offset.cancelScheduledValues(start - early);
        if (frames > 1) offset.setValueCurveAtTime(samples, start - early, (frames - 1) / data.sampleRate);
        else offset.setValueAtTime(samples[0]!, start - early);
        offset.setValueAtTime(0, end - early);
      }
      this.#next = end;
    } finally {
      data.close();
    }
  }

  /** The voices for `channels` channels, made (and the previous ones retired at `at`) when the layout changes. */
  #voicesFor(channels: number, at: number): Voices {
    if (this.#voices?.channels === channels) return this.#voices;
    this.#retire(at);
    const pkg = this.#pkg;
    const context = this.#context;
    const sources = Array.from({ length: channels }, () => new pkg.ConstantSourceNode(context, { offset: 0 }));
    const merger = channels > 1 ? new pkg.ChannelMergerNode(context, { numberOfInputs: channels }) : undefined;
    sources.forEach((source, c) => {
      source.connect(merger ?? this.#output, 0, merger ? c : 0);
      source.start();
    });
    merger?.connect(this.#output);
    this.#voices = { channels, sources, merger };
    return this.#voices;
  }

  /** Stops the current voices once what they have scheduled (up to `at`) has played. */
  #retire(at: number): void {
    const voices = this.#voices;
    this.#voices = undefined;
    for (const source of voices?.sources ?? []) source.stop(Math.max(at, this.#context.currentTime));
  }
}
