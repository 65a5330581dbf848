/**
 * Web Audio as a page uses it: scripts running in a jsdom window's own realm find AudioContext
 * and the MediaStream nodes on their window, and meter the microphone.
 */
import { JSDOM } from 'jsdom';
import { afterEach, describe, expect, it } from 'vitest';
import { installGlobals, type MediaCaptureHandle } from '../../src/index.js';
import { testSaltPath } from '../core/harness.js';
import { measuredPeak, type AnyObject } from './helpers.js';

let dom: JSDOM | undefined;
let handle: MediaCaptureHandle | undefined;
afterEach(() => {
  handle?.uninstall();
  dom?.window.close();
});

describe('in a jsdom window with its own realm', () => {
  it('page script builds a meter and a recordable destination from window.AudioContext', async () => {
    dom = new JSDOM('<!doctype html><body></body>', { runScripts: 'outside-only', url: 'https://widget.example/' });
    handle = installGlobals(dom.window, { backends: 'builtin', saltPath: testSaltPath });
    const page = `(async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const context = new AudioContext();
      const analyser = new AnalyserNode(context, { fftSize: 4096 });
      context.createMediaStreamSource(stream).connect(analyser);
      const destination = context.createMediaStreamDestination();
      let windowArrays;
      try {
        analyser.getFloatTimeDomainData(new Float32Array(32));
        windowArrays = 'accepted';
      } catch (error) {
        windowArrays = error.name;
      }
      return { stream, context, analyser, windowArrays, recordable: destination.stream instanceof MediaStream && new MediaRecorder(destination.stream).stream === destination.stream };
    })()`;
    const result = await (dom.window as unknown as { eval(code: string): Promise<AnyObject> }).eval(page);
    const { context, analyser } = result;
    expect(context.sinkId).toEqual({ type: 'none' });
    expect(result.recordable).toBe(true);
    // Known limit (realms): node-web-audio-api checks typed arrays with Node's `instanceof
    // Float32Array`, so the window's own arrays are refused; arrays made in Node's realm work.
    expect(result.windowArrays).toBe('TypeError');
    expect(Math.abs((await measuredPeak(analyser, context.sampleRate)) - 440)).toBeLessThan(context.sampleRate / 4096);
    await context.close();
    for (const t of result.stream.getTracks()) t.stop();
  });
});
