/**
 * getDisplayMedia's synchronous steps (Screen Capture §5.1 steps 1–10: an already-rejected
 * promise) and CaptureController (§5.4.3), against a media file used as the screen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { FileProvider } from '../../src/backends/file/index.js';
import { CaptureController } from '../../src/index.js';
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

/** What `p` settles with if it is already rejected when this is called, else 'pending'. */
async function settledAtOnce(p: Promise<unknown>): Promise<unknown> {
  return Promise.race([p, Promise.resolve('pending')]).catch((e) => e);
}

describe('getDisplayMedia steps 1–10', () => {
  it('return a promise that is already rejected', async () => {
    const tab = screenTab([screen]);
    for (const options of [{ video: false }, { video: { width: { min: 320 } } }, { video: { advanced: [{ width: 320 }] } }, { video: { width: { max: 0 } } }]) {
      const err = await settledAtOnce(tab.mediaDevices.getDisplayMedia(options));
      expect(err, JSON.stringify(options)).toBeInstanceOf(Error);
    }
  });

  it('check every min and exact (8.2) before any max against its floor (8.3)', async () => {
    const tab = screenTab([screen]);
    const err = await settledAtOnce(tab.mediaDevices.getDisplayMedia({ video: { aspectRatio: { max: 0 }, width: { min: 1 } } }));
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/video\.width/);
  });
});

describe('CaptureController', () => {
  it('is constructible, an EventTarget, and binds to one getDisplayMedia call only', async () => {
    const tab = screenTab([screen]);
    const controller = new CaptureController();
    expect(controller).toBeInstanceOf(EventTarget);
    expect(CaptureController.length).toBe(0);
    const stream = await tab.mediaDevices.getDisplayMedia({ video: true, controller });
    const again = await settledAtOnce(tab.mediaDevices.getDisplayMedia({ video: true, controller }));
    expect(again).toMatchObject({ name: 'InvalidStateError' });
    for (const t of stream.getTracks()) t.stop();
  });

  it('is bound by step 3 even when a later step refuses the call', async () => {
    const tab = screenTab([screen]);
    const controller = new CaptureController();
    expect(await settledAtOnce(tab.mediaDevices.getDisplayMedia({ video: false, controller }))).toBeInstanceOf(TypeError);
    expect(await settledAtOnce(tab.mediaDevices.getDisplayMedia({ video: true, controller }))).toMatchObject({ name: 'InvalidStateError' });
  });

  it('setFocusBehavior records the wish before capture, and throws InvalidStateError once a screen (not a tab or window) is captured', async () => {
    const tab = screenTab([screen]);
    const controller = new CaptureController();
    expect(() => controller.setFocusBehavior('no-focus-change')).not.toThrow();
    expect(() => controller.setFocusBehavior('sideways' as never)).toThrow(TypeError);
    expect(() => (controller.setFocusBehavior as (...a: unknown[]) => void)()).toThrow(TypeError);
    expect(() => CaptureController.prototype.setFocusBehavior.call({} as never, 'no-focus-change')).toThrow(TypeError);
    const stream = await tab.mediaDevices.getDisplayMedia({ video: true, controller });
    expect(() => controller.setFocusBehavior('focus-captured-surface')).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
    for (const t of stream.getTracks()) t.stop();
    expect(() => controller.setFocusBehavior('focus-captured-surface')).toThrow(/stopped|screen|monitor/);
  });

  it('a controller of another kind is a TypeError', async () => {
    const tab = screenTab([screen]);
    expect(await settledAtOnce(tab.mediaDevices.getDisplayMedia({ video: true, controller: new EventTarget() as never }))).toBeInstanceOf(TypeError);
  });
});
