import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaStreamTrackProcessor } from '../../src/interfaces/MediaStreamTrackProcessor.js';
import { trackOf } from '../../src/interfaces/MediaStreamTrack.js';
import { VideoTrackGenerator } from '../../src/interfaces/VideoTrackGenerator.js';
import { deserializeVideoFrame, serializeTrack, serializeVideoFrame } from '../../src/interfaces/transfer.js';
import { videoFramePlanes } from '../../src/webcodecs/internal.js';
import { VideoFrame } from '../../src/webcodecs/video-frame.js';
import { camera, frameNumber, lab, readSoon } from '../transform/helpers.js';
import { buildForWorkers, until, WorkerClient } from './worker-client.js';
import { scaled } from '../helpers/wait.js';

let dist: string;
let worker: WorkerClient;

beforeAll(async () => {
  dist = buildForWorkers();
  worker = await WorkerClient.start(dist);
}, scaled(120_000));

afterAll(async () => {
  await worker?.terminate();
  if (dist) rmSync(dist, { recursive: true, force: true });
});

/** Runs the virtual clock at one frame per 2 ms of real time while `work` runs. */
async function whileRunning<T>(clock: { advance(ms: number): void }, work: Promise<T>): Promise<T> {
  const timer = setInterval(() => clock.advance(1000 / 30), 2);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

describe('a transferred camera track', () => {
  it('is read in a worker: 10 frames numbered without gaps, from shared memory, crop-and-scaled there on request', async () => {
    const { clock, md } = lab();
    const track = await camera(md);
    const source = trackOf(track)!.source.media;
    let ended = 0;
    track.onended = () => ended++;
    const { data, transfer } = serializeTrack(track);
    // The original is detached: ended without an event; it cannot go twice.
    expect(track.readyState).toBe('ended');
    expect(() => serializeTrack(track)).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
    expect(source.stopped).toBe(false);

    const received = await worker.call('receive', { name: 'cam', track: data }, transfer);
    expect(received).toMatchObject({ id: track.id, kind: 'video', readyState: 'live', muted: false, label: track.label, settings: { width: 640, height: 480 } });

    const { frames } = await whileRunning(clock, worker.call('read', { name: 'cam', count: 10 }));
    expect(frames).toHaveLength(10);
    for (let i = 0; i < 10; i++) {
      expect(frames[i]).toMatchObject({ width: 640, height: 480, shared: true, number: frames[0].number + i });
    }
    expect(frames[0].number).not.toBe(null);

    const small = await whileRunning(clock, worker.call('read', { name: 'cam', count: 5, constraints: { width: { exact: 320 }, height: { exact: 240 } } }));
    expect(small.settings).toMatchObject({ width: 320, height: 240, resizeMode: 'crop-and-scale' });
    for (let i = 0; i < 5; i++) expect(small.frames[i]).toMatchObject({ width: 320, height: 240, number: small.frames[0].number + i });

    // When the worker's track stops, the data holder lets go and the camera closes.
    await worker.call('stop', { name: 'cam' });
    await until(() => source.stopped);
    expect(ended).toBe(0);
  });

  it('follows its source: mute and unmute, and ended when the device goes', async () => {
    const { md, handle } = lab();
    const track = await camera(md);
    const { data, transfer } = serializeTrack(track);
    await worker.call('receive', { name: 'cam2', track: data }, transfer);
    handle.devices.interrupt('builtin-camera');
    await until(async () => (await worker.call('state', { name: 'cam2' })).muted);
    handle.devices.resume('builtin-camera');
    await until(async () => !(await worker.call('state', { name: 'cam2' })).muted);
    handle.devices.unplug('builtin-camera');
    await until(async () => (await worker.call('state', { name: 'cam2' })).readyState === 'ended');
    expect((await worker.call('state', { name: 'cam2' })).events).toEqual(['mute', 'unmute', 'ended']);
  });

  it('stopping all sources in the original global ends it in the worker', async () => {
    const { md, handle } = lab();
    const track = await camera(md);
    const { data, transfer } = serializeTrack(track);
    await worker.call('receive', { name: 'cam3', track: data }, transfer);
    handle.uninstall();
    await until(async () => (await worker.call('state', { name: 'cam3' })).readyState === 'ended');
  });
});

describe('a transferred generator track', () => {
  it('carries the frames written in the main thread to a processor in the worker, and ends when the writable closes', async () => {
    const generator = new VideoTrackGenerator();
    const { data, transfer } = serializeTrack(generator.track);
    await worker.call('receive', { name: 'gen', track: data }, transfer);
    const writer = generator.writable.getWriter();
    const reading = worker.call('read', { name: 'gen', count: 3 });
    // Write until the worker has its frames (it asks for them once its processor is made).
    let t = 0;
    const writing = (async () => {
      let done = false;
      void reading.finally(() => (done = true));
      while (!done) {
        await writer.write(new VideoFrame(new Uint8Array(96 * 64 * 1.5).fill(100), { format: 'I420', codedWidth: 96, codedHeight: 64, timestamp: (t += 1000) }));
        await new Promise((r) => setTimeout(r, 2)); // a 500 fps camera: the pace of the frames, not a wait for anything
      }
    })();
    const { frames } = await reading;
    await writing;
    for (const f of frames) expect(f).toMatchObject({ width: 96, height: 64 });
    expect(frames[1].timestamp - frames[0].timestamp).toBe(1000);
    await writer.close();
    await until(async () => (await worker.call('state', { name: 'gen' })).readyState === 'ended');
    expect((await worker.call('state', { name: 'gen' })).events).toEqual(['ended']);
  });
});

describe('VideoFrame transfer', () => {
  it('moves a frame that holds the only reference to a whole ArrayBuffer without copying', async () => {
    const bytes = new Uint8Array(16 * 16 * 1.5).map((_, i) => i & 0xff);
    const frame = new VideoFrame(bytes, { format: 'I420', codedWidth: 16, codedHeight: 16, timestamp: 5 });
    const pixels = videoFramePlanes(frame).data;
    const { data, transfer } = serializeVideoFrame(frame);
    expect(frame.format).toBe(null);
    expect(pixels.byteLength).toBe(0); // moved: its buffer is detached here
    const { info } = await worker.call('frame', { frame: data }, transfer);
    expect(info).toMatchObject({ width: 16, height: 16, timestamp: 5 });
  });

  it('copies a camera frame (its pixels lie in the kernels\' shared memory), and back', async () => {
    const { clock, md } = lab();
    const track = await camera(md);
    const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
    clock.advance(34);
    const frame = (await readSoon(reader)).value as VideoFrame;
    const n = frameNumber(frame);
    const pixels = videoFramePlanes(frame).data;
    expect(pixels.buffer).toBeInstanceOf(SharedArrayBuffer);
    const { data, transfer } = serializeVideoFrame(frame);
    expect(frame.format).toBe(null);
    expect(data.data.buffer).not.toBe(pixels.buffer); // a copy: a SharedArrayBuffer cannot move
    const { info, back } = await worker.call('frame', { frame: data, sendBack: true }, transfer);
    expect(info).toMatchObject({ width: 640, height: 480, number: n, shared: false });
    const returned = deserializeVideoFrame(back);
    expect(frameNumber(returned)).toBe(n);
    returned.close();
  });

  it('copies the pixels of a frame that other frames share, leaving them intact', async () => {
    const bytes = new Uint8Array(16 * 16 * 1.5).map((_, i) => i & 0xff);
    const frame = new VideoFrame(bytes, { format: 'I420', codedWidth: 16, codedHeight: 16, timestamp: 5 });
    const clone = frame.clone();
    const { data, transfer } = serializeVideoFrame(frame);
    const copy = new Uint8Array(clone.allocationSize());
    await clone.copyTo(copy);
    expect(copy).toEqual(bytes);
    const { info } = await worker.call('frame', { frame: data }, transfer);
    expect(info).toMatchObject({ width: 16, height: 16, timestamp: 5 });
    clone.close();
    expect(() => serializeVideoFrame(clone)).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
  });
});
