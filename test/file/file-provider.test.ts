/**
 * Media files as devices: decoded with ffmpeg, looped, paced by the clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FileProvider } from '../../src/backends/file/index.js';
import type { FfmpegSource } from '../../src/backends/file/index.js';
import type { DeviceDescriptor, VideoMode, AudioMode } from '../../src/media/modes.js';
import type { Media } from '../../src/media/route.js';
import { decodeFrameNumber } from '../../src/media/synthetic/index.js';
import { VirtualClock } from '../../src/media/clock/index.js';
import { attachSink } from '../../src/algorithms/track/sink.js';
import { trackOf } from '../../src/interfaces/MediaStreamTrack.js';
import { audioDataChannels, videoFramePlanes } from '../../src/webcodecs/internal.js';
import type { VideoFrame } from '../../src/webcodecs/video-frame.js';
import type { AudioData } from '../../src/webcodecs/audio-data.js';
import { blockedInWrite, childrenNamed } from '../helpers/proc.js';
import { scaled, until } from '../helpers/wait.js';
import { openTab } from '../core/harness.js';
import { mediaDir, waitGone, writePatternFile, writeToneFile, zeroCrossingFrequency } from './media.js';

const dir = mediaDir();
const files = {
  y4m: join(dir, 'pattern.y4m'),
  mp4: join(dir, 'pattern.mp4'),
  webm: join(dir, 'pattern.webm'),
  wav: join(dir, 'tone.wav'),
  both: join(dir, 'both.mkv'),
};

beforeAll(async () => {
  // 12 frames at 30 fps: a 0.4 s loop.
  await writePatternFile(files.y4m, { width: 320, height: 240, frames: 12, fps: 30 });
  await writePatternFile(files.mp4, { width: 320, height: 240, frames: 12, fps: 30, output: ['-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '10', '-pix_fmt', 'yuv420p'] });
  await writePatternFile(files.webm, { width: 320, height: 240, frames: 12, fps: 24, output: ['-c:v', 'libvpx', '-b:v', '2M', '-deadline', 'realtime'] });
  await writeToneFile(files.wav, { frequency: 1000, sampleRate: 48000, seconds: 0.25, output: ['-c:a', 'pcm_s16le'] });
  // A file with both streams: the Y4M's video and the WAV's audio.
  const { runProgram } = await import('../../src/backends/common/process.js');
  await runProgram('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', files.y4m, '-i', files.wav, '-map', '0:v', '-map', '1:a', '-c:v', 'ffv1', '-c:a', 'pcm_s16le', files.both]);
}, scaled(60_000));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Collects `count` units from a source (subscribed as produced), then unsubscribes. */
function collect<T extends Media>(source: FfmpegSource, count: number, read: (m: T) => unknown, timeoutMs = scaled(10_000)): Promise<{ values: unknown[]; timestamps: number[] }> {
  const values: unknown[] = [];
  const timestamps: number[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (stop(), reject(new Error(`only ${values.length} of ${count} arrived`))), timeoutMs);
    const stop = source.subscribe(null, (media) => {
      try {
        if (values.length < count) {
          values.push(read(media as T));
          timestamps.push(media.timestamp!);
        }
      } finally {
        media.close();
      }
      if (values.length === count) {
        clearTimeout(timer);
        stop();
        resolve({ values, timestamps });
      }
    });
  });
}

/**
 * Moves a virtual clock that paces `source` one tick at a time, each once ffmpeg has delivered the
 * unit for it (more units read than emitted), until `done()`.
 */
async function tickWhenReady(source: FfmpegSource, clock: VirtualClock, done: () => boolean): Promise<void> {
  while (!done()) {
    await until(() => done() || source.stats.units > source.stats.emitted, 'ffmpeg to deliver the next unit');
    if (!done()) clock.advanceTo(clock.nextDueTime()!);
  }
}

function frameNumberOf(frame: VideoFrame): number | null {
  const p = videoFramePlanes(frame);
  return decodeFrameNumber({ format: 'I420', width: p.codedWidth, height: p.codedHeight, data: p.data });
}

const observer = { sourceMutedChanged() {}, sourceEnded() {} };

async function openDevice(provider: FileProvider, kind: 'videoinput' | 'audioinput', path: string): Promise<{ device: DeviceDescriptor; source: FfmpegSource }> {
  const device = (await provider.enumerate()).find((d) => d.kind === kind && d.rawId.startsWith(path))!;
  expect(device).toBeDefined();
  const mode = (kind === 'videoinput' ? device.videoModes![0] : device.audioModes![0]) as VideoMode | AudioMode;
  const source = await provider.open(device, { mode });
  source.attach(observer);
  return { device, source };
}

describe('FileProvider', () => {
  it('lists a camera per video file and a microphone per audio file, with the native modes from ffprobe', async () => {
    const provider = new FileProvider([files.y4m, files.wav, files.webm, files.both, join(dir, 'missing.y4m')]);
    const devices = await provider.enumerate();
    const summary = devices.map((d) => [d.kind, d.label, d.videoModes?.[0] ?? d.audioModes?.[0]]);
    expect(summary).toEqual([
      ['videoinput', 'File camera (pattern.y4m)', { width: 320, height: 240, frameRate: 30, pixelFormat: 'I420' }],
      ['audioinput', 'File microphone (tone.wav)', { sampleRate: 48000, channelCount: 1, sampleSize: 16, latency: 0.01 }],
      ['videoinput', 'File camera (pattern.webm)', { width: 320, height: 240, frameRate: 24, pixelFormat: 'I420' }],
      ['videoinput', 'File camera (both.mkv)', { width: 320, height: 240, frameRate: 30, pixelFormat: 'I420' }],
      ['audioinput', 'File microphone (both.mkv)', { sampleRate: 48000, channelCount: 1, sampleSize: 16, latency: 0.01 }],
    ]);
    // A file's camera and microphone are one product: one group.
    expect(devices[3]!.groupKey).toBe(devices[4]!.groupKey);
    expect(devices[0]!.groupKey).not.toBe(devices[2]!.groupKey);
  });

  it.each([
    ['Y4M', 'y4m', 30],
    ['MP4 (H.264)', 'mp4', 30],
    ['WebM (VP8)', 'webm', 24],
  ] as const)('plays a %s file in a loop: frame numbers follow the clock, timestamps are exact', async (_name, key, fps) => {
    const provider = new FileProvider([files[key]]);
    const { source } = await openDevice(provider, 'videoinput', files[key]);
    try {
      // 30 frames of a 12-frame file: it loops twice and a half.
      const { values, timestamps } = await collect<VideoFrame>(source, 30, frameNumberOf);
      const interval = 1e6 / fps;
      const first = timestamps[0]!;
      const ticks = timestamps.map((t) => Math.round((t - first) / interval));
      // Timestamps are whole ticks of the schedule (rounded to µs).
      for (let i = 0; i < ticks.length; i++) expect(Math.abs(timestamps[i]! - first - ticks[i]! * interval)).toBeLessThanOrEqual(1);
      // Each frame carries the number the file had at that tick: tick index modulo 12.
      const start = values[0] as number;
      expect(values).toEqual(ticks.map((k) => (start + k) % 12));
      expect(source.stats.emitted).toBeGreaterThanOrEqual(30);
    } finally {
      source.detach(observer);
      await source.exited;
    }
  });

  it('plays a WAV tone at its frequency, in 10 ms chunks, continuously across the loop', async () => {
    // On a virtual clock moved one tick at a time once ffmpeg has the tick's chunk ready, so that
    // every tick has its chunk however busy the machine is (the next test shows what happens when
    // ffmpeg falls behind).
    const clock = new VirtualClock();
    const provider = new FileProvider([files.wav], { clock });
    const { source } = await openDevice(provider, 'audioinput', files.wav);
    try {
      // 60 chunks = 0.6 s of a 0.25 s file.
      const collecting = collect<AudioData>(source, 60, (a) => {
        expect(a.format).toBe('f32-planar');
        expect(a.sampleRate).toBe(48000);
        expect(a.numberOfFrames).toBe(480);
        return audioDataChannels(a)[0]!.slice();
      });
      let collected = false;
      void collecting.finally(() => (collected = true)).catch(() => {});
      await tickWhenReady(source, clock, () => collected);
      const { values, timestamps } = await collecting;
      for (let i = 1; i < timestamps.length; i++) expect(timestamps[i]! - timestamps[i - 1]!).toBeCloseTo(10_000, 3);
      const all = new Float32Array(60 * 480);
      values.forEach((v, i) => all.set(v as Float32Array, i * 480));
      expect(zeroCrossingFrequency(all, 48000)).toBeCloseTo(1000, 0);
      let peak = 0;
      for (const s of all) peak = Math.max(peak, Math.abs(s));
      // lavfi's sine is 1/8 of full scale.
      expect(peak).toBeGreaterThan(0.1);
    } finally {
      source.detach(observer);
      await source.exited;
    }
  });

  it('stays in step with the clock when ffmpeg falls behind: the frames of ticks that found none are dropped when they come', async () => {
    // A virtual clock moved on by a second at once: ffmpeg cannot deliver meanwhile, so most of
    // those ticks find the queue empty (as on a machine too busy to decode in real time).
    const clock = new VirtualClock();
    const provider = new FileProvider([files.y4m], { clock });
    const { source } = await openDevice(provider, 'videoinput', files.y4m);
    const interval = 1e6 / 30;
    const seen: { tick: number; frame: number | null }[] = [];
    const stop = source.subscribe(null, (media) => {
      seen.push({ tick: Math.round(media.timestamp! / interval), frame: frameNumberOf(media as VideoFrame) });
      media.close();
    });
    try {
      await until(() => source.stats.units > 0, 'the first frame'); // the schedule starts at 0
      clock.advance(1000);
      expect(source.stats.underruns).toBeGreaterThan(0);
      // Then tick by tick, each after ffmpeg has delivered another frame (a tick that takes or drops
      // frames lets ffmpeg write again), until ten frames came.
      const before = seen.length;
      while (seen.length < before + 10) {
        const units = source.stats.units;
        clock.advanceTo(clock.nextDueTime()!); // the next tick
        await until(() => source.stats.units > units, 'another frame from ffmpeg');
      }
      // Tick N shows frame N of the 12-frame loop, before the second of underruns and after it.
      const start = seen[0]!.frame!;
      expect(seen.map((s) => s.frame)).toEqual(seen.map((s) => (start + s.tick) % 12));
    } finally {
      stop();
      source.detach(observer);
      await source.exited;
    }
  });

  it('kills ffmpeg when the last track stops, at once, and leaves none behind', async () => {
    const provider = new FileProvider([files.y4m]);
    const { source } = await openDevice(provider, 'videoinput', files.y4m);
    const pid = source.pid!;
    expect(childrenNamed('ffmpeg')).toContain(pid);
    // The decode-ahead queue fills, and ffmpeg blocks writing to the paused pipe.
    await until(() => blockedInWrite(pid), 'ffmpeg to block writing to the paused pipe');
    source.detach(observer);
    // At once: ffmpeg ends from the SIGTERM, not from the SIGKILL that OwnedProcess sends after its
    // 1 s grace (see quirks.test.ts: SIGTERM while blocked in write is not enough by itself).
    const exit = await source.exited;
    expect(exit).toMatchObject({ expected: true });
    expect(exit!.signal).not.toBe('SIGKILL');
    expect(await waitGone(pid)).toBe('gone');
    expect(provider.openSources).toHaveLength(0);
  });

  it('a file that went away between enumeration and opening is a NotReadableError', async () => {
    const path = join(dir, 'vanishing.y4m');
    copyFileSync(files.y4m, path);
    const provider = new FileProvider([path]);
    const [device] = await provider.enumerate();
    rmSync(path);
    const err = await provider.open(device!, { mode: device!.videoModes![0]! }).catch((e) => e);
    expect(err).toBeInstanceOf(DOMException);
    expect(err.name).toBe('NotReadableError');
    expect(err.message).toMatch(/vanishing\.y4m/);
    expect(childrenNamed('ffmpeg')).toEqual([]);
    // And the file has no devices any more.
    expect(await provider.enumerate()).toEqual([]);
  });

  it('serves getUserMedia: a file camera beside the built-in microphone, scaled to the constraints', async () => {
    const provider = new FileProvider([files.y4m]);
    const tab = openTab({ providers: [provider], devices: [{ kind: 'audioinput' }] });
    const devices = await tab.mediaDevices.enumerateDevices();
    expect(devices.map((d) => d.kind).sort()).toEqual(['audioinput', 'videoinput']);
    const stream = await tab.mediaDevices.getUserMedia({ video: { width: 160 }, audio: true });
    const [track] = stream.getVideoTracks();
    expect(track!.label).toBe('File camera (pattern.y4m)');
    expect(track!.getSettings()).toMatchObject({ width: 160, height: 120, frameRate: 30, resizeMode: 'crop-and-scale' });
    const frames: number[][] = [];
    await new Promise<void>((resolve) => {
      const detach = attachSink(trackOf(track)!, {
        media(m) {
          const f = m as VideoFrame;
          frames.push([f.displayWidth, f.displayHeight, frameNumberOf(f) ?? -1]);
          f.close();
          if (frames.length === 3) (detach(), resolve());
        },
      });
    });
    for (const [w, h, n] of frames) {
      expect([w, h]).toEqual([160, 120]);
      expect(n).toBeGreaterThanOrEqual(0); // the code survives the downscale
    }
    const pid = provider.openSources[0]!.pid!;
    for (const t of stream.getTracks()) t.stop();
    expect(await waitGone(pid)).toBe('gone');
    tab.handle.uninstall();
  });
});
