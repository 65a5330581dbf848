import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BlobEvent } from '../../src/interfaces/BlobEvent.js';
import { MediaStream } from '../../src/interfaces/MediaStream.js';
import { ErrorEvent } from '../../src/interfaces/ErrorEvent.js';
import { expectThrowsName } from '../webcodecs/helpers.js';
import { advance, cleanupTemp, MediaRecorder, next, openStudio, virtualClockRecorder, watch, type Studio } from './helpers.js';

afterAll(cleanupTemp);

let studio: Studio | undefined;
afterEach(() => {
  studio?.close();
  studio = undefined;
});

async function camAndMic(constraints: unknown = { video: { width: 160, height: 120 }, audio: true }) {
  studio = openStudio();
  return studio.getUserMedia(constraints);
}

describe('BlobEvent', () => {
  it('takes data (required) and timecode (default 0)', () => {
    const data = new Blob(['x']);
    const e = new BlobEvent('dataavailable', { data, timecode: 12.5, bubbles: true });
    expect(e.data).toBe(data);
    expect(e.data).toBe(e.data);
    expect(e.timecode).toBe(12.5);
    expect(e.bubbles).toBe(true);
    expect(new BlobEvent('x', { data }).timecode).toBe(0);
  });
  it('rejects missing or wrong arguments with a TypeError', () => {
    expect(() => new (BlobEvent as any)('x')).toThrow(TypeError);
    expect(() => new BlobEvent('x', {} as never)).toThrow(/data is required/);
    expect(() => new BlobEvent('x', { data: 'nope' } as never)).toThrow(/not of type Blob/);
    expect(() => new BlobEvent('x', { data: new Blob([]), timecode: NaN })).toThrow(TypeError);
  });
  it('brand-checks its attributes', () => {
    const get = Object.getOwnPropertyDescriptor(BlobEvent.prototype, 'data')!.get!;
    expect(() => get.call(new Event('x'))).toThrow(TypeError);
    expect(Object.prototype.toString.call(new BlobEvent('x', { data: new Blob([]) }))).toBe('[object BlobEvent]');
  });
});

describe('ErrorEvent', () => {
  it('carries message and error', () => {
    const error = new DOMException('m', 'UnknownError');
    const e = new ErrorEvent('error', { message: 'm', error });
    expect([e.type, e.message, e.error, e.filename, e.lineno, e.colno]).toEqual(['error', 'm', error, '', 0, 0]);
  });
});

describe('MediaRecorder constructor and attributes', () => {
  it('needs a MediaStream', () => {
    expect(() => new (MediaRecorder as any)()).toThrow(TypeError);
    expect(() => new MediaRecorder({} as never)).toThrow(TypeError);
  });
  it('starts inactive with the defaults', () => {
    const stream = new MediaStream();
    const r = new MediaRecorder(stream);
    expect([r.stream, r.state, r.mimeType, r.videoBitsPerSecond, r.audioBitsPerSecond, r.audioBitrateMode]).toEqual([stream, 'inactive', '', 2_500_000, 128_000, 'variable']);
    expect(Object.prototype.toString.call(r)).toBe('[object MediaRecorder]');
    expect(Object.keys(MediaRecorder.prototype)).toEqual(expect.arrayContaining(['start', 'stop', 'pause', 'resume', 'requestData', 'onstart', 'ondataavailable', 'onerror']));
  });
  it('converts the options dictionary', () => {
    const r = new MediaRecorder(new MediaStream(), { mimeType: 'audio/webm', audioBitsPerSecond: 64_000, videoBitsPerSecond: 1_000_000, audioBitrateMode: 'constant' });
    expect([r.mimeType, r.audioBitsPerSecond, r.videoBitsPerSecond, r.audioBitrateMode]).toEqual(['audio/webm', 64_000, 1_000_000, 'constant']);
    expect(() => new MediaRecorder(new MediaStream(), { audioBitrateMode: 'average' as never })).toThrow(/BitrateMode/);
    expect(() => new MediaRecorder(new MediaStream(), { videoKeyFrameIntervalDuration: Infinity })).toThrow(TypeError);
    expect(() => new MediaRecorder(new MediaStream(), 5 as never)).toThrow(TypeError);
  });
  it('shares bitsPerSecond out between video and audio (constructor step 15)', () => {
    const r = new MediaRecorder(new MediaStream(), { bitsPerSecond: 1_000_000, videoBitsPerSecond: 5, audioBitsPerSecond: 5 });
    expect(r.videoBitsPerSecond + r.audioBitsPerSecond).toBe(1_000_000);
    expect(r.audioBitsPerSecond).toBe(100_000);
  });
  it('throws NotSupportedError for a type it cannot record', () => {
    expectThrowsName(() => new MediaRecorder(new MediaStream(), { mimeType: 'video/invalid' }), 'NotSupportedError');
    expectThrowsName(() => new MediaRecorder(new MediaStream(), { mimeType: 'audio/webm;codecs=vp8' }), 'NotSupportedError');
  });
});

describe('exceptions', () => {
  it('pause, resume and requestData need a started recorder; stop does nothing then', () => {
    const r = new MediaRecorder(new MediaStream());
    r.stop();
    expect(r.state).toBe('inactive');
    expectThrowsName(() => r.pause(), 'InvalidStateError');
    expectThrowsName(() => r.resume(), 'InvalidStateError');
    expectThrowsName(() => r.requestData(), 'InvalidStateError');
  });
  it('start on an inactive stream is NotSupportedError', () => {
    expectThrowsName(() => new MediaRecorder(new MediaStream()).start(), 'NotSupportedError');
  });
  it('start while recording is InvalidStateError', async () => {
    const stream = await camAndMic();
    const r = new MediaRecorder(stream);
    r.start();
    expectThrowsName(() => r.start(), 'InvalidStateError');
    r.pause();
    expectThrowsName(() => r.start(), 'InvalidStateError');
    r.stop();
    await next(r, 'stop');
  });
  it('both key frame intervals is NotSupportedError (start step 12)', async () => {
    const stream = await camAndMic();
    const r = new MediaRecorder(stream, { videoKeyFrameIntervalCount: 10, videoKeyFrameIntervalDuration: 1000 });
    expectThrowsName(() => r.start(), 'NotSupportedError');
    expect(r.state).toBe('inactive');
  });
  it('a track the configuration cannot hold is NotSupportedError (start step 14)', async () => {
    const stream = await camAndMic();
    expectThrowsName(() => new MediaRecorder(stream, { mimeType: 'audio/webm' }).start(), 'NotSupportedError');
    expectThrowsName(() => new MediaRecorder(stream, { mimeType: 'audio/ogg;codecs=opus' }).start(), 'NotSupportedError');
    const two = new MediaStream([stream.getVideoTracks()[0]!, stream.getVideoTracks()[0]!.clone()]);
    expectThrowsName(() => new MediaRecorder(two).start(), 'NotSupportedError');
    // A codec the recorder does not know, accepted by the constructor (not synchronously exposed).
    expectThrowsName(() => new MediaRecorder(stream, { mimeType: 'video/webm;codecs=theora' }).start(), 'NotSupportedError');
  });
});

describe('events', () => {
  it('start → pause → resume → dataavailable → stop, each from a task (the WPT sequence)', async () => {
    const stream = await camAndMic();
    const r = virtualClockRecorder(stream);
    const seen: string[] = [];
    r.onstart = () => {
      seen.push(`start:${r.state}`);
      r.pause();
    };
    r.onpause = () => {
      seen.push(`pause:${r.state}`);
      r.resume();
    };
    r.onresume = () => {
      seen.push(`resume:${r.state}`);
      r.stop();
    };
    r.ondataavailable = (e) => seen.push(`dataavailable:${r.state}:${(e as BlobEvent).data.size > 0}`);
    r.onerror = () => seen.push('error');
    const stopped = next(r, 'stop');
    r.start();
    expect(r.state).toBe('recording');
    expect(seen).toEqual([]);
    studio!.clock.advance(100);
    await stopped;
    expect(seen).toEqual(['start:recording', 'pause:paused', 'resume:recording', 'dataavailable:inactive:true']);
    expect(r.state).toBe('inactive');
  });

  it('calls made at once fire their events in call order', async () => {
    const stream = await camAndMic();
    const r = virtualClockRecorder(stream);
    const log = watch(r);
    r.start();
    studio!.clock.advance(200);
    r.pause();
    r.resume();
    r.requestData();
    r.stop();
    expect(r.state).toBe('inactive');
    await next(r, 'stop');
    expect(log.events).toEqual(['start', 'pause', 'resume', 'dataavailable', 'dataavailable', 'stop']);
    expect(log.blobs.every((b) => b.type === 'video/webm;codecs=vp8,opus')).toBe(true);
  });

  it('mimeType: the constrained type before start, the full type from the start event, the constrained one after stop', async () => {
    const stream = await camAndMic({ video: { width: 160, height: 120 } });
    const r = virtualClockRecorder(stream, { mimeType: 'video/webm' });
    r.start();
    expect(r.mimeType).toBe('video/webm');
    const seen: string[] = [];
    r.onstart = () => seen.push(r.mimeType);
    r.ondataavailable = (e) => seen.push(`${r.mimeType}|${(e as BlobEvent).data.type}`);
    await next(r, 'start');
    await advance(studio!, r, 200);
    r.stop();
    await next(r, 'stop');
    expect(seen).toEqual(['video/webm;codecs=vp8', 'video/webm|video/webm;codecs=vp8']);
  });

  it('a recorder records again after stop; the second start comes after the first stop', async () => {
    const stream = await camAndMic();
    const r = virtualClockRecorder(stream, { mimeType: 'video/webm;codecs=vp9' });
    const log = watch(r);
    r.start();
    studio!.clock.advance(100);
    r.stop();
    r.start();
    studio!.clock.advance(100);
    r.stop();
    await next(r, 'stop');
    await next(r, 'stop');
    expect(log.events).toEqual(['start', 'dataavailable', 'stop', 'start', 'dataavailable', 'stop']);
    expect(r.mimeType).toBe('video/webm;codecs=vp9');
  });

  it('requestData right after start hands over a Blob (maybe empty) with timecode 0', async () => {
    const stream = await camAndMic();
    const r = virtualClockRecorder(stream);
    const log = watch(r);
    r.start();
    r.requestData();
    await next(r, 'dataavailable');
    expect(log.events).toEqual(['start', 'dataavailable']);
    expect(log.timecodes).toEqual([0]);
    r.stop();
    await next(r, 'stop');
  });
});
