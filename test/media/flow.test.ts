import { describe, expect, it } from 'vitest';
import { installGlobals, type MediaStreamTrack } from '../../src/index.js';
import { VirtualClock } from '../../src/media/clock/index.js';
import { decodeFrameNumber } from '../../src/media/synthetic/frame-code.js';
import { attachSink } from '../../src/algorithms/track/sink.js';
import { trackOf } from '../../src/interfaces/MediaStreamTrack.js';
import { audioDataChannels, videoFramePlanes } from '../../src/webcodecs/internal.js';
import type { AudioData } from '../../src/webcodecs/audio-data.js';
import type { VideoFrame } from '../../src/webcodecs/video-frame.js';
import { testSaltPath, tasks } from '../core/harness.js';

function lab() {
  const clock = new VirtualClock();
  const handle = installGlobals({}, { clock, saltPath: testSaltPath });
  return { clock, handle, md: handle.mediaDevices };
}

interface Seen {
  frames: { width: number; height: number; timestamp: number; number: number | null; y0: number; data: Uint8Array }[];
  audio: { rate: number; channels: number; samples: Float32Array[]; timestamp: number }[];
  ended: number;
}

function read(track: MediaStreamTrack): Seen & { detach: () => void } {
  const seen: Seen = { frames: [], audio: [], ended: 0 };
  const detach = attachSink(trackOf(track)!, {
    media(m) {
      if ('codedWidth' in m) {
        const f = m as VideoFrame;
        const p = videoFramePlanes(f);
        seen.frames.push({
          width: f.displayWidth, height: f.displayHeight, timestamp: f.timestamp, data: p.data,
          number: decodeFrameNumber({ format: 'I420', width: p.codedWidth, height: p.codedHeight, data: p.data }),
          y0: p.data[p.layout[0]!.offset + p.layout[0]!.stride * Math.floor(p.codedHeight / 2) + Math.floor(p.codedWidth / 2)]!,
        });
      } else {
        const a = m as AudioData;
        seen.audio.push({ rate: a.sampleRate, channels: a.numberOfChannels, samples: audioDataChannels(a).map((c) => c.slice()), timestamp: a.timestamp });
      }
      m.close();
    },
    ended: () => seen.ended++,
  });
  return Object.assign(seen, { detach });
}

function zeroCrossingFrequency(samples: Float32Array, rate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 && samples[i]! >= 0) crossings++;
  return crossings / (samples.length / rate);
}

function concat(chunks: Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) (out.set(c, o), (o += c.length));
  return out;
}

describe('media flow from the built-in camera', () => {
  it('delivers 30 frames per second of virtual time, numbered without gaps', async () => {
    const { clock, md } = lab();
    const track = (await md.getUserMedia({ video: true })).getVideoTracks()[0]!;
    const seen = read(track);
    clock.advance(1000);
    expect(seen.frames).toHaveLength(30);
    const numbers = seen.frames.map((f) => f.number!);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[0]! + i);
    expect(seen.frames[0]).toMatchObject({ width: 640, height: 480 });
    const dt = seen.frames[1]!.timestamp - seen.frames[0]!.timestamp;
    expect(dt).toBeCloseTo(33333, -1);
  });

  it('crops and scales to the track settings and decimates the frame rate', async () => {
    const { clock, md } = lab();
    const track = (await md.getUserMedia({ video: { width: 1280, height: 720 } })).getVideoTracks()[0]!;
    await track.applyConstraints({ width: { exact: 320 }, height: { exact: 180 }, frameRate: { exact: 15 } });
    const seen = read(track);
    clock.advance(2000);
    expect(seen.frames).toHaveLength(30);
    expect(seen.frames.every((f) => f.width === 320 && f.height === 180)).toBe(true);
    const numbers = seen.frames.map((f) => f.number!);
    expect(numbers.every((n) => n !== null)).toBe(true);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]! - numbers[i - 1]!).toBe(2);
  });

  it('follows applyConstraints while frames flow', async () => {
    const { clock, md } = lab();
    const track = (await md.getUserMedia({ video: true })).getVideoTracks()[0]!;
    const seen = read(track);
    clock.advance(100);
    const p = track.applyConstraints({ width: { exact: 160 }, height: { exact: 120 } });
    await p;
    clock.advance(100);
    expect(seen.frames.at(-1)).toMatchObject({ width: 160, height: 120 });
    expect(track.getSettings()).toMatchObject({ width: 160, height: 120 });
  });

  it('switches the camera to another native mode while frames flow', async () => {
    const { clock, md } = lab();
    const track = (await md.getUserMedia({ video: true })).getVideoTracks()[0]!;
    const seen = read(track);
    clock.advance(100);
    await track.applyConstraints({ width: { exact: 1920 }, height: { exact: 1080 } });
    clock.advance(100);
    expect(seen.frames.at(0)).toMatchObject({ width: 640, height: 480 });
    expect(seen.frames.at(-1)).toMatchObject({ width: 1920, height: 1080 });
    expect(seen.frames.at(-1)!.number).not.toBe(null);
    expect(clock.pending).toBe(1); // one schedule: the old mode's was cancelled
  });

  it('a disabled track delivers black frames, and frames again when re-enabled', async () => {
    const { clock, md } = lab();
    const track = (await md.getUserMedia({ video: true })).getVideoTracks()[0]!;
    const seen = read(track);
    track.enabled = false;
    clock.advance(100);
    expect(seen.frames.length).toBe(3);
    for (const f of seen.frames) {
      expect(f.number).toBe(null);
      expect(f.data.subarray(0, 640 * 480).every((y) => y === 16)).toBe(true);
    }
    track.enabled = true;
    clock.advance(100);
    expect(seen.frames.at(-1)!.number).not.toBe(null);
  });

  it('a muted track delivers nothing', async () => {
    const { clock, md, handle } = lab();
    const track = (await md.getUserMedia({ video: true })).getVideoTracks()[0]!;
    const seen = read(track);
    handle.devices.interrupt('builtin-camera');
    clock.advance(500);
    expect(seen.frames).toHaveLength(0);
    handle.devices.resume('builtin-camera');
    clock.advance(100);
    expect(seen.frames).toHaveLength(3);
  });

  it('clones with the same settings share each frame\'s pixels', async () => {
    const { clock, md } = lab();
    const track = (await md.getUserMedia({ video: true })).getVideoTracks()[0]!;
    const readers = [track, ...Array.from({ length: 9 }, () => track.clone())].map(read);
    clock.advance(100);
    for (const r of readers) expect(r.frames).toHaveLength(3);
    for (const r of readers) expect(r.frames[2]!.data).toBe(readers[0]!.frames[2]!.data);
  });

  it('stops drawing when the last reader detaches and ends readers when the track ends', async () => {
    const { clock, md, handle } = lab();
    const track = (await md.getUserMedia({ video: true })).getVideoTracks()[0]!;
    const seen = read(track);
    clock.advance(100);
    seen.detach();
    expect(clock.pending).toBe(0);
    const again = read(track);
    handle.devices.unplug('builtin-camera');
    await tasks();
    expect(again.ended).toBe(1);
  });
});

describe('media flow from the built-in microphone', () => {
  it('delivers exactly the samples the elapsed time implies, as a 440 Hz tone', async () => {
    const { clock, md } = lab();
    const track = (await md.getUserMedia({ audio: true })).getAudioTracks()[0]!;
    expect(track.getSettings()).toMatchObject({ sampleRate: 48000, channelCount: 1 });
    const seen = read(track);
    clock.advance(10_000);
    const samples = concat(seen.audio.map((a) => a.samples[0]!));
    expect(samples.length).toBe(480_000);
    expect(zeroCrossingFrequency(samples, 48000)).toBeCloseTo(440, 0);
  });

  it('resamples and up-mixes per track settings, keeping the tone', async () => {
    const { clock, md } = lab();
    const track = (await md.getUserMedia({ audio: true })).getAudioTracks()[0]!;
    const narrow = track.clone();
    await narrow.applyConstraints({ sampleRate: { exact: 44100 }, channelCount: { exact: 2 } });
    const seen = read(narrow);
    clock.advance(1000);
    expect(seen.audio.every((a) => a.rate === 44100 && a.channels === 2)).toBe(true);
    const left = concat(seen.audio.map((a) => a.samples[0]!));
    expect(Math.abs(left.length - 44100)).toBeLessThan(200);
    expect(zeroCrossingFrequency(left.subarray(1000), 44100)).toBeCloseTo(440, -1);
  });

  it('a disabled audio track delivers zeros', async () => {
    const { clock, md } = lab();
    const track = (await md.getUserMedia({ audio: true })).getAudioTracks()[0]!;
    const seen = read(track);
    track.enabled = false;
    clock.advance(100);
    expect(seen.audio.length).toBe(10);
    expect(seen.audio.every((a) => a.samples[0]!.every((s) => s === 0))).toBe(true);
  });
});
