/**
 * Capturing from the private PulseAudio server of scripts/services.sh with parec, for real.
 */
import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { PulseProvider, PulseSource } from '../../src/backends/pulse/index.js';
import { OwnedProcess, killAll } from '../../src/backends/common/process.js';
import type { DeviceDescriptor, AudioMode } from '../../src/media/modes.js';
import type { SourceObserver } from '../../src/media/source.js';
import { pulseService } from '../helpers/services.js';
import { loadModule, loadSineSource, unloadModule, uniqueName } from '../helpers/pulse.js';
import { procState, childrenNamed } from '../helpers/proc.js';
import { scaled, turns, until } from '../helpers/wait.js';

const pulse = pulseService();

interface Capture {
  planes: Float32Array[][];
  timestamps: number[];
  arrivals: number[];
  frames: number;
  /** Frames the source had delivered before this capture began (chunks that came before it subscribed). */
  framesBefore: number;
}

/** Collects chunks until `frames` frames have arrived. */
function collect(source: PulseSource, frames: number, timeoutMs = scaled(10_000)): Promise<Capture> {
  const capture: Capture = { planes: [], timestamps: [], arrivals: [], frames: 0, framesBefore: source.framesDelivered };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`only ${capture.frames} of ${frames} frames arrived within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = source.onSamples((planar, timestamp) => {
      capture.planes.push(planar);
      capture.timestamps.push(timestamp);
      capture.arrivals.push(performance.now() * 1000);
      capture.frames += planar[0]!.length;
      if (capture.frames >= frames) {
        clearTimeout(timer);
        stop();
        resolve(capture);
      }
    });
  });
}

/** One channel of a capture, the first `frames` samples, as one array. */
function channel(capture: Capture, c: number, frames: number): Float32Array {
  const out = new Float32Array(frames);
  let at = 0;
  for (const planar of capture.planes) {
    const plane = planar[c]!.subarray(0, Math.min(planar[c]!.length, frames - at));
    out.set(plane, at);
    at += plane.length;
    if (at >= frames) break;
  }
  return out;
}

/** Frequency from rising zero crossings, in Hz. */
function frequency(samples: Float32Array, rate: number): number {
  const crossings: number[] = [];
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 && samples[i]! >= 0) crossings.push(i);
  return ((crossings.length - 1) * rate) / (crossings.at(-1)! - crossings[0]!);
}

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const v of samples) sum += v * v;
  return Math.sqrt(sum / samples.length);
}

class RecordingObserver implements SourceObserver {
  ended: string[] = [];
  muted: boolean[] = [];
  sourceMutedChanged(muted: boolean): void {
    this.muted.push(muted);
  }
  sourceEnded(reason: string): void {
    this.ended.push(reason);
  }
}

describe.skipIf(pulse.skip)('PulseAudio capture (parec)', () => {
  let provider: PulseProvider;
  const modules: number[] = [];
  const attached: [PulseSource, SourceObserver][] = [];

  beforeAll(() => {
    pulse.require();
    provider = new PulseProvider();
  });

  /** Attaches a new observer (a stand-in for a track); afterEach detaches what is left. */
  function track(source: PulseSource): RecordingObserver {
    const observer = new RecordingObserver();
    source.attach(observer);
    attached.push([source, observer]);
    return observer;
  }

  afterEach(async () => {
    const sources = new Set(attached.map(([s]) => s));
    for (const [source, observer] of attached.splice(0)) source.detach(observer);
    await Promise.all([...sources].map((s) => s.closed));
    // Every test leaves nothing behind: no open source, no parec.
    expect(provider.openSources).toEqual([]);
    expect(childrenNamed('parec')).toEqual([]);
    for (const m of modules.splice(0)) await unloadModule(m).catch(() => {});
    provider.close();
    await killAll();
  });

  async function device(rawId: string): Promise<DeviceDescriptor> {
    const found = (await provider.enumerate()).find((d) => d.rawId === rawId);
    if (!found) throw new Error(`${rawId} is not listed`);
    return found;
  }

  async function open(rawId: string): Promise<PulseSource> {
    const d = await device(rawId);
    return (await provider.open(d, { mode: d.audioModes![0]! })) as PulseSource;
  }

  it('captures 1 s of the 440 Hz sine source: frequency, level, contiguous timestamps', async () => {
    const source = await open('mc_sine_440');
    const observer = track(source);
    expect(source.format).toBe('float32le');
    const capture = await collect(source, 48000);
    const samples = channel(capture, 0, 48000);
    expect(capture.planes[0]).toHaveLength(1); // mono
    expect(frequency(samples, 48000)).toBeCloseTo(440, 0);
    // module-sine-source writes a full-scale-½ sine (pa_memchunk_sine): peak 0.5, RMS 0.5/√2.
    expect(Math.max(...samples)).toBeCloseTo(0.5, 3);
    expect(rms(samples)).toBeCloseTo(0.5 / Math.SQRT2, 3);
    // Each chunk's timestamp is the previous one plus the previous chunk's duration.
    for (let i = 1; i < capture.timestamps.length; i++) {
      const previousFrames = capture.planes[i - 1]![0]!.length;
      expect(capture.timestamps[i]! - capture.timestamps[i - 1]!).toBeCloseTo((previousFrames / 48000) * 1e6, 3);
    }
    // Capture times on the monotonic clock: the stream's first sample (this chunk's timestamp less
    // the samples that came before the capture subscribed) was captured before this chunk arrived.
    // (Later chunks of a source that renders ahead, as this one does, carry times after their arrival.)
    expect(capture.timestamps[0]! - (capture.framesBefore / 48000) * 1e6).toBeLessThanOrEqual(capture.arrivals[0]!);
    expect(observer.ended).toEqual([]);
  });

  it('module-sine-source grants 2 s latency, whatever the capture stream asks for', async () => {
    // Quirk: module-sine-source has a fixed latency of 2 s and posts 2 s blocks rendered ahead of
    // time, so the first 2 s of samples arrive at once. descriptors.ts reports latency 2 for it.
    const d = await device('mc_sine_440');
    expect((d.audioModes![0] as AudioMode).latency).toBe(2);
    const source = await open('mc_sine_440');
    track(source);
    expect(source.grantedLatency).toBe(2);
    // Samples come in blocks rendered ahead, not in real time: in 2 s of samples there is a burst
    // of at least 1 s of them arriving within 250 ms (whichever part of a block the capture
    // starts in, the rest of the 2 s is one block, delivered at once).
    const capture = await collect(source, 96000);
    let burst = 0;
    for (let first = 0, frames = 0, last = 0; last < capture.planes.length; last++) {
      frames += capture.planes[last]![0]!.length;
      for (; capture.arrivals[last]! - capture.arrivals[first]! > 250_000; first++) frames -= capture.planes[first]![0]!.length;
      burst = Math.max(burst, frames);
    }
    expect(burst).toBeGreaterThanOrEqual(48000);
  });

  it('captures the 1000 Hz source at its native 44.1 kHz', async () => {
    const d = await device('mc_sine_1000');
    expect(d.audioModes).toEqual([{ sampleRate: 44100, channelCount: 1, sampleSize: 32, latency: 2 }]);
    const source = await open('mc_sine_1000');
    track(source);
    const capture = await collect(source, 44100);
    expect(frequency(channel(capture, 0, 44100), 44100)).toBeCloseTo(1000, 0);
  });

  it('captures a 16-bit stereo sink monitor in 10 ms chunks (dynamic latency)', async () => {
    const sink = uniqueName('sink');
    modules.push(await loadModule('module-null-sink', `sink_name=${sink}`, 'rate=48000', 'channels=2', 'format=s16le'));
    modules.push(await loadModule('module-sine', `sink=${sink}`, 'frequency=660'));
    const source = await open(`${sink}.monitor`);
    track(source);
    expect(source.format).toBe('s16le');
    expect(source.grantedLatency).toBeCloseTo(0.01, 3);
    // The first samples of a null-sink monitor take up to 2 s (apparently the sink finishes its
    // current sleep before it honours the lower latency); after that, a chunk every 10 ms.
    await collect(source, 480);
    const capture = await collect(source, 48000);
    expect(capture.planes[0]).toHaveLength(2);
    const left = channel(capture, 0, 48000);
    const right = channel(capture, 1, 48000);
    expect(frequency(left, 48000)).toBeCloseTo(660, 0);
    expect(rms(left)).toBeGreaterThan(0.1);
    expect([...right.subarray(0, 1000)]).toEqual([...left.subarray(0, 1000)]);
    const sizes = capture.planes.map((p) => p[0]!.length);
    const median = [...sizes].sort((a, b) => a - b)[sizes.length >> 1]!;
    expect(median).toBe(480);
  });

  it('ends the source once when the captured source is unloaded, and reaps parec', async () => {
    const name = uniqueName('sine');
    const module = await loadSineSource(name, 550);
    modules.push(module);
    const source = await open(name);
    const observer = track(source);
    await collect(source, 4800);
    const pid = source.pid!;
    expect(procState(pid)).toBe('running');

    await unloadModule(module);
    await until(() => observer.ended.length > 0);
    expect(observer.ended).toHaveLength(1);
    expect(observer.ended[0]).toMatch(new RegExp(`PulseAudio source "${name}" (was removed|went away)`));
    expect(source.ended).toBe(true);
    // Once parec is reaped and the source released (it no longer listens to pactl subscribe),
    // nothing is left that could end it a second time.
    await source.closed;
    expect(procState(pid)).toBe('gone');
    await turns();
    expect(observer.ended).toHaveLength(1);
  });

  it('ends the source on parec\'s "Stream moved" alone, without pactl subscribe', async () => {
    const name = uniqueName('sine');
    const module = await loadSineSource(name, 550);
    modules.push(module);
    // PulseSource.open without `events`: only parec's own report can tell.
    const source = await PulseSource.open(await device(name), { sampleRate: 48000, channelCount: 1, sampleSize: 32, latency: 2 });
    const observer = track(source);
    await unloadModule(module);
    await until(() => observer.ended.length > 0);
    expect(observer.ended).toHaveLength(1);
    expect(observer.ended[0]).toMatch(new RegExp(`^PulseAudio source "${name}" went away \\(the server moved the capture to "[^"]+"\\)$`));
    await source.closed;
  });

  it('ends the source when parec dies unexpectedly', async () => {
    const source = await open('mc_sine_440');
    const observer = track(source);
    process.kill(source.pid!, 'SIGKILL');
    await until(() => observer.ended.length > 0);
    expect(observer.ended).toEqual(['PulseAudio capture failed: parec was killed by SIGKILL']);
    await source.closed;
  });

  it('keeps parec running while a track is attached, and kills it when the last one detaches', async () => {
    const source = await open('mc_sine_440');
    const a = new RecordingObserver();
    const b = new RecordingObserver();
    source.attach(a);
    source.attach(b);
    const pid = source.pid!;
    expect(childrenNamed('parec')).toEqual([pid]);
    source.detach(a);
    // parec goes on: samples still come for the other track.
    await collect(source, 480);
    expect(procState(pid)).toBe('running');
    expect(source.stopped).toBe(false);
    source.detach(b);
    expect(source.stopped).toBe(true);
    const exit = await source.closed;
    // parec catches SIGTERM ("Got signal, exiting.") and exits with status 0.
    expect(exit).toMatchObject({ expected: true, code: 0, signal: null });
    expect(exit.stderrTail).toContain('Got signal, exiting.');
    expect(procState(pid)).toBe('gone');
    expect(childrenNamed('parec')).toEqual([]);
    expect(a.ended).toEqual([]);
    expect(b.ended).toEqual([]);
    expect(provider.openSources).toEqual([]);
  });

  it('rejects with NotReadableError when the source does not exist, leaving no process', async () => {
    const d = await device('mc_sine_440');
    const missing: DeviceDescriptor = { ...d, rawId: 'mc_no_such_source' };
    const err = await provider.open(missing, { mode: d.audioModes![0]! }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DOMException);
    expect((err as DOMException).name).toBe('NotReadableError');
    expect((err as DOMException).message).toBe(
      'Could not capture from PulseAudio source "mc_no_such_source": Stream error: No such entity',
    );
    await until(() => childrenNamed('parec').length === 0, 'parec to be reaped');
  });

  it('PulseAudio moves a capture stream to another source when its source is removed (why "Stream moved" ends the source)', async () => {
    // The quirk itself, with parec alone: it does not exit, it keeps recording the default source.
    const name = uniqueName('sine');
    const module = await loadSineSource(name, 330);
    modules.push(module);
    const lines: string[] = [];
    const parec = new OwnedProcess('parec', ['-v', '--raw', `--device=${name}`, '--format=float32le', '--rate=48000', '--channels=1'], {
      env: { ...process.env, LC_ALL: 'C' },
      onStderrLine: (l) => lines.push(l),
    });
    let bytes = 0;
    parec.stdout.on('data', (b: Buffer) => (bytes += b.length));
    await until(() => lines.some((l) => l.startsWith('Connected to device')));
    await unloadModule(module);
    await until(() => lines.some((l) => l.startsWith('Stream moved to device')));
    // It records on: samples keep coming from the source it was moved to.
    const atMove = bytes;
    await until(() => bytes > atMove || !parec.running, 'samples after the move');
    expect(parec.running).toBe(true);
    await parec.kill();
  });
});
