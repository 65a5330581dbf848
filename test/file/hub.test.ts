/**
 * The device hub (src/backends/hub.ts): a real device that two installations open is opened
 * once, as one camera serves two browser tabs, and released when the last track of either stops.
 * Each installation keeps its own device ids and permissions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FileProvider } from '../../src/backends/file/index.js';
import { deviceHub } from '../../src/backends/hub.js';
import { MediaStreamTrackProcessor } from '../../src/index.js';
import type { MediaStreamTrack } from '../../src/interfaces/MediaStreamTrack.js';
import type { VideoFrame } from '../../src/webcodecs/video-frame.js';
import { openTab, tasks, type Tab } from '../core/harness.js';
import { childrenNamed, waitGone } from '../helpers/proc.js';
import { mediaDir, writePatternFile } from './media.js';

const dir = mediaDir();
const video = join(dir, 'shared.y4m');
beforeAll(() => writePatternFile(video, { width: 160, height: 120, frames: 3, fps: 10 }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two installations on `{}` objects, of two origins, on the same file camera. */
function twoTabs(): [Tab, Tab] {
  return [openTab({ origin: 'https://a.example', backends: `file:${video}` }), openTab({ origin: 'https://b.example', backends: `file:${video}` })];
}

async function firstFrameSize(track: MediaStreamTrack): Promise<[number, number]> {
  const reader = new MediaStreamTrackProcessor({ track: track as never }).readable.getReader();
  const { value } = await reader.read();
  const frame = value as VideoFrame;
  const size: [number, number] = [frame.codedWidth, frame.codedHeight];
  frame.close();
  reader.releaseLock();
  return size;
}

describe('one device, two installations', () => {
  it('is opened once: one provider, one source, one ffmpeg; released when both tracks stop', async () => {
    const ffmpegBefore = childrenNamed('ffmpeg').length;
    const [a, b] = twoTabs();
    const provider = a.handle.manager.providers[0] as FileProvider;
    expect(b.handle.manager.providers[0]).toBe(provider);

    const [trackA] = (await a.mediaDevices.getUserMedia({ video: true })).getVideoTracks();
    const [trackB] = (await b.mediaDevices.getUserMedia({ video: true })).getVideoTracks();
    expect(provider.openSources).toHaveLength(1);
    expect(deviceHub.openSources).toEqual(provider.openSources);
    expect(childrenNamed('ffmpeg')).toHaveLength(ffmpegBefore + 1);
    const pid = provider.openSources[0]!.pid!;

    // Each installation has its own origin, so its own id for the same camera.
    expect(trackA!.getSettings().deviceId).not.toBe(trackB!.getSettings().deviceId);
    expect(await firstFrameSize(trackB!)).toEqual([160, 120]);

    // The first stop leaves the camera running for the other installation.
    trackA!.stop();
    await tasks();
    expect(provider.openSources).toHaveLength(1);
    expect(trackB!.readyState).toBe('live');
    expect(await firstFrameSize(trackB!)).toEqual([160, 120]);

    // The last stop releases it, and ffmpeg is gone.
    trackB!.stop();
    await tasks();
    expect(provider.openSources).toHaveLength(0);
    expect(deviceHub.openSources).toHaveLength(0);
    expect(await waitGone(pid)).toBe('gone');

    // The provider stays while an installation uses it, and is closed with the last one.
    a.handle.uninstall();
    expect(deviceHub.providers).toContain(provider);
    b.handle.uninstall();
    expect(deviceHub.providers).not.toContain(provider);
  });

  it('two getUserMedia calls at the same moment still open it once', async () => {
    const [a, b] = twoTabs();
    const provider = a.handle.manager.providers[0] as FileProvider;
    const ffmpegBefore = childrenNamed('ffmpeg').length;
    const [streamA, streamB] = await Promise.all([a.mediaDevices.getUserMedia({ video: true }), b.mediaDevices.getUserMedia({ video: true })]);
    expect(deviceHub.openSources).toHaveLength(1);
    expect(provider.openSources).toEqual(deviceHub.openSources);
    expect(childrenNamed('ffmpeg')).toHaveLength(ffmpegBefore + 1);
    for (const t of [...streamA.getTracks(), ...streamB.getTracks()]) t.stop();
    await tasks();
    expect(deviceHub.openSources).toHaveLength(0);
    a.handle.uninstall();
    b.handle.uninstall();
  });

  it('keeps permissions per installation: a denied one cannot open what another has open', async () => {
    const [a] = twoTabs();
    const denied = openTab({ origin: 'https://c.example', backends: `file:${video}`, permissions: { camera: 'denied' } });
    const stream = await a.mediaDevices.getUserMedia({ video: true });
    const error = await denied.mediaDevices.getUserMedia({ video: true }).then(
      () => undefined,
      (e: unknown) => e as DOMException,
    );
    expect(error?.name).toBe('NotAllowedError');
    // Uninstalling the denied one ("stop all sources" of its global) leaves the other's track alone.
    denied.handle.uninstall();
    expect(stream.getVideoTracks()[0]!.readyState).toBe('live');
    expect(deviceHub.openSources).toHaveLength(1);
    for (const t of stream.getTracks()) t.stop();
    a.handle.uninstall();
  });
});
