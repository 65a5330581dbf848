import { describe, expect, it } from 'vitest';
import { MediaStream, OverconstrainedError } from '../../src/index.js';
import { openTab, tasks } from './harness.js';

describe('getUserMedia', () => {
  it('resolves with a stream holding one track per requested kind', async () => {
    const tab = openTab();
    const stream = await tab.mediaDevices.getUserMedia({ audio: true, video: true });
    expect(stream).toBeInstanceOf(MediaStream);
    expect(stream.getAudioTracks()).toHaveLength(1);
    expect(stream.getVideoTracks()).toHaveLength(1);
    expect(stream.active).toBe(true);
  });

  it.each([[{}], [{ audio: false, video: false }], [undefined], [{ audio: false }]])('rejects %j with a TypeError', async (c) => {
    const tab = openTab();
    const err = await tab.mediaDevices.getUserMedia(c as any).catch((e) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/audio and video/);
  });

  it('rejects wrongly typed constraints with a TypeError naming the member', async () => {
    const tab = openTab();
    // frameRate is a (restricted) double: "fast" converts to NaN, which is a TypeError.
    const err = await tab.mediaDevices.getUserMedia({ video: { frameRate: 'fast' } } as any).catch((e) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/frameRate/);
    // width is an unsigned long: WebIDL converts "wide" to 0 instead of throwing, as browsers do.
    await expect(tab.mediaDevices.getUserMedia({ video: { width: 'wide' } } as any)).resolves.toBeDefined();
  });

  it('rejects with NotAllowedError when the permission is denied, and opens no device', async () => {
    const tab = openTab({ permissions: { camera: 'denied' } });
    const err = await tab.mediaDevices.getUserMedia({ video: true }).catch((e) => e);
    expect(err).toBeInstanceOf(DOMException);
    expect(err.name).toBe('NotAllowedError');
    expect(err.message).toMatch(/camera/);
    expect(tab.handle.devices.openCount).toBe(0);
    // Audio is still allowed.
    await expect(tab.mediaDevices.getUserMedia({ audio: true })).resolves.toBeInstanceOf(MediaStream);
  });

  it('asks the prompt handler and remembers its answer', async () => {
    const asked: string[] = [];
    const tab = openTab({
      permissions: { camera: 'prompt', microphone: 'prompt', onPrompt: async (p) => (asked.push(p.name), p.name === 'microphone') },
    });
    const err = await tab.mediaDevices.getUserMedia({ video: true }).catch((e) => e);
    expect(err.name).toBe('NotAllowedError');
    expect(tab.handle.permissions.state('camera')).toBe('denied');
    expect(tab.handle.devices.openCount).toBe(0);
    await tab.mediaDevices.getUserMedia({ audio: true });
    expect(tab.handle.permissions.state('microphone')).toBe('granted');
    expect(asked).toEqual(['camera', 'microphone']);
  });

  it('a dismissed prompt (no handler) is NotAllowedError and leaves the state at prompt', async () => {
    const tab = openTab({ permissions: { microphone: 'prompt' } });
    const err = await tab.mediaDevices.getUserMedia({ audio: true }).catch((e) => e);
    expect(err.name).toBe('NotAllowedError');
    expect(err.message).toMatch(/prompt/);
    expect(tab.handle.permissions.state('microphone')).toBe('prompt');
  });

  it('rejects with NotFoundError when there is no device of the kind', async () => {
    const tab = openTab({ devices: [{ kind: 'audioinput' }] });
    const err = await tab.mediaDevices.getUserMedia({ video: true }).catch((e) => e);
    expect(err.name).toBe('NotFoundError');
  });

  it('NotFoundError becomes NotAllowedError when the permission is denied', async () => {
    const tab = openTab({ devices: [{ kind: 'audioinput' }], permissions: { camera: 'denied' } });
    const err = await tab.mediaDevices.getUserMedia({ video: true }).catch((e) => e);
    expect(err.name).toBe('NotAllowedError');
  });

  it('rejects with OverconstrainedError; the constraint is hidden until device information can be exposed', async () => {
    const tab = openTab();
    const hidden = await tab.mediaDevices.getUserMedia({ video: { width: { min: 5000 } } }).catch((e) => e);
    expect(hidden).toBeInstanceOf(OverconstrainedError);
    expect(hidden.name).toBe('OverconstrainedError');
    expect(hidden.constraint).toBe('');
    await tab.mediaDevices.getUserMedia({ audio: true });
    const revealed = await tab.mediaDevices.getUserMedia({ video: { width: { min: 5000 } } }).catch((e) => e);
    expect(revealed.constraint).toBe('width');
    const exact = await tab.mediaDevices.getUserMedia({ video: { deviceId: { exact: 'nope' } } }).catch((e) => e);
    expect(exact.constraint).toBe('deviceId');
  });

  it('ignores constraints of the other kind', async () => {
    const tab = openTab();
    const s = await tab.mediaDevices.getUserMedia({ audio: { width: { exact: 99999 } } as any });
    expect(s.getAudioTracks()).toHaveLength(1);
  });

  it('a required constraint outside the allowed list is a TypeError', async () => {
    const tab = openTab();
    const err = await tab.mediaDevices.getUserMedia({ video: { displaySurface: { exact: 'monitor' } } as any }).catch((e) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/displaySurface/);
  });

  it('rejects with NotReadableError when the device fails to open', async () => {
    const tab = openTab();
    tab.handle.devices.setFailing('builtin-camera');
    const err = await tab.mediaDevices.getUserMedia({ video: true }).catch((e) => e);
    expect(err.name).toBe('NotReadableError');
    expect(err.message).toMatch(/Built-in Camera/);
    tab.handle.devices.setFailing('builtin-camera', false);
    await expect(tab.mediaDevices.getUserMedia({ video: true })).resolves.toBeInstanceOf(MediaStream);
  });

  it('falls back to another device when the best one fails to open', async () => {
    const tab = openTab({ devices: [{ kind: 'videoinput', id: 'a', label: 'A' }, { kind: 'videoinput', id: 'b', label: 'B' }] });
    tab.handle.devices.setFailing('a');
    const s = await tab.mediaDevices.getUserMedia({ video: true });
    expect(s.getVideoTracks()[0]!.label).toBe('B');
  });

  it('releases the audio device when the video device fails', async () => {
    const tab = openTab();
    tab.handle.devices.setFailing('builtin-camera');
    await tab.mediaDevices.getUserMedia({ audio: true, video: true }).catch(() => {});
    expect(tab.handle.devices.sourcesOf()).toHaveLength(0);
  });

  it('picks the device by deviceId and facingMode', async () => {
    const tab = openTab({
      devices: [
        { kind: 'videoinput', id: 'front', label: 'Front', facingMode: 'user' },
        { kind: 'videoinput', id: 'back', label: 'Back', facingMode: 'environment' },
      ],
    });
    const back = await tab.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    const track = back.getVideoTracks()[0]!;
    expect(track.label).toBe('Back');
    const id = track.getSettings().deviceId;
    const again = await tab.mediaDevices.getUserMedia({ video: { deviceId: { exact: id as string } } });
    expect(again.getVideoTracks()[0]!.label).toBe('Back');
  });

  it('resolves before any event of its tracks fires', async () => {
    const tab = openTab();
    const p = tab.mediaDevices.getUserMedia({ video: true });
    const s = await p;
    let fired = false;
    s.getTracks()[0]!.onended = () => (fired = true);
    tab.handle.devices.unplug('builtin-camera');
    expect(fired).toBe(false);
    await tasks();
    expect(fired).toBe(true);
  });

  it('legacy navigator.getUserMedia calls back', async () => {
    const tab = openTab({ permissions: { camera: 'denied' } });
    const stream = await new Promise((resolve, reject) => tab.navigator.getUserMedia({ audio: true }, resolve, reject));
    expect(stream).toBeInstanceOf(MediaStream);
    const error: any = await new Promise((resolve) => tab.navigator.getUserMedia({ video: true }, () => {}, resolve));
    expect(error.name).toBe('NotAllowedError');
    expect(() => tab.navigator.getUserMedia({ audio: true }, 1, 2)).toThrow(TypeError);
  });

  it('is rejected with InvalidStateError after the global is uninstalled, and uninstall stops tracks', async () => {
    const tab = openTab();
    const s = await tab.mediaDevices.getUserMedia({ video: true });
    tab.handle.uninstall();
    expect(s.getTracks()[0]!.readyState).toBe('ended');
    expect(tab.handle.devices.sourcesOf()).toHaveLength(0);
    const err = await tab.mediaDevices.getUserMedia({ video: true }).catch((e) => e);
    expect(err.name).toBe('InvalidStateError');
    expect(tab.global.navigator).toBeUndefined();
  });
});
