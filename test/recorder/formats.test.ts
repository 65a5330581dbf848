/**
 * Every format records the built-in camera (test pattern with frame numbers) and microphone into
 * a file that ffprobe reads with the right codecs, duration, frame count and sample count, and
 * whose frames decode to the camera's frame numbers in order, without gaps or repeats.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, decodeAudio, ffprobe, frameNumbers, headerDuration, indexOfBytes, recordFor, tempFile } from './helpers.js';

afterAll(cleanupTemp);

const MATROSKA_CUES = [0x1c, 0x53, 0xbb, 0x6b];
const MATROSKA_DURATION = [0x44, 0x89];

interface FormatCase {
  mimeType: string;
  reported: string;
  ext: string;
  video: string | null;
  audio: string;
  sampleRate?: number;
  channels?: number;
}

const CASES: FormatCase[] = [
  { mimeType: '', reported: 'video/webm;codecs=vp8,opus', ext: 'webm', video: 'vp8', audio: 'opus' },
  { mimeType: 'video/webm;codecs=vp9,opus', reported: 'video/webm;codecs=vp9,opus', ext: 'webm', video: 'vp9', audio: 'opus' },
  { mimeType: 'video/x-matroska', reported: 'video/x-matroska;codecs=avc1.64000D,opus', ext: 'mkv', video: 'h264', audio: 'opus' },
  { mimeType: 'video/x-matroska;codecs=avc1,pcm', reported: 'video/x-matroska;codecs=avc1,pcm', ext: 'mkv', video: 'h264', audio: 'pcm_f32le' },
  { mimeType: 'video/mp4', reported: 'video/mp4;codecs=avc1.64000D,mp4a.40.2', ext: 'mp4', video: 'h264', audio: 'aac' },
  { mimeType: 'video/mp4;codecs=avc1.42E01E,opus', reported: 'video/mp4;codecs=avc1.42E01E,opus', ext: 'mp4', video: 'h264', audio: 'opus' },
  { mimeType: 'video/mp4;codecs=hvc1', reported: 'video/mp4;codecs=hvc1,mp4a.40.2', ext: 'mp4', video: 'hevc', audio: 'aac' },
  { mimeType: 'audio/webm', reported: 'audio/webm;codecs=opus', ext: 'webm', video: null, audio: 'opus' },
  { mimeType: 'audio/ogg;codecs=opus', reported: 'audio/ogg;codecs=opus', ext: 'ogg', video: null, audio: 'opus', channels: 2 },
  { mimeType: 'audio/mp4', reported: 'audio/mp4;codecs=mp4a.40.2', ext: 'm4a', video: null, audio: 'aac', sampleRate: 44100 },
];

/** Checks a recording of `seconds` of the built-in devices. */
function checkRecording(path: string, c: FormatCase, seconds: number, streamed = false, width = 320, height = 240) {
  const probe = ffprobe(path);
  const video = probe.streams.find((s) => s.codec_type === 'video');
  const audio = probe.streams.find((s) => s.codec_type === 'audio');
  expect(audio?.codec_name).toBe(c.audio);
  expect(Number(audio?.sample_rate)).toBe(c.sampleRate ?? 48000);
  expect(audio?.channels).toBe(c.channels ?? 1);
  // Sample count: within one codec frame (opus 20 ms, AAC 1024 samples) of the recorded time.
  // Streamed MP4 with AAC also plays the encoder's 1024 priming samples (quirks.test.ts).
  const rate = c.sampleRate ?? 48000;
  const samples = decodeAudio(path, rate).length;
  const tolerance = streamed && c.audio === 'aac' && c.ext !== 'mkv' ? 2048 : 1024;
  expect(Math.abs(samples - seconds * rate), `${samples} samples`).toBeLessThanOrEqual(tolerance);
  if (c.video === null) {
    expect(video).toBeUndefined();
    return;
  }
  expect(video?.codec_name).toBe(c.video);
  expect([video?.width, video?.height]).toEqual([width, height]);
  expect(Math.abs(Number(video?.nb_read_frames) - seconds * 30)).toBeLessThanOrEqual(1);
  // The camera's frames, in order, each once.
  const numbers = frameNumbers(path, width, height);
  expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i));
}

describe('formats (whole recording in one Blob: seekable)', () => {
  it.each(CASES)('$mimeType', async (c) => {
    const { bytes, log, recorder } = await recordFor({
      mimeType: c.mimeType,
      video: c.video === null ? false : { width: 320, height: 240 },
      audio: { channelCount: c.channels ?? 1, sampleRate: c.sampleRate ?? 48000 },
    });
    expect(log.events).toEqual(['start', 'dataavailable', 'stop']);
    // Blob types are lowercase (File API).
    expect(log.blobs[0]!.type).toBe(c.reported.toLowerCase());
    expect(recorder.mimeType).toBe(c.mimeType);
    const path = tempFile(bytes, c.ext);
    checkRecording(path, c, 2);
    // One recorder made the whole file: the header has the duration, WebM/Matroska have Cues, MP4 its moov first.
    const duration = headerDuration(path);
    expect(duration).not.toBeNull();
    expect(Math.abs(duration! - 2)).toBeLessThan(0.05);
    if (c.ext === 'webm' || c.ext === 'mkv') {
      if (c.video !== null) expect(indexOfBytes(bytes, MATROSKA_CUES)).toBeGreaterThan(0);
      expect(indexOfBytes(bytes, MATROSKA_DURATION)).toBeGreaterThan(0);
    }
    if (c.ext === 'mp4' || c.ext === 'm4a') expect(indexOfBytes(bytes, 'moov')).toBeLessThan(indexOfBytes(bytes, 'mdat'));
  });
});

describe('formats in timeslices (streamed, as browsers do)', () => {
  it.each(CASES.filter((c) => ['', 'video/mp4', 'audio/ogg;codecs=opus', 'video/x-matroska'].includes(c.mimeType)))('$mimeType', async (c) => {
    const { bytes, log } = await recordFor({
      mimeType: c.mimeType,
      timeslice: 250,
      video: c.video === null ? false : { width: 320, height: 240 },
      audio: { channelCount: c.channels ?? 1 },
    });
    expect(log.events.filter((e) => e === 'dataavailable').length).toBeGreaterThanOrEqual(8);
    expect(log.events.at(-1)).toBe('stop');
    checkRecording(tempFile(bytes, c.ext), c, 2, true);
  });
});
