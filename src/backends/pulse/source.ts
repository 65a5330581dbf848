/**
 * Capture from a PulseAudio source with `parec` (pulseaudio-utils).
 *
 * Why parec and not `ffmpeg -f pulse`: measured here (PulseAudio 16.1, 48 kHz stereo float from a
 * null-sink monitor, 3 s, `--latency-msec=10` vs `-fragment_size 3840`): parec delivered a chunk
 * every 10.0 ms (max gap 12 ms) using ~0–10 ms of CPU and 5.8 MB of memory; ffmpeg delivered every
 * 20 ms (max gap 40 ms) using 120–210 ms of CPU and 50 MB, warned about non-monotonic timestamps,
 * and exits with status 255 on SIGTERM. parec also reports, with -v, what we need to know (below).
 *
 * What parec -v says on stderr, and what this does with it (LC_ALL=C; the lines are translated
 * otherwise):
 *  - "Buffer metrics: maxlength=…, fragsize=N": the latency the server granted (N bytes per read),
 *    {@link PulseSource.grantedLatency}.
 *  - "Connected to device NAME (index: N, suspended: no)": the stream runs; `open()` resolves.
 *  - "Stream moved to device OTHER (…)": PulseAudio (16.1 here, with no module-rescue-streams
 *    loaded) moves a capture stream to the default source when its source is removed, instead of
 *    ending it, and parec (which has no option for PA_STREAM_DONT_MOVE) keeps going, now
 *    recording another device. The track was opened
 *    on one device, so the source ends instead. Shown by test/pulse/capture.test.ts "PulseAudio
 *    moves a capture stream to another source when its source is removed" (the quirk, with parec
 *    alone) and "ends the source on parec's "Stream moved" alone".
 *  - "Stream error: No such entity" then exit status 1: the source does not exist.
 *  - "Time: … sec; Latency: … usec." every 50 ms: ignored, kept out of the error messages.
 *  - SIGTERM: parec catches it, says "Got signal, exiting." and exits with status 0 (test "keeps
 *    parec running while a track is attached, and kills it when the last one detaches").
 * Its "Connection established.\x1b[K" has a terminal escape, removed by OwnedProcess.
 *
 * Timing: module-sine-source delivers 2 s blocks at once (see descriptors.ts). A module-null-sink
 * monitor delivered its first samples 0.5–1.9 s after the stream connected (apparently the sink
 * finishes its current sleep, up to 2 s, before it honours the lower latency), then every 10 ms (test
 * "captures a 16-bit stereo sink monitor in 10 ms chunks").
 *
 * The removal of the source is also seen from `pactl subscribe` ("Event 'remove' on source #N"),
 * whichever comes first ends the source.
 */
import { performance as performanceFromNode } from 'node:perf_hooks';
import { audioDataFromChannels } from '../../webcodecs/internal.js';
import type { AudioMode, DeviceDescriptor } from '../../media/modes.js';
import { Source } from '../../media/source.js';
import { notReadable } from '../../platform/errors.js';
import { OwnedProcess, awaitStartup, type ProcessExit } from '../common/process.js';
import { REQUESTED_LATENCY_MS } from './descriptors.js';
import type { PulseEvents } from './pactl.js';
import { pulseEnv } from './pactl.js';
import { BYTES_PER_SAMPLE, PcmCapture, type PcmFormat } from '../common/pcm.js';
import { queueMicrotask } from '../../platform/timers.js';

/**
 * Called with each chunk of captured samples: one Float32Array per channel, and the capture time
 * of the chunk's first sample in microseconds on the monotonic clock.
 */
export type SamplesCallback = (planar: Float32Array[], timestampMicros: number) => void;

export interface PulseSourceOptions {
  /** Environment for parec; default process.env at open time. LC_ALL=C is added. */
  readonly env?: NodeJS.ProcessEnv;
  /** Events from `pactl subscribe`; when given, the source ends as soon as its device is removed. */
  readonly events?: PulseEvents;
  /** The monotonic clock for timestamps, in microseconds. Default `performance.now() × 1000`. */
  readonly now?: () => number;
  /** How long to wait for parec to connect before giving up. Default 5000 ms. */
  readonly openTimeoutMs?: number;
}

const realPerformance = performanceFromNode;
const defaultNow = (): number => realPerformance.now() * 1000;

/** parec -v's progress and status lines: left out of error messages, which keep the errors. */
const CHATTER = /^(Time: |Opening a recording stream|Connection established|Stream successfully created|Buffer metrics:|Using sample spec|Connected to device|Stream started)/;

/** A PulseAudio source being captured with parec, shared by the tracks that use it. */
export class PulseSource extends Source {
  /** The PCM format read from parec: s16le for 16-bit devices (exact), float32le otherwise. */
  readonly format: PcmFormat;
  readonly #proc: OwnedProcess;
  readonly #capture: PcmCapture;
  readonly #now: () => number;
  readonly #rate: number;
  readonly #callbacks = new Set<SamplesCallback>();
  #grantedLatency: number | undefined;
  #serverIndex: number | undefined;
  #unsubscribeEvents: (() => void) | undefined;
  #events: PulseEvents | undefined;
  #connected: Promise<void>;
  #released = false;

  /**
   * Starts capturing `device` (a PulseAudio source name in `rawId`) in `mode`. Resolves once parec
   * is connected to the source; rejects with a NotReadableError DOMException if it cannot connect
   * (no such source, no server, parec missing, timeout).
   */
  static async open(device: DeviceDescriptor, mode: AudioMode, options: PulseSourceOptions = {}): Promise<PulseSource> {
    const source = new PulseSource(device, mode, options);
    await source.#connected;
    return source;
  }

  private constructor(device: DeviceDescriptor, mode: AudioMode, options: PulseSourceOptions) {
    super(device, mode);
    this.format = mode.sampleSize === 16 ? 's16le' : 'float32le';
    this.#rate = mode.sampleRate;
    this.#now = options.now ?? defaultNow;
    this.#capture = new PcmCapture(this.format, mode.channelCount, mode.sampleRate, this.#now);
    this.#events = options.events;

    const native = device.audioModes?.[0];
    const args = [
      '-v',
      '--raw',
      `--device=${device.rawId}`,
      `--format=${this.format}`,
      `--rate=${mode.sampleRate}`,
      `--channels=${mode.channelCount}`,
      `--latency-msec=${REQUESTED_LATENCY_MS}`,
      '--client-name=mediacapture',
      '--stream-name=mediacapture capture',
      '--property=media.role=production',
    ];
    // Same channel count as the device: take its channels in order, as they are, instead of
    // remapping by channel position names (which would mix e.g. "aux0,aux1" into front-left/right).
    if (native && native.channelCount === mode.channelCount) args.push('--no-remap');

    let onConnected!: () => void;
    let lastError = '';
    const connected = new Promise<void>((resolve) => (onConnected = resolve));

    this.#proc = new OwnedProcess('parec', args, {
      env: pulseEnv(options.env ?? process.env),
      killGraceMs: 1000,
      stderrTailFilter: (line) => !CHATTER.test(line),
      onStderrLine: (line) => {
        let m: RegExpExecArray | null;
        if ((m = /^Buffer metrics: maxlength=\d+, fragsize=(\d+)/.exec(line))) {
          const frameBytes = BYTES_PER_SAMPLE[this.format] * mode.channelCount;
          this.#grantedLatency = Number(m[1]) / frameBytes / mode.sampleRate;
        } else if ((m = /^Connected to device .* \(index: (\d+), suspended: (?:yes|no)\)/.exec(line))) {
          this.#serverIndex = Number(m[1]);
          this.#watchRemoval();
          onConnected();
        } else if ((m = /^Stream moved to device (.*) \(\d+, (?:not )?suspended\)/.exec(line))) {
          this.end(`PulseAudio source "${device.rawId}" went away (the server moved the capture to "${m[1]}")`);
        } else if (line.startsWith('Stream error: ') || line.startsWith('Connection failure: ')) {
          lastError = line;
        }
      },
      onUnexpectedExit: (exit) => this.#onUnexpectedExit(exit),
    });
    this.#proc.stdout.on('data', (chunk: Buffer) => this.#onData(chunk));

    const timeoutMs = options.openTimeoutMs ?? 5000;
    this.#connected = awaitStartup(this.#proc, connected, {
      timeoutMs,
      timeoutReason: `parec did not connect within ${timeoutMs} ms`,
      exitReason: (exit) => lastError || this.#proc.describeExit(exit),
      error: (why) => notReadable(`Could not capture from PulseAudio source "${device.rawId}": ${why}`),
      onFail: () => {
        this.#released = true;
        this.#unsubscribeEvents?.();
      },
    });
  }

  /**
   * The hook the media pipeline uses to receive samples: `callback` gets each chunk as planar
   * Float32Arrays (one per channel, values in [-1, 1]) and the capture time of its first sample.
   * Timestamps are contiguous (each is the previous one plus its chunk's duration), starting at
   * the arrival time of the first chunk minus its duration, and jump forward only when samples
   * were lost or the device clock lags the monotonic clock by more than 50 ms. Returns a function
   * that removes the callback.
   */
  onSamples(callback: SamplesCallback): () => void {
    this.#callbacks.add(callback);
    return () => this.#callbacks.delete(callback);
  }

  /** The pid of the parec process, while it runs. */
  get pid(): number | undefined {
    return this.#proc.running ? this.#proc.pid : undefined;
  }

  /** Resolves when the parec process has exited and been reaped (after the source stops). */
  get closed(): Promise<ProcessExit> {
    return this.#proc.exited;
  }

  /**
   * The latency the server granted the capture stream, in seconds (its fragment size): about
   * 0.01 for sources with dynamic latency, 2 for module-sine-source. Undefined until connected.
   */
  get grantedLatency(): number | undefined {
    return this.#grantedLatency;
  }

  /** The source's index on the server ("Source #N"). */
  get serverIndex(): number | undefined {
    return this.#serverIndex;
  }

  /** Frames delivered to onSamples callbacks so far. */
  get framesDelivered(): number {
    return this.#capture.framesDelivered;
  }

  /** The clock of the timestamps. */
  override now(): number {
    return this.#now();
  }

  protected stopSource(): void {
    this.#released = true;
    this.#unsubscribeEvents?.();
    this.#unsubscribeEvents = undefined;
    this.#callbacks.clear();
    void this.#proc.kill();
  }

  #watchRemoval(): void {
    if (!this.#events || this.#unsubscribeEvents || this.#released) return;
    const index = this.#serverIndex;
    this.#unsubscribeEvents = this.#events.subscribe((event) => {
      if (event.type === 'remove' && event.facility === 'source' && event.index === index) {
        this.end(`PulseAudio source "${this.device.rawId}" was removed`);
      }
    });
  }

  #onUnexpectedExit(exit: ProcessExit): void {
    // Before the stream was connected, open() reports the failure instead.
    if (this.#serverIndex === undefined) return;
    this.end(`PulseAudio capture failed: ${this.#proc.describeExit(exit)}`);
  }

  #onData(chunk: Buffer): void {
    if (this.#released) return;
    const decoded = this.#capture.push(chunk);
    if (!decoded) return;
    const { planes, timestamp } = decoded;
    // Into the media pipeline, for the tracks' consumers (planes are fresh arrays: no copy kept).
    if (this.hasDemand) this.emit(audioDataFromChannels(planes, this.#rate, Math.round(timestamp)));
    for (const callback of [...this.#callbacks]) {
      try {
        callback(planes, timestamp);
      } catch (err) {
        // One failing consumer must not starve the others; report it like an event listener's error.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
