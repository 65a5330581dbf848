/**
 * Capture from an ALSA PCM with `arecord` (alsa-utils): interleaved S16_LE on stdout, decoded with
 * the shared PcmCapture (src/backends/pcm.ts) into AudioData.
 *
 *     arecord -q -D plughw:CARD=C920,DEV=0 -f S16_LE -r 48000 -c 2 -t raw --period-time=10000 --buffer-time=40000
 *
 * What arecord does, seen with alsa-utils 1.2.8 (Debian 12):
 *  - On SIGTERM it exits with status 1 (not 0 as parec does; without -q it also says "Aborted by
 *    signal Terminated..."); a stop we asked for is told apart by OwnedProcess, not by the status.
 *  - ALSA's `null` PCM (`-D null`) is not paced: it hands out samples as fast as they are read
 *    (gigabytes per second), and they are not silence but uninitialised memory (heap pointers
 *    show in the bytes). So it stands in for a device's process lifecycle, not its timing or
 *    content. Shown by test/alsa/capture.test.ts "ALSA's null PCM is not paced" and "… hands out
 *    uninitialised memory".
 *  - With `-s N` it stops by itself after N frames, status 0: how the tests make it die unexpectedly.
 *  - A missing or busy device: "arecord: main:…: audio open error: …" and status 1, at once.
 */
import { performance as performanceFromNode } from 'node:perf_hooks';
import { audioDataFromChannels } from '../../webcodecs/internal.js';
import type { AudioMode, DeviceDescriptor } from '../../media/modes.js';
import { Source } from '../../media/source.js';
import { notReadable } from '../../platform/errors.js';
import { OwnedProcess, awaitStartup, type ProcessExit } from '../common/process.js';
import { PcmCapture } from '../common/pcm.js';
import { PERIOD_SECONDS } from './asound.js';

export interface AlsaSourceOptions {
  /** The program to run; default "arecord". */
  readonly program?: string;
  /** Arguments added before the device's (tests: `-s N` to stop after N frames). */
  readonly extraArgs?: readonly string[];
  /** The monotonic clock for timestamps, µs. Default `performance.now() × 1000`. */
  readonly now?: () => number;
  /** How long arecord may stay silent after starting before open() fails. Default 3000 ms. */
  readonly openTimeoutMs?: number;
}

const realPerformance = performanceFromNode;
const defaultNow = (): number => realPerformance.now() * 1000;

/** An ALSA PCM being captured with arecord, shared by the tracks that use it. */
export class AlsaSource extends Source {
  readonly #proc: OwnedProcess;
  readonly #capture: PcmCapture;
  readonly #now: () => number;
  readonly #rate: number;
  #started = false;
  #released = false;
  readonly #firstData: Promise<void>;

  /**
   * Starts capturing `device` (an ALSA PCM name in `rawId`) in `mode`. Resolves once the first
   * samples arrive; rejects with a NotReadableError DOMException when arecord cannot open the PCM,
   * is missing, or stays silent for `openTimeoutMs`.
   */
  static async open(device: DeviceDescriptor, mode: AudioMode, options: AlsaSourceOptions = {}): Promise<AlsaSource> {
    const source = new AlsaSource(device, mode, options);
    await source.#firstData;
    return source;
  }

  private constructor(device: DeviceDescriptor, mode: AudioMode, options: AlsaSourceOptions) {
    super(device, mode);
    this.#rate = mode.sampleRate;
    this.#now = options.now ?? defaultNow;
    this.#capture = new PcmCapture('s16le', mode.channelCount, mode.sampleRate, this.#now);
    const periodUs = Math.round(PERIOD_SECONDS * 1e6);
    const args = [
      '-q',
      ...(options.extraArgs ?? []),
      '-D',
      device.rawId,
      '-f',
      'S16_LE',
      '-r',
      String(mode.sampleRate),
      '-c',
      String(mode.channelCount),
      '-t',
      'raw',
      `--period-time=${periodUs}`,
      `--buffer-time=${periodUs * 4}`,
    ];
    let onData!: () => void;
    const gotData = new Promise<void>((resolve) => (onData = resolve));
    this.#proc = new OwnedProcess(options.program ?? 'arecord', args, {
      debianPackage: 'alsa-utils',
      killGraceMs: 1000,
      onUnexpectedExit: (exit) => this.#onUnexpectedExit(exit),
    });
    this.#proc.stdout.on('data', (chunk: Buffer) => {
      if (!this.#started) {
        this.#started = true;
        onData();
      }
      this.#onData(chunk);
    });

    const timeoutMs = options.openTimeoutMs ?? 3000;
    this.#firstData = awaitStartup(this.#proc, gotData, {
      timeoutMs,
      timeoutReason: `arecord delivered no samples within ${timeoutMs} ms`,
      exitReason: (exit) => (this.#started ? undefined : this.#proc.describeExit(exit)),
      error: (why) => notReadable(`Could not capture from ALSA device "${device.rawId}": ${why}`),
      onFail: () => {
        this.#released = true;
      },
    });
  }

  /** The pid of the arecord process, while it runs. */
  get pid(): number | undefined {
    return this.#proc.running ? this.#proc.pid : undefined;
  }

  /** Resolves when arecord has exited and been reaped. */
  get closed(): Promise<ProcessExit> {
    return this.#proc.exited;
  }

  /** Frames decoded so far. */
  get framesDelivered(): number {
    return this.#capture.framesDelivered;
  }

  /** The clock of the timestamps. */
  override now(): number {
    return this.#now();
  }

  protected stopSource(): void {
    this.#released = true;
    void this.#proc.kill();
  }

  #onUnexpectedExit(exit: ProcessExit): void {
    // Before the first samples, open() reports the failure instead.
    if (!this.#started) return;
    this.end(`ALSA capture failed: ${this.#proc.describeExit(exit)}`);
  }

  #onData(chunk: Buffer): void {
    if (this.#released) return;
    const decoded = this.#capture.push(chunk);
    if (!decoded) return;
    const { planes, timestamp } = decoded;
    if (this.hasDemand) this.emit(audioDataFromChannels(planes, this.#rate, Math.round(timestamp)));
  }
}
