/**
 * installGlobals into the other globals with a realm of their own: a bare `vm` context (no DOM at
 * all) and a happy-dom Window (its own realm, its own EventTarget and Event classes). The Node
 * realm itself is covered by the rest of the suite, unchanged.
 */
import vm from 'node:vm';
import { Window } from 'happy-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { installGlobals, MediaStream, type MediaCaptureHandle } from '../../src/index.js';

let cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup) await c();
  cleanup = [];
});

describe('a vm context', () => {
  it('gets interface objects made of its functions, its errors, promises and arrays, and the EventTarget they use', async () => {
    const context = vm.createContext({});
    const handle: MediaCaptureHandle = installGlobals(context, { backends: 'builtin' });
    cleanup.push(() => handle.uninstall());
    const result = await vm.runInContext(
      `(async () => {
        const rejection = (p) => p.then(() => 'resolved', (e) => e);
        const p = navigator.mediaDevices.getUserMedia({ audio: true });
        const stream = await p;
        const bad = await rejection(navigator.mediaDevices.getUserMedia({ audio: { advanced: 1 } }));
        let illegal; try { new MediaStreamTrack(); } catch (e) { illegal = e; }
        return {
          method: Object.getPrototypeOf(MediaStream.prototype.getTracks) === Function.prototype,
          promise: p instanceof Promise,
          stream: stream instanceof MediaStream && stream instanceof EventTarget,
          tracks: stream.getTracks() instanceof Array,
          typeError: bad instanceof TypeError && illegal instanceof TypeError,
          settings: Object.getPrototypeOf(stream.getTracks()[0].getSettings()) === Object.prototype,
        };
      })()`,
      context,
    );
    expect(result).toEqual({ method: true, promise: true, stream: true, tracks: true, typeError: true, settings: true });
    // The objects are ours all the same: the Node realm's code can use them.
    const stream = vm.runInContext('new MediaStream()', context);
    expect(stream).not.toBeInstanceOf(MediaStream);
    expect(typeof stream.getTracks).toBe('function');
  });
});

describe('a happy-dom Window', () => {
  it('gets interfaces on its own EventTarget, so its own Event dispatches through them', async () => {
    const window = new Window({ url: 'https://example.test/', settings: { enableJavaScriptEvaluation: true, suppressInsecureJavaScriptEnvironmentWarning: true } });
    cleanup.push(() => window.happyDOM.close());
    const handle = installGlobals(window, { backends: 'builtin' });
    cleanup.push(() => handle.uninstall());
    const result = await (window as unknown as { eval(code: string): Promise<unknown> }).eval(
      `(async () => {
        const stream = await navigator.mediaDevices.getUserMedia({ video: true });
        const track = stream.getVideoTracks()[0];
        const got = [];
        track.addEventListener('mute', (e) => got.push(e.type));
        track.dispatchEvent(new Event('mute'));
        return [Object.getPrototypeOf(MediaStream) === EventTarget, stream instanceof EventTarget, track instanceof MediaStreamTrack, got];
      })()`,
    );
    expect(result).toEqual([true, true, true, ['mute']]);
  });
});
