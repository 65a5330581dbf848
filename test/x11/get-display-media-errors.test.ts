/**
 * getDisplayMedia()'s argument and permission rules (Screen Capture §5.1), against display
 * backends that need no X server: a fake one, and a media file used as the screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { FileProvider } from '../../src/backends/file/index.js';
import type { DeviceProvider } from '../../src/backends/provider.js';
import { MediaDevices, MediaStream, OverconstrainedError } from '../../src/index.js';
import type { DeviceDescriptor } from '../../src/media/modes.js';
import { notReadable } from '../../src/platform/errors.js';
import { openTab, record, tasks } from '../core/harness.js';
import { mediaDir, writePatternFile } from '../file/media.js';
import { screenTab } from './helpers.js';

const dir = mediaDir();
const screenFile = join(dir, 'screen.y4m');
let screen: FileProvider;

beforeAll(async () => {
  await writePatternFile(screenFile, { width: 320, height: 180, frames: 6, fps: 15 });
  screen = new FileProvider([{ path: screenFile, audio: false, label: 'Screen (file)' }]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A display backend that lists one screen and fails to open it with `error`. */
function failingScreen(error: Error): DeviceProvider & { opens: number } {
  const descriptor: DeviceDescriptor = { rawId: 'bad', kind: 'videoinput', label: 'Broken screen', groupKey: 'bad', videoModes: [{ width: 640, height: 480, frameRate: 30 }] };
  const p = {
    name: 'fake',
    opens: 0,
    enumerate: async () => [descriptor],
    watch: () => () => {},
    open: async () => {
      p.opens++;
      throw error;
    },
  };
  return p;
}

async function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e) => e,
  );
}

describe('getDisplayMedia rules', () => {
  it('is a method of MediaDevices that brand-checks and takes an optional dictionary', async () => {
    expect(typeof MediaDevices.prototype.getDisplayMedia).toBe('function');
    expect(MediaDevices.prototype.getDisplayMedia.length).toBe(0);
    await expect(MediaDevices.prototype.getDisplayMedia.call({} as any)).rejects.toBeInstanceOf(TypeError);
    const tab = screenTab([screen]);
    expect(await rejection(tab.mediaDevices.getDisplayMedia(5 as any))).toBeInstanceOf(TypeError);
  });

  it.each([
    ['video: false (step 7)', { video: false }, /video must be requested/],
    ['audio only (step 7: video defaults to true, so it must be false here)', { audio: true, video: false }, /audio-only/],
    ['advanced (step 8.1)', { video: { advanced: [{ width: 100 }] } }, /advanced/],
    ['advanced in audio (step 8.1)', { audio: { advanced: [] } }, /audio\.advanced/],
    ['min (step 8.2)', { video: { width: { min: 100 } } }, /"video\.width" cannot have "min" or "exact"/],
    ['exact (step 8.2)', { video: { displaySurface: { exact: 'monitor' } } }, /displaySurface/],
    ['exact on an audio property (step 8.2)', { audio: { suppressLocalAudioPlayback: { exact: true } } }, /suppressLocalAudioPlayback/],
    ['a controller that is not a CaptureController', { controller: {} }, /CaptureController/],
    ['a bad enum value', { systemAudio: 'maybe' }, /SystemAudioPreferenceEnum/],
  ])('rejects %s with a TypeError, before asking the user', async (_name, options, message) => {
    let asked = 0;
    const tab = screenTab([screen], { permissions: { onPrompt: () => (asked++, 'granted') } });
    const err = await rejection(tab.mediaDevices.getDisplayMedia(options as any));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(message);
    expect(asked).toBe(0);
  });

  it('allows min/exact on properties that do not apply to display surfaces (step 8.2 names only those)', async () => {
    const tab = screenTab([screen]);
    const stream = await tab.mediaDevices.getDisplayMedia({ audio: { echoCancellation: { exact: true } }, video: { width: { max: 160 } } });
    expect(stream.getVideoTracks()[0]!.getSettings()).toMatchObject({ width: 160, height: 90 });
    for (const t of stream.getTracks()) t.stop();
  });

  it('rejects a max below the floor value with OverconstrainedError naming it (step 8.3)', async () => {
    const tab = screenTab([screen]);
    const err = await rejection(tab.mediaDevices.getDisplayMedia({ video: { width: { max: 0 } } }));
    expect(err).toBeInstanceOf(OverconstrainedError);
    expect(err.constraint).toBe('width');
    const fps = await rejection(tab.mediaDevices.getDisplayMedia({ video: { frameRate: { max: 0.001 } } }));
    expect(fps.constraint).toBe('frameRate');
  });

  it('rejects with OverconstrainedError when the chosen surface cannot meet a max (step 12.6)', async () => {
    let asked = 0;
    const tab = screenTab([screen], { permissions: { onPrompt: () => (asked++, 'granted') } });
    // The surface is 16:9; its aspect ratio cannot be changed (no cropping).
    const err = await rejection(tab.mediaDevices.getDisplayMedia({ video: { aspectRatio: { max: 1.5 } } }));
    expect(err).toBeInstanceOf(OverconstrainedError);
    expect(err.constraint).toBe('aspectRatio');
    expect(asked).toBe(1);
    expect(screen.openSources).toHaveLength(0);
  });

  it('the displaySurface constraint never fails: it is a preference only', async () => {
    const tab = screenTab([screen]);
    const stream = await tab.mediaDevices.getDisplayMedia({ video: { displaySurface: 'window' } });
    const track = stream.getVideoTracks()[0]!;
    expect(track.getSettings().displaySurface).toBe('monitor');
    await track.applyConstraints({ displaySurface: { exact: 'browser' } });
    expect(track.getSettings().displaySurface).toBe('monitor');
    track.stop();
  });

  it('asks the display-capture prompt every time, with the surfaces\' labels, and never stores "granted" (§6)', async () => {
    const prompts: unknown[] = [];
    const tab = screenTab([screen], { permissions: { onPrompt: (p) => (prompts.push([p.name, p.deviceLabels]), 'granted') } });
    for (let i = 0; i < 2; i++) {
      const stream = await tab.mediaDevices.getDisplayMedia();
      expect(stream).toBeInstanceOf(MediaStream);
      expect(stream.getVideoTracks()[0]!.label).toBe('Screen (file)');
      for (const t of stream.getTracks()) t.stop();
    }
    expect(prompts).toEqual([
      ['display-capture', ['Screen (file)']],
      ['display-capture', ['Screen (file)']],
    ]);
    expect(tab.handle.permissions.state('display-capture')).toBe('prompt');
  });

  it('NotAllowedError: denied state (no prompt), a "denied" answer, a dismissed prompt; nothing is opened', async () => {
    const denied = screenTab([screen], { permissions: { 'display-capture': 'denied', onPrompt: () => 'granted' } });
    expect((await rejection(denied.mediaDevices.getDisplayMedia())).name).toBe('NotAllowedError');
    const refused = screenTab([screen], { permissions: { onPrompt: () => 'denied' } });
    const err = await rejection(refused.mediaDevices.getDisplayMedia());
    expect(err.name).toBe('NotAllowedError');
    expect(refused.handle.permissions.state('display-capture')).toBe('prompt');
    // Under a test runner the default handler picks the first screen; this one dismisses the prompt.
    const nobody = openTab({ displayProviders: [screen], permissions: { onPrompt: () => 'prompt' } });
    const dismissed = await rejection(nobody.mediaDevices.getDisplayMedia());
    expect(dismissed.name).toBe('NotAllowedError');
    expect(dismissed.message).toMatch(/prompt/);
    expect(screen.openSources).toHaveLength(0);
  });

  it('NotFoundError when there is no display surface at all', async () => {
    const tab = screenTab([]);
    const err = await rejection(tab.mediaDevices.getDisplayMedia());
    expect(err.name).toBe('NotFoundError');
  });

  it('NotReadableError when the surface fails like hardware, AbortError for any other failure', async () => {
    const busy = failingScreen(notReadable('the screen is locked'));
    const err = await rejection(screenTab([busy]).mediaDevices.getDisplayMedia());
    expect(err.name).toBe('NotReadableError');
    expect(busy.opens).toBe(1);
    const odd = failingScreen(new Error('out of cheese'));
    const abort = await rejection(screenTab([odd]).mediaDevices.getDisplayMedia());
    expect(abort.name).toBe('AbortError');
    expect(abort.message).toMatch(/out of cheese/);
  });

  it('InvalidStateError once the global is uninstalled (not fully active, step 10)', async () => {
    const tab = screenTab([screen]);
    tab.handle.uninstall();
    const err = await rejection(tab.mediaDevices.getDisplayMedia());
    expect(err.name).toBe('InvalidStateError');
  });

  it('a screen capture does not make cameras exposable, and fires no devicechange', async () => {
    const tab = screenTab([screen], { permissions: { camera: 'prompt', microphone: 'prompt', onPrompt: () => 'granted' } });
    const events = record(tab.mediaDevices, 'devicechange');
    const stream = await tab.mediaDevices.getDisplayMedia();
    const devices = await tab.mediaDevices.enumerateDevices();
    expect(devices.every((d) => d.label === '')).toBe(true);
    for (const t of stream.getTracks()) t.stop();
    await tasks();
    expect(events).toEqual([]);
  });

  it('applyConstraints on a display track keeps the aspect ratio and reports OverconstrainedError for what cannot be', async () => {
    const tab = screenTab([screen]);
    const stream = await tab.mediaDevices.getDisplayMedia();
    const track = stream.getVideoTracks()[0]!;
    await track.applyConstraints({ width: 160, height: 160 });
    expect(track.getSettings()).toMatchObject({ width: 160, height: 90, aspectRatio: 1.7777777778, resizeMode: 'crop-and-scale' });
    // applyConstraints is not getDisplayMedia: exact is allowed, and judged.
    await track.applyConstraints({ height: { exact: 45 } });
    expect(track.getSettings()).toMatchObject({ width: 80, height: 45 });
    const err = await rejection(track.applyConstraints({ cursor: { exact: 'always' } }));
    expect(err).toBeInstanceOf(OverconstrainedError);
    expect(err.constraint).toBe('cursor');
    expect(track.getCapabilities().cursor).toEqual(['never']);
    track.stop();
  });
});
