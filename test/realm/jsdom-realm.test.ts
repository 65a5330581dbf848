/**
 * installGlobals into a jsdom window that runs its own scripts (`runScripts: 'dangerously'`): the
 * page's code, in the window's realm, sees its own kind of objects. Every check runs inside the
 * window (window.eval or a <script> element), against the window's own intrinsics.
 */
import { JSDOM } from 'jsdom';
import { afterEach, describe, expect, it } from 'vitest';
import { installGlobals, type MediaCaptureHandle } from '../../src/index.js';

interface PageWindow {
  eval(code: string): unknown;
  [key: string]: unknown;
}

let handles: MediaCaptureHandle[] = [];
afterEach(() => {
  for (const h of handles) h.uninstall();
  handles = [];
});

function page(options: { secure?: boolean; runScripts?: 'dangerously' | 'outside-only' } = {}): { window: PageWindow; handle: MediaCaptureHandle } {
  const dom = new JSDOM('<!doctype html><body></body>', { runScripts: options.runScripts ?? 'dangerously', url: 'https://example.test/' });
  const window = dom.window as unknown as PageWindow;
  if (options.secure === false) Object.defineProperty(window, 'isSecureContext', { value: false, configurable: true });
  const handle = installGlobals(window, { backends: 'builtin' });
  handles.push(handle);
  return { window, handle };
}

/** Runs `code` (an async function body) in the window's realm and returns what it returns. */
function inPage<T>(window: PageWindow, code: string): Promise<T> {
  return window.eval(`(async () => { ${code} })()`) as Promise<T>;
}

describe('interface objects in a jsdom window realm', () => {
  it('are own properties of the window, made of its functions, inheriting from its EventTarget, Event and DOMException', async () => {
    const { window } = page();
    const result = await inPage<Record<string, unknown>>(
      window,
      `
      const own = (name) => Object.prototype.hasOwnProperty.call(window, name) && !Object.getOwnPropertyDescriptor(window, name).enumerable;
      return {
        own: ['MediaStream', 'MediaStreamTrack', 'MediaDevices', 'MediaRecorder', 'OverconstrainedError', 'MediaStreamTrackEvent'].every(own),
        streamParent: Object.getPrototypeOf(MediaStream) === EventTarget,
        streamProto: Object.getPrototypeOf(MediaStream.prototype) === EventTarget.prototype,
        interfaceIsFunction: Object.getPrototypeOf(MediaStream) === EventTarget && Object.getPrototypeOf(MediaDeviceInfo) === Function.prototype,
        methodIsFunction: Object.getPrototypeOf(MediaStream.prototype.getTracks) === Function.prototype,
        getterIsFunction: Object.getPrototypeOf(Object.getOwnPropertyDescriptor(MediaStreamTrack.prototype, 'kind').get) === Function.prototype,
        getterName: Object.getOwnPropertyDescriptor(MediaStreamTrack.prototype, 'kind').get.name,
        eventProto: Object.getPrototypeOf(MediaStreamTrackEvent.prototype) === Event.prototype,
        errorProto: Object.getPrototypeOf(OverconstrainedError.prototype) === DOMException.prototype,
        generatorProto: Object.getPrototypeOf(MediaStreamTrackGenerator.prototype) === MediaStreamTrack.prototype,
        methodHasNoPrototype: !('prototype' in MediaStream.prototype.getTracks),
        methodEnumerable: Object.getOwnPropertyDescriptor(MediaStream.prototype, 'getTracks').enumerable,
        prototypeProperty: JSON.stringify(Object.getOwnPropertyDescriptor(MediaStream, 'prototype'), ['writable', 'enumerable', 'configurable']),
        tag: String(new MediaStream()),
        lengths: [MediaStream.length, MediaStream.prototype.getTrackById.length, MediaStreamTrack.prototype.applyConstraints.length, MediaStreamTrackEvent.length, MediaRecorder.prototype.start.length, MediaRecorder.length, MediaStreamTrack.length, MediaDevices.length, MediaDeviceInfo.length],
        names: [MediaStream.name, MediaStream.prototype.getTrackById.name],
      };`,
    );
    expect(result).toEqual({
      own: true,
      streamParent: true,
      streamProto: true,
      interfaceIsFunction: true,
      methodIsFunction: true,
      getterIsFunction: true,
      getterName: 'get kind',
      eventProto: true,
      errorProto: true,
      generatorProto: true,
      methodHasNoPrototype: true,
      methodEnumerable: true,
      prototypeProperty: '{"writable":false,"enumerable":false,"configurable":false}',
      tag: '[object MediaStream]',
      lengths: [0, 1, 0, 2, 0, 1, 0, 0, 0],
      names: ['MediaStream', 'getTrackById'],
    });
  });

  it('throws the window\'s TypeError: interface called without new, illegal constructor, getter on the prototype, bad argument', async () => {
    const { window } = page();
    const result = await inPage<boolean[]>(
      window,
      `
      const throwsTypeError = (f) => { try { f(); return false; } catch (e) { return e instanceof TypeError; } };
      return [
        throwsTypeError(() => MediaStream()),
        throwsTypeError(() => new MediaStreamTrack()),
        throwsTypeError(() => Object.getOwnPropertyDescriptor(MediaStreamTrack.prototype, 'kind').get.call(MediaStreamTrack.prototype)),
        throwsTypeError(() => new MediaStream([1])),
        throwsTypeError(() => new MediaStream().addTrack(null)),
      ];`,
    );
    expect(result).toEqual([true, true, true, true, true]);
  });

  it('returns the window\'s promises, arrays and dictionaries, and rejects with its errors', async () => {
    const { window } = page();
    const result = await inPage<Record<string, unknown>>(
      window,
      `
      const p = navigator.mediaDevices.getUserMedia({ video: true });
      const stream = await p;
      const track = stream.getVideoTracks()[0];
      const rejection = (promise) => promise.then(() => 'resolved', (e) => e);
      const over = await rejection(navigator.mediaDevices.getUserMedia({ video: { width: { exact: 99999 } } }));
      const badArg = await rejection(navigator.mediaDevices.getUserMedia({ video: { advanced: 5 } }));
      const badThis = MediaDevices.prototype.getUserMedia.call({}, { video: true });
      const badThisError = await rejection(badThis);
      const devices = await navigator.mediaDevices.enumerateDevices();
      const atOnce = await Promise.race([navigator.mediaDevices.getDisplayMedia({ video: { width: { min: 1 } } }), Promise.resolve('pending')]).catch((e) => e instanceof TypeError);
      return {
        atOnce,
        promise: p instanceof Promise && badThis instanceof Promise,
        stream: stream instanceof MediaStream && stream instanceof EventTarget,
        track: track instanceof MediaStreamTrack && track.kind === 'video',
        tracks: stream.getTracks() instanceof Array,
        settings: Object.getPrototypeOf(track.getSettings()) === Object.prototype,
        over: [over instanceof OverconstrainedError, over instanceof DOMException, over.name, over.constraint],
        badArg: badArg instanceof TypeError,
        badThis: badThisError instanceof TypeError,
        devices: devices instanceof Array && devices.every((d) => d instanceof MediaDeviceInfo),
        input: devices.some((d) => d instanceof InputDeviceInfo),
        json: Object.getPrototypeOf(devices[0].toJSON()) === Object.prototype,
        clone: track.clone() instanceof MediaStreamTrack && stream.clone() instanceof MediaStream,
        stats: track.stats === track.stats && track.stats instanceof MediaStreamTrackVideoStats,
      };`,
    );
    expect(result).toEqual({
      atOnce: true,
      promise: true,
      stream: true,
      track: true,
      tracks: true,
      settings: true,
      over: [true, true, 'OverconstrainedError', 'width'],
      badArg: true,
      badThis: true,
      devices: true,
      input: true,
      json: true,
      clone: true,
      stats: true,
    });
  });

  it('fires the user agent\'s events as trusted events of the window, to listeners and handlers alike', async () => {
    const { window, handle } = page();
    await inPage(
      window,
      `
      const stream = await navigator.mediaDevices.getUserMedia({ video: true });
      window.track = stream.getVideoTracks()[0];
      window.seen = [];
      window.ended = new Promise((resolve) => track.addEventListener('ended', (e) => {
        seen.push({ listener: e instanceof Event, trusted: e.isTrusted, target: e.target === track });
        resolve();
      }));
      track.onended = (e) => seen.push({ handler: true, trusted: e.isTrusted, self: this === window });
      await navigator.mediaDevices.enumerateDevices();
      window.changed = new Promise((resolve) => navigator.mediaDevices.ondevicechange = (e) => resolve({
        trusted: e.isTrusted, event: e instanceof DeviceChangeEvent && e instanceof Event,
        devices: e.devices instanceof Array && e.devices === e.devices && e.devices.every((d) => d instanceof MediaDeviceInfo),
      }));`,
    );
    handle.devices.unplug('builtin-camera');
    await (window.ended as Promise<void>);
    expect(window.seen).toEqual([{ listener: true, trusted: true, target: true }, { handler: true, trusted: true, self: true }]);
    expect(await (window.changed as Promise<unknown>)).toEqual({ trusted: true, event: true, devices: true });
  });

  it('gives navigator.permissions of the window, whose PermissionStatus fires a trusted change', async () => {
    const { window, handle } = page();
    await inPage(
      window,
      `
      const status = await navigator.permissions.query({ name: 'camera' });
      window.changed = new Promise((resolve) => status.onchange = (e) => resolve([e.isTrusted, status.state, status instanceof PermissionStatus, status instanceof EventTarget]));`,
    );
    handle.permissions.set('camera', 'denied');
    expect(await (window.changed as Promise<unknown>)).toEqual([true, 'denied', true, true]);
  });

  it('leaves events made by script untrusted, and dispatches them through the window\'s own dispatchEvent', async () => {
    const { window } = page();
    const result = await inPage<unknown>(
      window,
      `
      const stream = new MediaStream();
      const got = [];
      stream.addEventListener('addtrack', (e) => got.push([e.isTrusted, e instanceof MediaStreamTrackEvent, e.track === t]));
      const [t] = (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks();
      const ev = new MediaStreamTrackEvent('addtrack', { track: t });
      stream.dispatchEvent(ev);
      return [got, ev.isTrusted, ev instanceof Event];`,
    );
    expect(result).toEqual([[[false, true, true]], false, true]);
  });

  it('records into the window\'s own Blob, with trusted start, dataavailable and stop events', async () => {
    const { window } = page();
    const result = await inPage<unknown>(
      window,
      `
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const recorder = new MediaRecorder(stream);
      const events = [];
      for (const type of ['start', 'dataavailable', 'stop']) recorder.addEventListener(type, (e) => events.push([e.type, e.isTrusted]));
      const data = new Promise((resolve) => recorder.ondataavailable = (e) => resolve(e));
      const stopped = new Promise((resolve) => recorder.onstop = resolve);
      recorder.start();
      await new Promise((resolve) => recorder.onstart = resolve);
      recorder.stop();
      const e = await data;
      await stopped;
      stream.getTracks().forEach((t) => t.stop());
      const bytes = await e.data.arrayBuffer();
      return [e instanceof BlobEvent, e.data instanceof Blob, bytes instanceof ArrayBuffer && bytes.byteLength > 0, events];`,
    );
    expect(result).toEqual([true, true, true, [['start', true], ['dataavailable', true], ['stop', true]]]);
  });

  it('takes the window\'s own Blob where a Blob is expected (BlobEvent)', () => {
    const { window } = page();
    expect(window.eval(`const b = new Blob(['x']); const e = new BlobEvent('dataavailable', { data: b, timecode: 1 }); [e.data === b, e instanceof Event, e.isTrusted]`)).toEqual([true, true, false]);
  });

  it('puts navigator.mediaDevices on Navigator.prototype, and removes it on uninstall', async () => {
    const { window, handle } = page();
    const result = await inPage<unknown>(
      window,
      `
      const d = Object.getOwnPropertyDescriptor(Navigator.prototype, 'mediaDevices');
      return [typeof d.get, Object.getPrototypeOf(d.get) === Function.prototype, navigator.mediaDevices === navigator.mediaDevices,
        navigator.mediaDevices instanceof MediaDevices, Object.prototype.hasOwnProperty.call(navigator, 'mediaDevices')];`,
    );
    expect(result).toEqual(['function', true, true, true, false]);
    handle.uninstall();
    expect(window.eval(`'mediaDevices' in navigator || 'MediaStream' in window`)).toBe(false);
  });

  it('runs in <script> elements of the page too', async () => {
    const { window } = page();
    const document = (window as unknown as { document: Document }).document;
    const script = document.createElement('script');
    script.textContent = `window.fromScript = [new MediaStream() instanceof EventTarget, navigator.mediaDevices.getUserMedia({ audio: true }) instanceof Promise];`;
    document.body.appendChild(script);
    expect(window.fromScript).toEqual([true, true]);
  });

  it('works the same with runScripts "outside-only"', async () => {
    const { window } = page({ runScripts: 'outside-only' });
    const result = await inPage<unknown>(window, `const s = await navigator.mediaDevices.getUserMedia({ video: true }); return s instanceof EventTarget && s.getTracks()[0] instanceof MediaStreamTrack;`);
    expect(result).toBe(true);
  });
});

describe('installations', () => {
  it('two windows get separate interface objects; a window installed again after uninstall works as before', async () => {
    const a = page();
    const b = page();
    expect(a.window.MediaStream).not.toBe(b.window.MediaStream);
    const track = await inPage<object>(a.window, `return (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks()[0];`);
    // Brand checks are per interface, not per realm (as between same-origin windows in a browser).
    b.window.track = track;
    expect(b.window.eval(`new MediaStream([track]).getTracks()[0] === track`)).toBe(true);
    a.handle.uninstall();
    const reinstalled = installGlobals(a.window, { backends: 'builtin' });
    handles.push(reinstalled);
    expect(await inPage(a.window, `return (await navigator.mediaDevices.getUserMedia({ video: true })) instanceof MediaStream;`)).toBe(true);
    expect(installGlobals(a.window)).toBe(reinstalled);
  });
});

describe('[SecureContext]', () => {
  it('an insecure window gets no navigator.mediaDevices and no MediaDevices, MediaDeviceInfo, InputDeviceInfo or CaptureController', () => {
    const { window } = page({ secure: false });
    expect(window.eval(`['mediaDevices' in navigator, 'getUserMedia' in navigator, typeof MediaDevices, typeof MediaDeviceInfo, typeof InputDeviceInfo, typeof CaptureController, typeof MediaStream]`)).toEqual([
      false,
      false,
      'undefined',
      'undefined',
      'undefined',
      'undefined',
      'function',
    ]);
  });
});

describe('frames', () => {
  it('an iframe installed with `parent` has its own realm\'s objects, the same devices and, same-origin, the same permissions', async () => {
    const { window, handle } = page();
    window.eval(`const f = document.createElement('iframe'); document.body.appendChild(f); window.frame = f.contentWindow;`);
    const frame = window.frame as PageWindow;
    const child = installGlobals(frame, { parent: handle });
    const inFrame = await inPage<unknown>(
      frame,
      `
      const stream = await navigator.mediaDevices.getUserMedia({ video: true });
      const ids = (await navigator.mediaDevices.enumerateDevices()).map((d) => d.deviceId).join();
      for (const t of stream.getTracks()) t.stop();
      return [stream instanceof MediaStream, stream instanceof parent.MediaStream, stream instanceof EventTarget, ids];`,
    );
    const parentIds = await inPage<string>(window, `await navigator.mediaDevices.getUserMedia({ video: true }); return (await navigator.mediaDevices.enumerateDevices()).map((d) => d.deviceId).join();`);
    expect(inFrame).toEqual([true, false, true, parentIds]);
    expect(child.permissions).toBe(handle.permissions);
    await inPage(window, `for (const s of [await navigator.mediaDevices.getUserMedia({ video: true })]) s.getTracks().forEach((t) => t.stop());`);
    handle.permissions.set('camera', 'denied');
    expect(await inPage(frame, `return navigator.mediaDevices.getUserMedia({ video: true }).catch((e) => e.name);`)).toBe('NotAllowedError');
    handle.uninstall();
    expect(frame.eval(`'mediaDevices' in navigator`)).toBe(false);
  });
});
