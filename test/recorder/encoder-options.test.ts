/** What start() steps 10–13 configure reaches the encoder: key frame intervals, bitrates, pure helpers. */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { splitBitsPerSecond } from '../../src/algorithms/recorder/bitrates.js';
import { h264Level } from '../../src/algorithms/recorder/configuration.js';
import { AudioCursor, RecordingTimeline, VideoSlots } from '../../src/algorithms/recorder/timeline.js';
import { cleanupTemp, recordFor, tempFile } from './helpers.js';

afterAll(cleanupTemp);

/** Indices of the key frames of a file's video. */
function keyFrames(path: string): number[] {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=flags', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  return out.trim().split('\n').flatMap((flags, i) => (flags.startsWith('K') ? [i] : []));
}

describe('key frames (start() step 12)', () => {
  it('videoKeyFrameIntervalCount: a key frame every N frames', async () => {
    const { bytes } = await recordFor({ audio: false, video: { width: 160, height: 120 }, recorderOptions: { videoKeyFrameIntervalCount: 10 } });
    expect(keyFrames(tempFile(bytes, 'webm'))).toEqual([0, 10, 20, 30, 40, 50]);
  });
  it('videoKeyFrameIntervalDuration: a key frame on the first frame D ms after the last one', async () => {
    const { bytes } = await recordFor({ mimeType: 'video/x-matroska;codecs=avc1', audio: false, video: { width: 160, height: 120 }, recorderOptions: { videoKeyFrameIntervalDuration: 500 } });
    expect(keyFrames(tempFile(bytes, 'mkv'))).toEqual([0, 15, 30, 45]);
  });
});

describe('bitrates', () => {
  it('videoBitsPerSecond reaches the encoder', async () => {
    const low = await recordFor({ audio: false, recorderOptions: { videoBitsPerSecond: 100_000 } });
    const high = await recordFor({ audio: false, recorderOptions: { videoBitsPerSecond: 4_000_000 } });
    expect(high.bytes.length).toBeGreaterThan(3 * low.bytes.length);
  });
  it('bitsPerSecond is shared out so that the parts add up to it', () => {
    expect(splitBitsPerSecond(1_000_000)).toEqual({ video: 900_000, audio: 100_000 });
    expect(splitBitsPerSecond(10_000_000)).toEqual({ video: 9_872_000, audio: 128_000 });
    expect(splitBitsPerSecond(64_000, { video: false, audio: true })).toEqual({ video: 0, audio: 64_000 });
    expect(splitBitsPerSecond(5_000)).toEqual({ video: 0, audio: 5_000 });
  });
  it('H.264 levels follow the size and rate', () => {
    expect(h264Level(320, 240, 30)).toBe(13);
    expect(h264Level(640, 480, 30)).toBe(30);
    expect(h264Level(1280, 720, 30)).toBe(31);
    expect(h264Level(1920, 1080, 30)).toBe(40);
    expect(h264Level(1920, 1080, 60)).toBe(42);
  });
});

describe('timeline', () => {
  it('video slots: a frame per slot, repeats for gaps, drops for slots already filled', () => {
    const s = new VideoSlots(30);
    expect(s.place(0)).toEqual({ repeats: 0, write: true });
    expect(s.place(33_333)).toEqual({ repeats: 0, write: true });
    expect(s.place(40_000)).toEqual({ repeats: 0, write: false });
    expect(s.place(166_667)).toEqual({ repeats: 3, write: true }); // slots 2, 3, 4 repeat slot 1
    expect(s.fillTo(300_000)).toBe(3);
    expect(s.count).toBe(9);
  });
  it('audio cursor: silence before late chunks, overlap cut, jitter let through', () => {
    const a = new AudioCursor(48_000);
    expect(a.place(0, 480)).toEqual({ silence: 0, skip: 0, take: 480 });
    expect(a.place(10_100, 480)).toEqual({ silence: 0, skip: 0, take: 480 });
    expect(a.place(100_000, 480)).toEqual({ silence: 3840, skip: 0, take: 480 });
    expect(a.place(50_000, 480)).toEqual({ silence: 0, skip: 480, take: 0 });
    expect(a.fillTo(200_000)).toBe(9600 - 5280);
  });
  it('the shared offset: set by the first media, set again after a pause so there is no gap', () => {
    const t = new RecordingTimeline();
    expect(t.map(5_000_000)).toBe(0);
    t.extend(1_000_000);
    t.reanchor();
    expect(t.map(9_000_000)).toBe(1_000_000);
    expect(t.map(9_500_000)).toBe(1_500_000);
  });
});
