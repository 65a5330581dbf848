/**
 * A video track whose settings give no size (a generator track before its first frame, a remote
 * track before its first packet) is recorded at the size of its first frame, not at the 640x480
 * default scaled; "start" does not wait for that frame.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MediaStream } from '../../src/interfaces/MediaStream.js';
import { VideoTrackGenerator } from '../../src/interfaces/VideoTrackGenerator.js';
import { TestPattern } from '../../src/media/synthetic/test-pattern.js';
import { VideoFrame } from '../../src/webcodecs/video-frame.js';
import { cleanupTemp, concat, ffprobe, frameNumbers, next, openStudio, tempFile, virtualClockRecorder, watch, type Studio } from './helpers.js';

let studio: Studio | undefined;
afterEach(() => studio?.close());
afterAll(() => cleanupTemp());

/** Frames 0..count-1 of the test pattern at width × height, 30 a second. */
function patternFrames(width: number, height: number, count: number): VideoFrame[] {
  const pattern = new TestPattern(width, height);
  return Array.from({ length: count }, (_, n) => {
    const data = new Uint8Array(pattern.layout.byteLength);
    const timestamp = Math.round((n * 1e6) / 30);
    pattern.render(n, timestamp, data);
    return new VideoFrame(data, { format: 'I420', codedWidth: width, codedHeight: height, timestamp, duration: Math.round(1e6 / 30) });
  });
}

/** Records a generator track: start(), wait for "start", then write the frames, then stop(). */
async function recordGenerator(mimeType: string, frames: VideoFrame[]) {
  studio = openStudio();
  const generator = new VideoTrackGenerator();
  expect(generator.track.getSettings().width).toBeUndefined();
  const recorder = virtualClockRecorder(new MediaStream([generator.track]), { mimeType });
  const log = watch(recorder);
  recorder.start();
  // "start" comes without any frame: the recording has started, and waits for its first picture.
  await next(recorder, 'start');
  const typeAtStart = recorder.mimeType;
  const writer = generator.writable.getWriter();
  for (const frame of frames) await writer.write(frame);
  const stopped = next(recorder, 'stop', 60_000);
  recorder.stop();
  await stopped;
  generator.track.stop();
  return { log, typeAtStart, path: tempFile(await concat(log.blobs), mimeType.includes('mp4') ? 'mp4' : 'webm') };
}

describe('MediaRecorder on a track whose size comes with its first frame', () => {
  it('records VP8 at the first frame size, every frame as written (not scaled from 640x480)', async () => {
    const { log, path } = await recordGenerator('video/webm;codecs=vp8', patternFrames(352, 288, 15));
    expect(log.events).toEqual(['start', 'dataavailable', 'stop']);
    const video = ffprobe(path).streams.find((s) => s.codec_type === 'video')!;
    expect([video.width, video.height]).toEqual([352, 288]);
    // The test pattern's frame code is read back from every decoded frame: nothing was scaled.
    const numbers = frameNumbers(path, 352, 288);
    expect(numbers.filter((n) => n !== null)).toEqual(Array.from({ length: 15 }, (_, n) => n));
  });

  it('records H.264 at the first frame size; the MIME type fixed at start names a level that size fits', async () => {
    const { log, typeAtStart, path } = await recordGenerator('video/mp4', patternFrames(320, 180, 10));
    // High profile at the level of 3840x2160 at 30 Hz (5.1, 0x33), chosen before the size was
    // known; the stream says the same level.
    expect(typeAtStart).toBe('video/mp4;codecs=avc1.640033');
    expect(log.blobs.map((b) => b.type)).toEqual([typeAtStart]);
    const video = ffprobe(path).streams.find((s) => s.codec_type === 'video')! as { codec_name: string; width: number; height: number; level: number };
    expect([video.codec_name, video.width, video.height, video.level]).toEqual(['h264', 320, 180, 51]);
  });

  it('records the 640x480 default when stopped before any frame came', async () => {
    const { log, path } = await recordGenerator('video/webm;codecs=vp8', []);
    expect(log.events).toEqual(['start', 'dataavailable', 'stop']);
    const video = ffprobe(path).streams.find((s) => s.codec_type === 'video')!;
    expect([video.width, video.height]).toEqual([640, 480]);
  });
});
