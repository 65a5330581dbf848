/**
 * Timing on the media timeline (virtual clock, so every number is exact): timeslice chunks come
 * when their span of media has been captured, pause leaves no gap, muted tracks are filled so
 * audio and video stay in sync, disabled tracks record black and silence.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { BlobEvent } from '../../src/interfaces/BlobEvent.js';
import { tasks } from '../core/harness.js';
import { cleanupTemp, decodeAudio, drained, ffprobe, frameNumbers, next, openStudio, recordFor, tempFile, virtualClockRecorder } from './helpers.js';

afterAll(cleanupTemp);

const FRAME_MS = 1000 / 30;

describe('timeslice', () => {
  it('each chunk comes when its timeslice of media has been captured (±1 frame), with matching timecodes', async () => {
    const studio = openStudio();
    try {
      const stream = await studio.getUserMedia({ video: { width: 160, height: 120 }, audio: true });
      const recorder = virtualClockRecorder(stream);
      const t0 = studio.clock.now();
      const at: number[] = [];
      const timecodes: number[] = [];
      recorder.ondataavailable = (e) => {
        at.push((studio.clock.now() - t0) / 1000);
        timecodes.push((e as BlobEvent).timecode);
      };
      recorder.start(500);
      await next(recorder, 'start');
      // 10 ms steps, letting the encoder and the tasks run after each: the clock shows when each event came.
      for (let t = 0; t < 3000; t += 10) {
        studio.clock.advance(10);
        await drained(recorder);
        await tasks(4);
      }
      expect(at).toHaveLength(6);
      at.forEach((ms, k) => expect(Math.abs(ms - 500 * (k + 1)), `chunk ${k} at ${ms} ms`).toBeLessThanOrEqual(FRAME_MS));
      // timecode: the first chunk 0, then the capture time of each chunk's first media.
      timecodes.forEach((tc, k) => expect(Math.abs(tc - 500 * k), `timecode ${k}: ${tc}`).toBeLessThanOrEqual(FRAME_MS));
      recorder.stop();
      await next(recorder, 'stop');
    } finally {
      studio.close();
    }
  });

  it('requestData cuts a chunk anywhere; the chunks still make one file', async () => {
    const { log, bytes } = await recordFor({
      video: { width: 160, height: 120 },
      during: (ms, recorder) => ms % 700 === 0 && recorder.requestData(),
    });
    // At 700 and 1400 ms, then the last data at stop.
    expect(log.events.filter((e) => e === 'dataavailable').length).toBe(2 + 1);
    const probe = ffprobe(tempFile(bytes, 'webm'));
    expect(Number(probe.streams.find((s) => s.codec_type === 'video')!.nb_read_frames)).toBe(60);
  });
});

describe('pause and resume', () => {
  it('what happens while paused is not recorded, and leaves no gap', async () => {
    const { log, bytes } = await recordFor({
      ms: 3000,
      during: (ms, recorder) => {
        if (ms === 1000) recorder.pause();
        if (ms === 2000) recorder.resume();
      },
    });
    expect(log.events).toEqual(['start', 'pause', 'resume', 'dataavailable', 'stop']);
    const path = tempFile(bytes, 'webm');
    const numbers = frameNumbers(path, 320, 240);
    // Frames 0–29, then the camera's frames from the resume on (60…), with nothing between.
    expect(numbers.slice(0, 30)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(numbers.slice(30)).toEqual(Array.from({ length: numbers.length - 30 }, (_, i) => 60 + i));
    expect(Math.abs(numbers.length - 60)).toBeLessThanOrEqual(1);
    expect(Math.abs(decodeAudio(path, 48000).length - 96000)).toBeLessThanOrEqual(960);
  });
});

/** Start times (s) of the tone bursts in a mono signal (|x| above a threshold after silence). */
function burstOnsets(samples: Float32Array, rate: number): number[] {
  const onsets: number[] = [];
  let quietFor = Infinity;
  for (let i = 0; i < samples.length; i++) {
    if (Math.abs(samples[i]!) > 0.05) {
      if (quietFor > rate * 0.05) onsets.push(i / rate);
      quietFor = 0;
    } else quietFor++;
  }
  return onsets;
}

describe('muted and disabled tracks', () => {
  const bursts = { devices: [{ kind: 'videoinput' as const, id: 'cam' }, { kind: 'audioinput' as const, id: 'mic', tone: { frequency: 1000, amplitude: 0.5, gap: { toneSeconds: 0.1, silenceSeconds: 0.4 } } }] };

  it('a muted camera: its gap repeats the last frame, and sound and picture stay in sync (≤ 40 ms)', async () => {
    const { bytes } = await recordFor({
      install: bursts,
      ms: 4000,
      control: (ms, devices) => {
        if (ms === 1000) devices.interrupt('cam');
        if (ms === 2000) devices.resume('cam');
        if (ms === 2500) devices.interrupt('mic');
        if (ms === 3000) devices.resume('mic');
      },
    });
    const path = tempFile(bytes, 'webm');
    const numbers = frameNumbers(path, 320, 240);
    expect(Math.abs(numbers.length - 120)).toBeLessThanOrEqual(1);
    // Each frame at its capture time: frame i shows camera frame i, except in the muted second,
    // which repeats the last frame before it.
    numbers.forEach((n, i) => expect(n, `frame ${i}`).toBe(i < 30 || i >= 60 ? i : 29));
    // Bursts every 0.5 s from 0, except those in the microphone's muted half second.
    const onsets = burstOnsets(decodeAudio(path, 48000), 48000);
    const expected = [0, 0.5, 1, 1.5, 2, 3, 3.5];
    expect(onsets).toHaveLength(expected.length);
    onsets.forEach((t, k) => expect(Math.abs(t - expected[k]!), `burst ${k} at ${t}`).toBeLessThanOrEqual(0.04));
    expect(Math.abs(decodeAudio(path, 48000).length - 4 * 48000)).toBeLessThanOrEqual(960);
  });

  it('disabled tracks record black frames and silence', async () => {
    const { bytes } = await recordFor({
      install: bursts,
      ms: 3000,
      during: (ms, _r, stream) => {
        if (ms === 1000) for (const t of stream.getTracks()) t.enabled = false;
        if (ms === 2000) for (const t of stream.getTracks()) t.enabled = true;
      },
    });
    const path = tempFile(bytes, 'webm');
    const numbers = frameNumbers(path, 320, 240);
    expect(numbers.slice(0, 30)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(numbers.slice(31, 60).every((n) => n === null)).toBe(true);
    expect(numbers.slice(61, 90)).toEqual(Array.from({ length: 29 }, (_, i) => 61 + i));
    const onsets = burstOnsets(decodeAudio(path, 48000), 48000);
    expect(onsets.map((t) => Math.round(t * 10) / 10)).toEqual([0, 0.5, 2, 2.5]);
  });
});
