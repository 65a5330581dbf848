// @vitest-environment jsdom
// Under vi.useFakeTimers() the media stack keeps running: it takes its timers from Node, never from
// the global the test fakes (issue #10). And a VirtualClock (mediacapture.setClock) is the way to
// drive media from the test.
import { mediacapture } from 'mediacapture/global';
import { MediaStreamTrackProcessor, VirtualClock, decodeFrameNumber } from 'mediacapture';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(async () => {
  vi.useRealTimers();
  await mediacapture.reset();
});

/** Resolves with the next `type` event of `target`. */
function next<E extends Event>(target: EventTarget, type: string): Promise<E> {
  return new Promise((resolve) => target.addEventListener(type, (e) => resolve(e as E), { once: true }));
}

describe('under vi.useFakeTimers()', () => {
  it('getUserMedia resolves, and the track ends when its camera is unplugged', async () => {
    expect(vi.isFakeTimers()).toBe(true);
    const stream = await navigator.mediaDevices.getUserMedia({ video: true });
    const [track] = stream.getVideoTracks();
    expect(track!.readyState).toBe('live');
    const ended = next(track!, 'ended');
    mediacapture.devices.unplug('builtin-camera');
    await ended;
    expect(track!.readyState).toBe('ended');
  });

  it('a MediaRecorder produces data and stops', async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const recorder = new MediaRecorder(stream, { mimeType: 'audio/webm;codecs=opus' });
    const data = next<BlobEvent>(recorder, 'dataavailable');
    const stopped = next(recorder, 'stop');
    recorder.start();
    await next(recorder, 'start');
    recorder.stop();
    const { data: blob } = await data;
    await stopped;
    expect(blob.size).toBeGreaterThan(0);
    expect(blob.type).toBe('audio/webm;codecs=opus');
  });

  it('frames come on a VirtualClock the test advances, whatever the fake timers do', async () => {
    const clock = new VirtualClock();
    mediacapture.setClock(clock);
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 10 } });
    const [track] = stream.getVideoTracks();
    const reader = new MediaStreamTrackProcessor({ track: track!, maxBufferSize: 10 }).readable.getReader();
    await vi.advanceTimersByTimeAsync(5000); // fake time passes; media time does not
    await clock.advanceAsync(300); // three frame intervals of 10 fps
    const numbers: (number | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const { value: frame } = await reader.read();
      const pixels = new Uint8Array(frame!.allocationSize());
      await frame!.copyTo(pixels);
      numbers.push(decodeFrameNumber({ format: 'I420', width: frame!.codedWidth, height: frame!.codedHeight, data: pixels }));
      frame!.close();
    }
    // The camera runs at 30 fps: a 10 fps track takes every third frame.
    expect(numbers).toEqual([0, 3, 6]);
  });
});
