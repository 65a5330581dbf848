import { afterAll, describe, expect, it } from 'vitest';
import { advance, cleanupTemp, concat, ffprobe, frameNumbers, headerDuration, MediaRecorder, next, openStudio, tempFile, watch } from './helpers.js';

afterAll(cleanupTemp);

describe('smoke', () => {
  it('records 2 s of camera and microphone into WebM', async () => {
    const studio = openStudio();
    const stream = await studio.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
    const recorder = new MediaRecorder(stream);
    const log = watch(recorder);
    recorder.start();
    await next(recorder, 'start');
    expect(recorder.mimeType).toBe('video/webm;codecs=vp8,opus');
    await advance(studio, recorder, 2000);
    recorder.stop();
    await next(recorder, 'stop');
    expect(log.events).toEqual(['start', 'dataavailable', 'stop']);
    const path = tempFile(await concat(log.blobs), 'webm');
    const probe = ffprobe(path);
    console.log(JSON.stringify(probe.streams.map(s => [s.codec_name, s.nb_read_frames, s.duration])), probe.format.duration, headerDuration(path));
    const nums = frameNumbers(path, 320, 240);
    console.log(nums.slice(0, 10), nums.slice(-5), nums.length);
    studio.close();
  });
});
