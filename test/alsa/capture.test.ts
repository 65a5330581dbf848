/**
 * Capturing with arecord, end to end, from ALSA's `null` PCM (this machine has no sound card):
 * the process starts, samples arrive as AudioData, stop() reaps it, and an unexpected exit ends
 * the source once. Needs arecord (alsa-utils); skipped where it is missing, except in CI.
 */
import { execFileSync } from 'node:child_process';
import { describe, it, expect, afterEach } from 'vitest';
import { AlsaProvider, AlsaSource } from '../../src/backends/alsa/index.js';
import { killAll } from '../../src/backends/common/process.js';
import type { AudioMode, DeviceDescriptor } from '../../src/media/modes.js';
import type { SourceObserver } from '../../src/media/source.js';
import { AudioData } from '../../src/webcodecs/index.js';
import { childrenNamed, procState } from '../helpers/proc.js';
import { turns, until } from '../helpers/wait.js';

function installed(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const inCi = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
const skip = !installed('arecord') && !inCi;

const MODE: AudioMode = { sampleRate: 48000, channelCount: 2, sampleSize: 16, latency: 0.01 };
const device = (rawId: string): DeviceDescriptor => ({ rawId, kind: 'audioinput', label: `ALSA ${rawId}`, groupKey: `alsa:${rawId}`, audioModes: [MODE] });

class RecordingObserver implements SourceObserver {
  ended: string[] = [];
  sourceMutedChanged(): void {}
  sourceEnded(reason: string): void {
    this.ended.push(reason);
  }
}

describe.skipIf(skip)('ALSA capture (arecord)', () => {
  const provider = new AlsaProvider({ asoundRoot: '/nonexistent' });
  const attached: [AlsaSource, SourceObserver][] = [];

  async function open(rawId = 'null'): Promise<[AlsaSource, RecordingObserver]> {
    const source = (await provider.open(device(rawId), { mode: MODE })) as AlsaSource;
    const observer = new RecordingObserver();
    source.attach(observer);
    attached.push([source, observer]);
    return [source, observer];
  }

  afterEach(async () => {
    const sources = new Set(attached.map(([s]) => s));
    for (const [source, observer] of attached.splice(0)) source.detach(observer);
    await Promise.all([...sources].map((s) => s.closed));
    expect(provider.openSources).toEqual([]);
    expect(childrenNamed('arecord')).toEqual([]);
    await killAll();
  });

  it('delivers the null PCM as 48 kHz stereo AudioData with contiguous timestamps', async () => {
    const [source] = await open();
    const chunks: AudioData[] = [];
    const unsubscribe = source.subscribe(null, (media) => {
      if (chunks.length < 3) chunks.push(media as AudioData);
      else (media as AudioData).close();
    });
    await until(() => chunks.length === 3);
    unsubscribe();
    for (const data of chunks) {
      expect(data).toBeInstanceOf(AudioData);
      expect([data.sampleRate, data.numberOfChannels]).toEqual([48000, 2]);
      const plane = new Float32Array(data.numberOfFrames);
      data.copyTo(plane, { planeIndex: 1, format: 'f32-planar' });
      expect(plane.every((v) => v >= -1 && v < 1)).toBe(true);
    }
    const [a, b] = chunks;
    // Each chunk starts where the previous one ended (to the µs the rounding allows).
    expect(Math.abs(b!.timestamp - (a!.timestamp + (a!.numberOfFrames / 48000) * 1e6))).toBeLessThanOrEqual(1);
    chunks.forEach((d) => d.close());
  });

  it("ALSA's null PCM hands out uninitialised memory, not silence (why tests check its shape, not its samples)", async () => {
    const [source] = await open();
    let nonZero = 0;
    const unsubscribe = source.subscribe(null, (media) => {
      const data = media as AudioData;
      const plane = new Float32Array(data.numberOfFrames);
      data.copyTo(plane, { planeIndex: 0, format: 'f32-planar' });
      nonZero += plane.filter((v) => v !== 0).length;
      data.close();
    });
    await until(() => source.framesDelivered > 96_000);
    unsubscribe();
    expect(nonZero).toBeGreaterThan(0);
  });

  it("ALSA's null PCM is not paced: it hands out samples faster than real time (why it stands in for the lifecycle only)", async () => {
    const [source] = await open();
    const start = source.framesDelivered;
    const startedAt = performance.now();
    // 10 s of 48 kHz audio arrive in less than half of that: real time would take 10 s.
    await until(() => source.framesDelivered - start >= 10 * 48_000, '10 s of samples');
    expect(performance.now() - startedAt).toBeLessThan(10_000 / 2);
  });

  it('kills and reaps arecord when the last track detaches, without ending the tracks', async () => {
    const [source, a] = await open();
    const pid = source.pid!;
    expect(childrenNamed('arecord')).toEqual([pid]);
    attached.splice(0);
    source.detach(a);
    expect(source.stopped).toBe(true);
    const exit = await source.closed;
    // arecord answers SIGTERM with status 1 (and, without -q, "Aborted by signal Terminated...").
    expect(exit).toMatchObject({ expected: true, code: 1, signal: null });
    expect(procState(pid)).toBe('gone');
    expect(a.ended).toEqual([]);
  });

  it('ends the source once when arecord dies unexpectedly', async () => {
    const [source, observer] = await open();
    const other = new RecordingObserver();
    source.attach(other);
    const pid = source.pid!;
    process.kill(pid, 'SIGKILL');
    await until(() => observer.ended.length > 0);
    // Once arecord is reaped and its output read, nothing is left that could end it again.
    await source.closed;
    await turns();
    expect(observer.ended).toEqual(['ALSA capture failed: arecord was killed by SIGKILL']);
    expect(other.ended).toEqual(['ALSA capture failed: arecord was killed by SIGKILL']);
    expect(source.ended).toBe(true);
    expect(procState(pid)).toBe('gone');
  });

  it('rejects with NotReadableError when the PCM does not exist, leaving no process', async () => {
    const error = await provider.open(device('hw:CARD=NoSuchCard,DEV=0'), { mode: MODE }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('NotReadableError');
    expect((error as DOMException).message).toMatch(/^Could not capture from ALSA device "hw:CARD=NoSuchCard,DEV=0": arecord exited with status 1: .*audio open error/);
    await until(() => childrenNamed('arecord').length === 0, 'arecord to be reaped');
  });

  it('rejects with NotReadableError naming the package when arecord is missing', async () => {
    const missing = new AlsaProvider({ source: { program: 'arecord-not-installed' } });
    const error = await missing.open(device('null'), { mode: MODE }).catch((e: unknown) => e);
    expect((error as DOMException).name).toBe('NotReadableError');
    expect((error as DOMException).message).toContain('alsa-utils');
  });
});
