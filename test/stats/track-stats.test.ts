/**
 * MediaStreamTrack statistics (mediacapture-extensions §5–7) on the virtual clock: which frames
 * count as delivered, discarded and dropped, what a disabled or muted track counts, the values
 * staying the same within a task, and the processor's own counters for a reader that falls behind.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MediaStreamTrackAudioStats,
  MediaStreamTrackProcessor,
  MediaStreamTrackVideoStats,
  Source,
  VideoFrame,
  VideoTrackGenerator,
  installGlobals,
  type DeviceDescriptor,
  type MediaCaptureHandle,
  type MediaStreamTrack,
  type VideoMode,
} from '../../src/index.js';
import { VirtualClock } from '../../src/media/clock/index.js';
import { testSaltPath } from '../core/harness.js';

const handles: MediaCaptureHandle[] = [];
afterEach(() => {
  for (const h of handles.splice(0)) h.uninstall();
});

function lab() {
  const clock = new VirtualClock();
  const handle = installGlobals({}, { clock, saltPath: testSaltPath });
  handles.push(handle);
  return { clock, handle, md: handle.mediaDevices };
}

/** One task turn: stats read in the next task are exposed afresh. */
const nextTask = () => new Promise<void>((r) => setImmediate(r));

function video(track: MediaStreamTrack): MediaStreamTrackVideoStats {
  const stats = track.stats;
  if (!(stats instanceof MediaStreamTrackVideoStats)) throw new Error('not a video track with stats');
  return stats;
}

function audio(track: MediaStreamTrack): MediaStreamTrackAudioStats {
  const stats = track.stats;
  if (!(stats instanceof MediaStreamTrackAudioStats)) throw new Error('not an audio track with stats');
  return stats;
}

/** Reads everything a processor has queued, closing it; returns how many frames were read. */
async function drain(reader: ReadableStreamDefaultReader<VideoFrame>, count: number): Promise<number> {
  for (let i = 0; i < count; i++) (await reader.read()).value!.close();
  return count;
}

describe('MediaStreamTrackVideoStats', () => {
  it('counts the frames a 15 fps track takes of a 30 fps camera as delivered, the others as discarded', async () => {
    const { clock, md } = lab();
    const [track] = (await md.getUserMedia({ video: { frameRate: 15 } })).getVideoTracks();
    const reader = new MediaStreamTrackProcessor({ track: track!, maxBufferSize: 30 }).readable.getReader();
    expect(video(track!).toJSON()).toEqual({ deliveredFrames: 0, discardedFrames: 0, totalFrames: 0 });
    clock.advance(1000);
    await nextTask();
    expect(video(track!).toJSON()).toEqual({ deliveredFrames: 15, discardedFrames: 15, totalFrames: 30 });
    // Every delivered frame reached the reader.
    expect(await drain(reader as ReadableStreamDefaultReader<VideoFrame>, 15)).toBe(15);
    track!.stop();
  });

  it('keeps the values of one task: two reads in one task agree, the next task sees new ones', async () => {
    const { clock, md } = lab();
    const [track] = (await md.getUserMedia({ video: true })).getVideoTracks();
    new MediaStreamTrackProcessor({ track: track!, maxBufferSize: 100 }).readable.getReader();
    const stats = video(track!);
    const before = stats.totalFrames;
    clock.advance(1000);
    // Same task: the frames of that second are not exposed yet.
    expect(stats.totalFrames).toBe(before);
    expect(stats.deliveredFrames).toBe(0);
    await nextTask();
    expect(stats.totalFrames).toBe(30);
    expect(stats.deliveredFrames).toBe(30);
    track!.stop();
  });

  it('a disabled track counts nothing; a muted one receives nothing to count; both resume', async () => {
    const { clock, handle, md } = lab();
    const [track] = (await md.getUserMedia({ video: true })).getVideoTracks();
    const reader = new MediaStreamTrackProcessor({ track: track!, maxBufferSize: 200 }).readable.getReader();
    clock.advance(1000);
    await nextTask();
    expect(video(track!).totalFrames).toBe(30);

    // Disabled: black frames still reach the reader, but "no frames are flowing" for the counters.
    track!.enabled = false;
    clock.advance(1000);
    await nextTask();
    expect(video(track!).toJSON()).toEqual({ deliveredFrames: 30, discardedFrames: 0, totalFrames: 30 });
    track!.enabled = true;

    // Muted: the source makes nothing.
    const cameraId = 'builtin-camera';
    handle.devices.interrupt(cameraId);
    await nextTask();
    expect(track!.muted).toBe(true);
    clock.advance(1000);
    await nextTask();
    expect(video(track!).totalFrames).toBe(30);

    handle.devices.resume(cameraId);
    await nextTask();
    clock.advance(1000);
    await nextTask();
    expect(video(track!).toJSON()).toEqual({ deliveredFrames: 60, discardedFrames: 0, totalFrames: 60 });
    void reader.cancel();
    track!.stop();
  });

  it('a reader that falls behind: the track delivered every frame, the processor discarded the ones it could not queue', async () => {
    const { clock, md } = lab();
    const [track] = (await md.getUserMedia({ video: true })).getVideoTracks();
    const processor = new MediaStreamTrackProcessor({ track: track!, maxBufferSize: 2 });
    const reader = processor.readable.getReader();
    // Reads one frame per 100 ms while the camera makes one every 33 ms.
    let read = 0;
    for (let i = 0; i < 10; i++) {
      await clock.advanceAsync(100);
      (await reader.read()).value!.close();
      read++;
    }
    await nextTask();
    // The track delivered all 30 frames to its sink, the processor (https://w3c.github.io/mediacapture-transform/#dom-mediastreamtrackprocessor-discardedframes).
    expect(video(track!).toJSON()).toEqual({ deliveredFrames: 30, discardedFrames: 0, totalFrames: 30 });
    expect(processor.totalFrames).toBe(30);
    // What was neither read nor still queued (two at most) was discarded from the full queue.
    expect(processor.discardedFrames).toBeGreaterThanOrEqual(30 - read - 2);
    expect(processor.discardedFrames).toBeLessThanOrEqual(30 - read);
    const discarded = processor.discardedFrames;
    await clock.advanceAsync(1000);
    expect(processor.discardedFrames).toBeGreaterThan(discarded + 25);
    void reader.cancel();
    track!.stop();
  });

  it('a track whose source runs for another track counts the frames it would have been given', async () => {
    const { clock, md } = lab();
    const [track] = (await md.getUserMedia({ video: true })).getVideoTracks();
    const idle = track!.clone();
    await idle.applyConstraints({ frameRate: 10 });
    new MediaStreamTrackProcessor({ track: track!, maxBufferSize: 100 }).readable.getReader();
    clock.advance(1000);
    await nextTask();
    expect(video(idle).toJSON()).toEqual({ deliveredFrames: 10, discardedFrames: 20, totalFrames: 30 });
    // Counted separately from the start: the clone and the original have their own counters.
    expect(video(track!).totalFrames).toBe(30);
    track!.stop();
    idle.stop();
  });

  it('nothing is counted while no consumer reads the source (it makes no frames), nor after the track ends', async () => {
    const { clock, md } = lab();
    const [track] = (await md.getUserMedia({ video: true })).getVideoTracks();
    clock.advance(1000);
    await nextTask();
    expect(video(track!).totalFrames).toBe(0);
    const other = track!.clone();
    const processor = new MediaStreamTrackProcessor({ track: other, maxBufferSize: 100 });
    const reader = processor.readable.getReader();
    track!.stop();
    clock.advance(1000);
    await nextTask();
    expect(video(track!).totalFrames).toBe(0);
    // The camera runs from the processor's first read: the frames of that second, 30 (or 31 with
    // the frame that ended at the very moment it started), all delivered to the processor.
    expect(video(other).totalFrames).toBeGreaterThanOrEqual(30);
    expect(video(other).toJSON()).toEqual({ deliveredFrames: processor.totalFrames, discardedFrames: 0, totalFrames: processor.totalFrames });
    void reader.cancel();
    other.stop();
  });

  it('counts frames its source lost as dropped (total minus delivered minus discarded), or as discarded where decimation would have', async () => {
    const clock = new VirtualClock();
    /** A camera whose frames come and go as the test says. */
    class TestCamera extends Source {
      frame(timestamp: number): void {
        this.emit(new VideoFrame(new Uint8Array(64 * 48 * 1.5), { format: 'I420', codedWidth: 64, codedHeight: 48, timestamp, duration: 33_333 }));
      }
      lose(timestamp: number): void {
        this.dropped({ frames: 1, duration: 33_333, timestamp });
      }
      protected stopSource(): void {}
    }
    let camera: TestCamera | undefined;
    const mode: VideoMode = { width: 64, height: 48, frameRate: 30 };
    const device: DeviceDescriptor = { rawId: 'cam', kind: 'videoinput', label: 'Test camera', groupKey: 'cam', videoModes: [mode] };
    const handle = installGlobals({}, { clock, saltPath: testSaltPath, noBuiltinDevices: true, providers: [{
      name: 'test', enumerate: async () => [device], watch: () => () => {}, open: async (d) => (camera = new TestCamera(d, mode)),
    }] });
    handles.push(handle);
    const [full] = (await handle.mediaDevices.getUserMedia({ video: true })).getVideoTracks();
    const half = full!.clone();
    await half.applyConstraints({ frameRate: 15 });
    new MediaStreamTrackProcessor({ track: full!, maxBufferSize: 100 }).readable.getReader();
    // Frames 0–9, of which 3, 4 and 7 were lost.
    for (let n = 0; n < 10; n++) {
      if ([3, 4, 7].includes(n)) camera!.lose(n * 33_333);
      else camera!.frame(n * 33_333);
    }
    await nextTask();
    const f = video(full!);
    expect(f.toJSON()).toEqual({ deliveredFrames: 7, discardedFrames: 0, totalFrames: 10 });
    expect(f.totalFrames - f.deliveredFrames - f.discardedFrames).toBe(3);
    // At 15 fps the even frames are kept: frame 4 was dropped, 3 and 7 would have been discarded anyway.
    expect(video(half).toJSON()).toEqual({ deliveredFrames: 4, discardedFrames: 5, totalFrames: 10 });
    full!.stop();
    half.stop();
  });
});

describe('MediaStreamTrackAudioStats', () => {
  it('counts a microphone second as 48 000 delivered frames lasting 1000 ms, with no latency on the virtual clock', async () => {
    const { clock, md } = lab();
    const [track] = (await md.getUserMedia({ audio: { sampleRate: 48000 } })).getAudioTracks();
    const reader = new MediaStreamTrackProcessor({ track: track!, maxBufferSize: 1000 }).readable.getReader();
    clock.advance(1000);
    await nextTask();
    const stats = audio(track!);
    expect(stats.toJSON()).toEqual({
      deliveredFrames: 48000, deliveredFramesDuration: 1000, totalFrames: 48000, totalFramesDuration: 1000,
      latency: 0, averageLatency: 0, minimumLatency: 0, maximumLatency: 0,
    });
    // Disabled: silence flows to the reader; nothing is counted.
    track!.enabled = false;
    clock.advance(500);
    await nextTask();
    expect(stats.deliveredFrames).toBe(48000);
    stats.resetLatency();
    expect(stats.averageLatency).toBe(stats.latency);
    void reader.cancel();
    track!.stop();
  });
});

describe('MediaStreamTrack.stats', () => {
  it('is the same object every time; null for a generator track; not constructible', async () => {
    const { md } = lab();
    const stream = await md.getUserMedia({ video: true, audio: true });
    const [v] = stream.getVideoTracks();
    const [a] = stream.getAudioTracks();
    expect(v!.stats).toBe(v!.stats);
    expect(v!.stats).toBeInstanceOf(MediaStreamTrackVideoStats);
    expect(a!.stats).toBeInstanceOf(MediaStreamTrackAudioStats);
    expect(Object.prototype.toString.call(v!.stats)).toBe('[object MediaStreamTrackVideoStats]');
    expect(new VideoTrackGenerator().track.stats).toBeNull();
    expect(() => new (MediaStreamTrackVideoStats as unknown as new () => unknown)()).toThrow(TypeError);
    expect(() => Object.getOwnPropertyDescriptor(MediaStreamTrackVideoStats.prototype, 'totalFrames')!.get!.call({})).toThrow(TypeError);
    for (const t of stream.getTracks()) t.stop();
  });

  it('is installed with the other interfaces', () => {
    const { handle } = lab();
    const global = {} as Record<string, unknown>;
    handles.push(installGlobals(global, { saltPath: testSaltPath }));
    expect(global.MediaStreamTrackVideoStats).toBe(MediaStreamTrackVideoStats);
    expect(global.MediaStreamTrackAudioStats).toBe(MediaStreamTrackAudioStats);
    expect(handle).toBeDefined();
  });
});

// The scaling thread runs only from the compiled package (see test/media/scaler-thread.test.ts).
const dist = new URL('../../dist/', import.meta.url);
const built = existsSync(fileURLToPath(new URL('media/adapt/scale-worker.js', dist)));
const load = (path: string): Promise<any> => import(new URL(path, dist).href);

describe.runIf(built)('frames the scaling thread is too far behind for (compiled package)', () => {
  it('are counted as dropped, the ones it scales as delivered', async () => {
    const { MediaRoute } = await load('media/route.js');
    const { videoFrameFromPlanes } = await load('webcodecs/internal.js');
    const route = new MediaRoute({ kind: 'video', width: 320, height: 180, frameRate: 30 }, { scaleOffThread: true });
    const fates: string[] = [];
    route.addCounter((fate: string) => fates.push(fate));
    let delivered = 0;
    let arrived: () => void = () => {};
    route.add((frame: { close(): void }) => {
      frame.close();
      delivered++;
      arrived();
    });
    const frame = (n: number) =>
      videoFrameFromPlanes({ format: 'I420', codedWidth: 1280, codedHeight: 720, timestamp: n * 33_334, duration: 33_333, data: new Uint8Array(new SharedArrayBuffer((1280 * 720 * 3) / 2)) });
    // The first frame starts the thread (frames wait for it while it starts).
    const first = frame(0);
    const started = new Promise<void>((r) => (arrived = r));
    route.push(first);
    first.close();
    await started;
    // Five frames in one turn: two go to the thread, three are dropped at once.
    const done = new Promise<void>((r) => (arrived = () => delivered === 3 && r()));
    for (let n = 1; n <= 5; n++) {
      const f = frame(n);
      route.push(f);
      f.close();
    }
    expect(fates).toEqual(['delivered', 'dropped', 'dropped', 'dropped']);
    await done;
    expect(fates.sort()).toEqual(['delivered', 'delivered', 'delivered', 'dropped', 'dropped', 'dropped']);
  });
});
