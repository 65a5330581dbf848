/**
 * getDisplayMedia() capturing a real X server (a private Xvfb): pixels, settings, capabilities,
 * the end of the display, and no ffmpeg left behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X11DisplayProvider, type X11ScreenSource } from '../../src/backends/x11/index.js';
import { MediaStream } from '../../src/index.js';
import { trackOf, type MediaStreamTrack } from '../../src/interfaces/MediaStreamTrack.js';
import { childrenNamed, procState } from '../helpers/proc.js';
import { waitGone } from '../file/media.js';
import { record, tasks } from '../core/harness.js';
import { until, waitFor } from '../helpers/wait.js';
import { frameGaps, medianGap, near, pixel, readFrames, screenTab } from './helpers.js';
import { startXvfb, type Xvfb } from './xvfb.js';

let xvfb: Xvfb;
let provider: X11DisplayProvider;

beforeAll(async () => {
  xvfb = await startXvfb({ size: '320x240x24' });
  provider = new X11DisplayProvider({ display: xvfb.display, env: () => xvfb.env });
});
afterAll(async () => {
  await xvfb?.stop();
});

/** Stops a stream's tracks and waits until their ffmpeg is gone. */
async function stopAll(stream: MediaStream): Promise<void> {
  const pids = stream.getTracks().map((t) => (trackOf(t)!.source.media as X11ScreenSource).pid!);
  for (const t of stream.getTracks()) t.stop();
  for (const pid of pids) await waitGone(pid);
}

describe('getDisplayMedia on X11', () => {
  it('captures the screen: the colours painted on it arrive in the frames', async () => {
    await xvfb.paint('#ff0000');
    const tab = screenTab([provider]);
    const stream = await tab.mediaDevices.getDisplayMedia({ video: { cursor: 'never' } });
    const [track] = stream.getVideoTracks() as MediaStreamTrack[];
    try {
      const red = await readFrames(track!, (p) => near(pixel(p.at(-1)!, 160, 120), [255, 0, 0]));
      const last = red.at(-1)!;
      expect([last.width, last.height]).toEqual([320, 240]);
      for (const [x, y] of [[0, 0], [319, 0], [0, 239], [319, 239], [160, 120]] as const) expect(pixel(last, x, y)).toSatisfy((c: number[]) => near(c, [255, 0, 0]));
      // Repaint while capturing: the next frames show it.
      for (const [color, rgb] of [['#00ff00', [0, 255, 0]], ['#0000ff', [0, 0, 255]], ['#336699', [0x33, 0x66, 0x99]], ['#ffffff', [255, 255, 255]]] as const) {
        await xvfb.paint(color);
        await readFrames(track!, (p) => near(pixel(p.at(-1)!, 10, 10), rgb));
      }
    } finally {
      await stopAll(stream);
    }
  });

  it('gives a video track with the display settings and capabilities of Screen Capture §5.4', async () => {
    const tab = screenTab([provider]);
    const stream = await tab.mediaDevices.getDisplayMedia();
    const [track] = stream.getVideoTracks() as MediaStreamTrack[];
    try {
      expect(stream.getAudioTracks()).toHaveLength(0);
      expect(track!.kind).toBe('video');
      expect(track!.label).toBe(`Entire screen (${xvfb.display}.0)`);
      const settings = track!.getSettings();
      expect(Object.keys(settings)).toEqual(['aspectRatio', 'cursor', 'deviceId', 'displaySurface', 'frameRate', 'height', 'logicalSurface', 'resizeMode', 'width']);
      expect(settings).toMatchObject({
        aspectRatio: 1.3333333333, // "rounded to the tenth decimal place"
        cursor: 'always',
        displaySurface: 'monitor',
        frameRate: 30,
        height: 240,
        logicalSurface: true,
        resizeMode: 'none',
        width: 320,
      });
      expect(track!.getCapabilities()).toEqual({
        aspectRatio: { max: 1.3333333333, min: 1.3333333333 },
        cursor: ['always', 'never'],
        deviceId: settings.deviceId,
        displaySurface: 'monitor',
        frameRate: { max: 30, min: 0 },
        height: { max: 240, min: 1 },
        logicalSurface: true,
        resizeMode: ['none', 'crop-and-scale'],
        width: { max: 320, min: 1 },
      });
      // The cursor is drawn: x11grab runs with -draw_mouse 1.
      expect(provider.openSources[0]!.args).toEqual(expect.arrayContaining(['-draw_mouse', '1']));
      // Display surfaces are not devices: enumerateDevices() does not list them.
      const labels = (await tab.mediaDevices.enumerateDevices()).map((d) => d.label);
      expect(labels.some((l) => l.includes('screen'))).toBe(false);
    } finally {
      await stopAll(stream);
    }
  });

  it('downscales without cropping: ideal sizes of another aspect ratio keep the screen\'s', async () => {
    const tab = screenTab([provider]);
    for (const [video, size] of [
      [{ width: 160 }, [160, 120]],
      [{ width: 160, height: 160 }, [160, 120]],
      [{ height: { max: 60 } }, [80, 60]],
      [{ width: { max: 100 }, height: 240 }, [100, 75]],
    ] as const) {
      const stream = await tab.mediaDevices.getDisplayMedia({ video });
      const [track] = stream.getVideoTracks() as MediaStreamTrack[];
      try {
        const settings = track!.getSettings();
        expect([settings.width, settings.height, settings.resizeMode], JSON.stringify(video)).toEqual([...size, 'crop-and-scale']);
        const [picture] = await readFrames(track!, () => true);
        expect([picture!.width, picture!.height]).toEqual(size);
      } finally {
        await stopAll(stream);
      }
    }
  });

  it('a lower frameRate makes x11grab grab less often; cursor "never" runs it with -draw_mouse 0', async () => {
    const tab = screenTab([provider]);
    const stream = await tab.mediaDevices.getDisplayMedia({ video: { frameRate: { max: 10 }, cursor: 'never' } });
    const [track] = stream.getVideoTracks() as MediaStreamTrack[];
    try {
      expect(track!.getSettings()).toMatchObject({ frameRate: 10, cursor: 'never', resizeMode: 'none' });
      expect(provider.openSources[0]!.args).toEqual(expect.arrayContaining(['-draw_mouse', '0', '-framerate', '10']));
      // Frames 100 ms apart in capture time.
      const pictures = await readFrames(track!, (p) => p.length === 9);
      const interval = 1e6 / 10;
      expect(medianGap(pictures), `gaps ${frameGaps(pictures)}`).toBeGreaterThan(0.8 * interval);
      expect(medianGap(pictures), `gaps ${frameGaps(pictures)}`).toBeLessThan(1.25 * interval);
    } finally {
      await stopAll(stream);
    }
  });

  it('a frame rate between grab rates is decimated from the next faster one', async () => {
    const tab = screenTab([provider]);
    const stream = await tab.mediaDevices.getDisplayMedia({ video: { frameRate: 12 } });
    const [track] = stream.getVideoTracks() as MediaStreamTrack[];
    try {
      expect(track!.getSettings()).toMatchObject({ frameRate: 12, resizeMode: 'crop-and-scale' });
      expect(provider.openSources[0]!.args).toEqual(expect.arrayContaining(['-framerate', '15']));
      // In capture time, the 15 fps grabs are thinned out to 12 fps: never faster (the decimation
      // keeps a frame no earlier than a quarter interval before its due time, so the mean gap over
      // 12 gaps stays above 0.9 of the 12 fps interval), and typically at that rate (a busy
      // machine leaves out more, which moves the mean but not the median).
      const pictures = await readFrames(track!, (p) => p.length === 13);
      const interval = 1e6 / 12;
      const gaps = frameGaps(pictures);
      const mean = (pictures.at(-1)!.timestamp - pictures[0]!.timestamp) / (pictures.length - 1);
      expect(mean, `gaps ${gaps}`).toBeGreaterThan(0.9 * interval);
      expect(medianGap(pictures), `gaps ${gaps}`).toBeLessThan(1.25 * interval);
    } finally {
      await stopAll(stream);
    }
  });

  it('applyConstraints restarts the grab for another cursor or grab rate; frames keep coming', async () => {
    const tab = screenTab([provider]);
    const stream = await tab.mediaDevices.getDisplayMedia({ video: { frameRate: 10, cursor: 'never' } });
    const [track] = stream.getVideoTracks() as MediaStreamTrack[];
    try {
      const first = trackOf(track)!.source.media as X11ScreenSource;
      const firstPid = first.pid!;
      await track!.applyConstraints({ cursor: { exact: 'always' }, frameRate: { exact: 30 } });
      expect(track!.getSettings()).toMatchObject({ cursor: 'always', frameRate: 30, resizeMode: 'none' });
      // The same source, a new ffmpeg.
      expect(trackOf(track)!.source.media).toBe(first);
      expect(first.args).toEqual(expect.arrayContaining(['-draw_mouse', '1', '-framerate', '30']));
      expect(await waitGone(firstPid)).toBe('gone');
      // Frames 33 ms apart in capture time, no longer 100 ms.
      const pictures = await readFrames(track!, (p) => p.length === 11);
      expect(medianGap(pictures), `gaps ${frameGaps(pictures)}`).toBeLessThan(1.35 * (1e6 / 30));
    } finally {
      await stopAll(stream);
    }
  });

  it.each([0, 2, 5, 10, 20])('stopping the track %i ms into a mode switch leaves no ffmpeg running', async (delay) => {
    const tab = screenTab([provider]);
    const stream = await tab.mediaDevices.getDisplayMedia({ video: { cursor: 'never' } });
    const [track] = stream.getVideoTracks() as MediaStreamTrack[];
    const switching = track!.applyConstraints({ cursor: { exact: 'always' } });
    await new Promise((r) => setTimeout(r, delay)); // the moment of the stop is the parameter, not a wait
    track!.stop();
    // No ffmpeg is started for the stopped source (it would run until the start timeout): from
    // the stop on, only the ffmpeg that ran then is seen, until it is reaped; and once the switch
    // has settled, none runs.
    const atStop = childrenNamed('ffmpeg');
    const seen = new Set<number>();
    const running = () => {
      const pids = childrenNamed('ffmpeg');
      for (const pid of pids) seen.add(pid);
      return pids;
    };
    await until(() => running().length === 0, 'every ffmpeg to be reaped');
    await switching.catch(() => {});
    expect(running()).toEqual([]);
    expect([...seen].filter((pid) => !atStop.includes(pid))).toEqual([]);
  });

  it('asks for audio and gets video only: no display backend shares audio', async () => {
    const tab = screenTab([provider]);
    const stream = await tab.mediaDevices.getDisplayMedia({ video: true, audio: true });
    expect(stream.getTracks().map((t) => t.kind)).toEqual(['video']);
    await stopAll(stream);
  });

  it('stop() ends capture: ffmpeg is killed and reaped, the X connection closed', async () => {
    const tab = screenTab([provider]);
    const stream = await tab.mediaDevices.getDisplayMedia();
    const source = provider.openSources[0]!;
    const pid = source.pid!;
    expect(childrenNamed('ffmpeg')).toEqual([pid]);
    stream.getTracks()[0]!.stop();
    expect(await waitGone(pid)).toBe('gone');
    expect(provider.openSources).toHaveLength(0);
    expect(childrenNamed('ffmpeg')).toEqual([]);
  });

  it('uninstalling the global stops display tracks too', async () => {
    const tab = screenTab([provider]);
    const stream = await tab.mediaDevices.getDisplayMedia();
    const pid = provider.openSources[0]!.pid!;
    tab.handle.uninstall();
    expect(stream.getTracks()[0]!.readyState).toBe('ended');
    expect(await waitGone(pid)).toBe('gone');
  });

  it('each call is a new capture session: two calls, two captures; stopping one leaves the other', async () => {
    const tab = screenTab([provider]);
    const a = await tab.mediaDevices.getDisplayMedia();
    const b = await tab.mediaDevices.getDisplayMedia({ video: { cursor: 'never' } });
    expect(provider.openSources).toHaveLength(2);
    await stopAll(a);
    await readFrames(b.getVideoTracks()[0] as MediaStreamTrack, (p) => p.length >= 2);
    await stopAll(b);
  });
});

describe('the display going away', () => {
  it.each([
    ['with the cursor drawn (ffmpeg exits by itself, status 0)', 'always'],
    ['without the cursor (ffmpeg does not notice; the X connection does)', 'never'],
  ] as const)('killing the X server ends the track once, %s; no ffmpeg is left', async (_how, cursor) => {
    const own = await startXvfb({ size: '160x120x24' });
    const ownProvider = new X11DisplayProvider({ display: own.display, env: () => own.env });
    try {
      const tab = screenTab([ownProvider]);
      const stream = await tab.mediaDevices.getDisplayMedia({ video: { cursor } });
      const [track] = stream.getVideoTracks() as MediaStreamTrack[];
      const source = ownProvider.openSources[0]!;
      const pid = source.pid!;
      const events = record(track!, 'ended', 'mute');
      const streamEvents = record(stream, 'inactive');
      await readFrames(track!, (p) => p.length >= 2);
      const ended = waitFor(track!, 'ended');
      await own.stop();
      await ended;
      await tasks(5);
      expect(track!.readyState).toBe('ended');
      expect(events).toEqual(['ended']);
      expect(streamEvents.length).toBeLessThanOrEqual(1);
      // Reaped, not just exited (a zombie until Node has waited for it).
      await source.exited;
      expect(procState(pid)).toBe('gone');
      expect(ownProvider.openSources).toHaveLength(0);
      // stop() after the end changes nothing and fires nothing.
      track!.stop();
      await tasks();
      expect(events).toEqual(['ended']);
    } finally {
      await own.stop();
    }
  });

  it('a display that is gone is NotFoundError, with the reason', async () => {
    const own = await startXvfb({ size: '160x120x24' });
    await own.stop();
    const tab = screenTab([new X11DisplayProvider({ display: own.display, env: () => own.env })]);
    const err = await tab.mediaDevices.getDisplayMedia().catch((e) => e);
    expect(err).toBeInstanceOf(DOMException);
    expect(err.name).toBe('NotFoundError');
    expect(err.message).toMatch(/no X server is listening/);
  });
});
