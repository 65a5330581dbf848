import { describe, expect, it } from 'vitest';
import { MediaDevices, MediaRecorder, MediaStream, Permissions } from '../../src/index.js';
import { openTab } from '../core/harness.js';

/** Calls `f`; fails if it throws rather than returning a promise, and returns what the promise rejects with. */
async function rejection(f: () => Promise<unknown>): Promise<unknown> {
  let promise: Promise<unknown>;
  try {
    promise = f();
  } catch (e) {
    throw new Error(`threw instead of rejecting: ${String(e)}`);
  }
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('IDL operations', () => {
  it('promise-returning operations reject, never throw, on a bad this or a bad argument', async () => {
    const tab = openTab();
    expect(await rejection(() => MediaDevices.prototype.getUserMedia.call({} as never, { video: true }))).toBeInstanceOf(TypeError);
    expect(await rejection(() => MediaDevices.prototype.enumerateDevices.call(5 as never))).toBeInstanceOf(TypeError);
    expect(await rejection(() => MediaDevices.prototype.getDisplayMedia.call(null as never))).toBeInstanceOf(TypeError);
    expect(await rejection(() => tab.mediaDevices.getUserMedia(5 as never))).toBeInstanceOf(TypeError);
    expect(await rejection(() => tab.mediaDevices.getUserMedia({ video: { width: { min: Symbol('s') } } } as never))).toBeInstanceOf(TypeError);
    expect(await rejection(() => tab.mediaDevices.getDisplayMedia({ systemAudio: 'maybe' } as never))).toBeInstanceOf(TypeError);
    expect(await rejection(() => Permissions.prototype.query.call({} as never, { name: 'camera' }))).toBeInstanceOf(TypeError);
    expect(await rejection(() => tab.navigator.permissions.query({}))).toBeInstanceOf(TypeError);
    expect(await rejection(() => tab.navigator.permissions.query({ name: 'geolocation' }))).toBeInstanceOf(TypeError);
    tab.handle.uninstall();
  });

  it('a TypeError names the argument or member that was wrong', async () => {
    const tab = openTab();
    const error = (await rejection(() => tab.mediaDevices.getUserMedia({ audio: { latency: NaN } }))) as TypeError;
    expect(error.message).toMatch(/^Failed to execute 'getUserMedia' on 'MediaDevices': constraints\.audio\.latency is not a finite number/);
    expect(() => new MediaRecorder(new MediaStream(), { videoBitsPerSecond: Symbol('s') as never })).toThrow(
      /^Failed to construct 'MediaRecorder': options\.videoBitsPerSecond is a Symbol/,
    );
    expect(() => new MediaRecorder({} as never)).toThrow(/^Failed to construct 'MediaRecorder': stream is not of type MediaStream/);
    tab.handle.uninstall();
  });
});
