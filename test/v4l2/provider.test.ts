/**
 * The V4L2 backend on a machine without cameras: enumeration from a fake sysfs and v4l2-ctl
 * fixtures, group keys shared with the webcam's sound card, and capture end to end with a stand-in
 * input of the camera's shape (an MJPEG or YUYV stream read at its frame rate with -re) in place of
 * `-f v4l2 -i /dev/videoN`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { V4l2Provider } from '../../src/backends/v4l2/index.js';
import { groupKeyOfSysfsPath, listVideoNodes, soundCardGroups, usbDeviceKey } from '../../src/backends/common/sysfs.js';
import { trackOf, type MediaStreamTrack } from '../../src/interfaces/MediaStreamTrack.js';
import type { VideoMode } from '../../src/media/modes.js';
import { decodeFrameNumber } from '../../src/media/synthetic/index.js';
import { attachSink } from '../../src/algorithms/track/sink.js';
import { videoFramePlanes } from '../../src/webcodecs/internal.js';
import type { VideoFrame } from '../../src/webcodecs/video-frame.js';
import { childrenNamed } from '../helpers/proc.js';
import { openTab } from '../core/harness.js';
import { mediaDir, waitGone, writePatternFile } from '../file/media.js';
import { scaled, until } from '../helpers/wait.js';
import { C920_USB, CAMLINK_USB, makeSysfs } from './sysfs-tree.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/v4l2/${name}`, import.meta.url), 'utf8');
const { sysRoot, devRoot } = makeSysfs();
const dir = mediaDir();
afterAll(() => {
  rmSync(join(sysRoot, '..'), { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

/** v4l2-ctl's answers on this machine: the loopback node is busy (v4l2-ctl fails). */
const answers: Record<string, string | undefined> = {
  video0: fixture('c920-video0.txt'),
  video1: fixture('c920-video1.txt'),
  video2: fixture('camlink4k-video0.txt'),
};
const queried: string[] = [];
async function queryDevice(path: string): Promise<string> {
  const node = path.slice(path.lastIndexOf('/') + 1);
  queried.push(node);
  const text = answers[node];
  if (text === undefined) throw new Error(`Cannot open device ${path}, exiting.`);
  return text;
}

describe('sysfs', () => {
  it('lists the video nodes in number order with their names, indices and hardware', async () => {
    const nodes = await listVideoNodes(sysRoot, devRoot);
    expect(nodes.map((n) => [n.node, n.path, n.name, n.index, n.sysfsPath, n.groupKey])).toEqual([
      ['video0', join(devRoot, 'video0'), 'HD Pro Webcam C920', 0, `${C920_USB}/1-1:1.0`, `usb:${C920_USB}`],
      ['video1', join(devRoot, 'video1'), 'HD Pro Webcam C920', 1, `${C920_USB}/1-1:1.0`, `usb:${C920_USB}`],
      ['video2', join(devRoot, 'video2'), 'Cam Link 4K: Cam Link 4K', 0, `${CAMLINK_USB}/1-3.2:1.0`, `usb:${CAMLINK_USB}`],
      ['video9', join(devRoot, 'video9'), 'Dummy video device (0x0000)', 0, undefined, 'v4l2:video9'],
    ]);
    expect(await listVideoNodes(join(sysRoot, 'nowhere'))).toEqual([]);
  });

  it('gives the webcam\'s sound card the camera\'s group key; the onboard card its own', async () => {
    const cards = await soundCardGroups(sysRoot);
    expect(cards.get(1)).toBe(`usb:${C920_USB}`);
    expect(cards.get(0)).toBe('sysfs:/devices/pci0000:00/0000:00:1f.3');
    // PulseAudio's sysfs.path property of the same card gives the same key.
    expect(groupKeyOfSysfsPath(`${C920_USB}/1-1:1.2/sound/card1`)).toBe(`usb:${C920_USB}`);
  });

  it.each([
    ['/devices/pci0000:00/0000:00:14.0/usb1/1-1/1-1:1.0', 'usb:/devices/pci0000:00/0000:00:14.0/usb1/1-1'],
    ['/devices/pci0000:00/0000:00:14.0/usb3/3-2/3-2.4/3-2.4:1.3/sound/card2', 'usb:/devices/pci0000:00/0000:00:14.0/usb3/3-2/3-2.4'],
    ['/devices/platform/soc/3f980000.usb/usb1/1-1/1-1.3/1-1.3:1.0', 'usb:/devices/platform/soc/3f980000.usb/usb1/1-1/1-1.3'],
    ['/devices/pci0000:00/0000:00:1f.3/sound/card0', undefined],
  ])('usbDeviceKey(%s)', (path, key) => expect(usbDeviceKey(path)).toBe(key));
});

describe('V4l2Provider.enumerate', () => {
  it('lists the capture nodes as cameras: not the metadata node, not a node that cannot be asked', async () => {
    const provider = new V4l2Provider({ sysRoot, devRoot, queryDevice });
    const devices = await provider.enumerate();
    expect(devices.map((d) => [d.rawId, d.label, d.groupKey, d.isDefault, d.videoModes!.length])).toEqual([
      [join(devRoot, 'video0'), 'HD Pro Webcam C920', `usb:${C920_USB}`, true, expect.any(Number)],
      [join(devRoot, 'video2'), 'Cam Link 4K: Cam Link 4K', `usb:${CAMLINK_USB}`, false, 1],
    ]);
    expect(devices[0]!.facingMode).toBeUndefined();
    expect(devices[1]!.videoModes).toEqual([{ width: 1920, height: 1080, frameRate: 59.94, pixelFormat: 'NV12' }]);
    // Answers are kept per node; the node that failed is asked again.
    queried.length = 0;
    await provider.enumerate();
    expect(queried).toEqual(['video9']);
  });

  it('keeps its list while inotify watches /dev: listed again when a video node comes or goes there, or when a node was busy', async () => {
    const tree = makeSysfs();
    try {
      // The loopback node answers here too, so that the list is complete.
      const provider = new V4l2Provider({ ...tree, queryDevice: (path) => queryDevice(path).catch(() => fixture('camlink4k-video0.txt')) });
      const stop = provider.watch(() => {});
      const first = await provider.knownDevices();
      expect(first.map((d) => d.rawId)).toEqual(['video0', 'video2', 'video9'].map((n) => join(tree.devRoot, n)));
      expect(await provider.knownDevices()).toBe(first);
      // The kernel removes video2 from sysfs; the kept list does not read sysfs again…
      rmSync(join(tree.sysRoot, 'class/video4linux/video2'));
      expect(await provider.knownDevices()).toBe(first);
      // …until a video node event in /dev (the node going away) says it may have changed.
      writeFileSync(join(tree.devRoot, 'video2'), '');
      rmSync(join(tree.devRoot, 'video2'));
      await until(async () => (await provider.knownDevices()).length === 2, 'video2 gone from the kept list');
      expect(await provider.enumerate()).toEqual(await provider.knownDevices());
      // Not watching: listed per call.
      stop();
      expect(await provider.knownDevices()).not.toBe(await provider.knownDevices());
    } finally {
      rmSync(join(tree.sysRoot, '..'), { recursive: true, force: true });
    }
  });

  it('does not keep a list in which a node could not be asked (busy): it is asked again next call', async () => {
    const provider = new V4l2Provider({ sysRoot, devRoot, queryDevice });
    const stop = provider.watch(() => {});
    await provider.knownDevices();
    queried.length = 0;
    await provider.knownDevices();
    expect(queried).toEqual(['video9']);
    stop();
  });

  it('serves enumerateDevices beside other backends', async () => {
    const tab = openTab({ providers: [new V4l2Provider({ sysRoot, devRoot, queryDevice })], devices: [{ kind: 'audioinput' }] });
    // Labels are exposed once a capture was allowed (camera permission is granted, so cameras too).
    const mic = await tab.mediaDevices.getUserMedia({ audio: true });
    const devices = await tab.mediaDevices.enumerateDevices();
    mic.getTracks()[0]!.stop();
    expect(devices.map((d) => [d.kind, d.label])).toEqual(
      expect.arrayContaining([
        ['videoinput', 'HD Pro Webcam C920'],
        ['videoinput', 'Cam Link 4K: Cam Link 4K'],
        ['audioinput', expect.any(String)],
      ]),
    );
    tab.handle.uninstall();
  });
});

describe('V4L2 capture (stand-in input of the camera\'s shape)', () => {
  const files = { mjpeg: join(dir, 'camera.mjpeg'), yuyv: join(dir, 'camera-yuyv.nut') };
  beforeAll(async () => {
    await writePatternFile(files.mjpeg, { width: 320, height: 240, frames: 30, fps: 30, output: ['-c:v', 'mjpeg', '-q:v', '3', '-f', 'mjpeg'] });
    await writePatternFile(files.yuyv, { width: 320, height: 240, frames: 30, fps: 30, output: ['-c:v', 'rawvideo', '-pix_fmt', 'yuyv422', '-f', 'nut'] });
  }, scaled(60_000));

  /** A camera that offers exactly one mode in `fourcc`, and a stand-in stream of that shape. */
  function standIn(fourcc: 'MJPG' | 'YUYV', rates: readonly number[] = [30]) {
    const text = [
      'Driver Info:', '\tDriver name      : uvcvideo', '\tCard type        : Stand-in Camera', '\tDevice Caps      : 0x04200001', '\t\tVideo Capture', '\t\tStreaming',
      'ioctl: VIDIOC_ENUM_FMT', '\tType: Video Capture', '',
      `\t[0]: '${fourcc}' (${fourcc === 'MJPG' ? 'Motion-JPEG, compressed' : 'YUYV 4:2:2'})`, '\t\tSize: Discrete 320x240',
      ...rates.map((r) => `\t\t\tInterval: Discrete ${(1 / r).toFixed(3)}s (${r.toFixed(3)} fps)`),
    ].join('\n');
    const inputs: [string, VideoMode][] = [];
    const provider = new V4l2Provider({
      sysRoot,
      devRoot,
      queryDevice: async (path) => (path.endsWith('/video0') ? text : Promise.reject(new Error('no'))),
      captureInput: (node, mode) => {
        inputs.push([node, mode]);
        const rate = String(mode.frameRate);
        // The file in a loop (movie), at the frame rate as a camera delivers (realtime), stamped
        // with wall-clock times, as ffmpeg's v4l2 input stamps frames (it turns the kernel's
        // monotonic buffer times into wall time). Like the kernel's, the stamps are the capture
        // times of a camera that started when ffmpeg did (RTCSTART) and captures every frame
        // interval; on a busy machine `realtime` hands the frames on late, but their stamps stay
        // the camera's, as a real camera's do.
        const movie = fourcc === 'MJPG' ? `movie=${files.mjpeg}:f=mjpeg:loop=0` : `movie=${files.yuyv}:loop=0`;
        return ['-f', 'lavfi', '-i', `${movie},setpts=N/(${rate}*TB),realtime,setpts=PTS+RTCSTART/(1000000*TB)`];
      },
    });
    return { provider, inputs };
  }

  it.each(['MJPG', 'YUYV'] as const)('getUserMedia captures a %s camera: frames arrive in order at the camera\'s rate; stop() ends ffmpeg', async (fourcc) => {
    const { provider, inputs } = standIn(fourcc);
    const tab = openTab({ providers: [provider], noBuiltinDevices: true });
    const stream = await tab.mediaDevices.getUserMedia({ video: true });
    const track = stream.getVideoTracks()[0] as MediaStreamTrack;
    expect(track.label).toBe('HD Pro Webcam C920');
    expect(track.getSettings()).toMatchObject({ width: 320, height: 240, frameRate: 30, resizeMode: 'none' });
    expect(inputs).toEqual([[join(devRoot, 'video0'), { width: 320, height: 240, frameRate: 30, pixelFormat: fourcc }]]);
    const seen: { n: number | null; t: number }[] = [];
    await new Promise<void>((resolve) => {
      const detach = attachSink(trackOf(track)!, {
        media(m) {
          const f = m as VideoFrame;
          const p = videoFramePlanes(f);
          seen.push({ n: decodeFrameNumber({ format: 'I420', width: p.codedWidth, height: p.codedHeight, data: p.data }), t: f.timestamp! });
          f.close();
          if (seen.length === 20) (detach(), resolve());
        },
      });
    });
    // Every frame readable, each the next one of the stream (mod its 30 frames).
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.n).toBe((seen[i - 1]!.n! + 1) % 30);
    const mean = (seen.at(-1)!.t - seen[0]!.t) / (seen.length - 1);
    expect(mean).toBeGreaterThan(25_000);
    expect(mean).toBeLessThan(45_000);
    const pid = provider.openSources[0]!.pid!;
    track.stop();
    expect(await waitGone(pid)).toBe('gone');
    expect(childrenNamed('ffmpeg')).toEqual([]);
    tab.handle.uninstall();
  });

  it('applyConstraints switches the camera to another native mode by restarting capture', async () => {
    const { provider, inputs } = standIn('MJPG', [30, 15]);
    const tab = openTab({ providers: [provider], noBuiltinDevices: true });
    const stream = await tab.mediaDevices.getUserMedia({ video: { frameRate: 15 } });
    const track = stream.getVideoTracks()[0] as MediaStreamTrack;
    expect(track.getSettings()).toMatchObject({ frameRate: 15, resizeMode: 'none' });
    const before = provider.openSources[0]!.pid!;
    await track.applyConstraints({ frameRate: { exact: 30 } });
    expect(track.getSettings()).toMatchObject({ frameRate: 30, resizeMode: 'none' });
    expect(inputs.map(([, mode]) => mode.frameRate)).toEqual([15, 30]);
    expect(await waitGone(before)).toBe('gone');
    const times: number[] = [];
    await new Promise<void>((resolve) => {
      const detach = attachSink(trackOf(track)!, {
        media(m) {
          times.push(m.timestamp!);
          m.close();
          if (times.length === 10) (detach(), resolve());
        },
      });
    });
    expect((times.at(-1)! - times[0]!) / 9).toBeLessThan(45_000);
    track.stop();
    tab.handle.uninstall();
  });

  it('a camera that cannot be opened (here: the node does not exist) rejects getUserMedia with NotReadableError', async () => {
    const text = fixture('camlink4k-video0.txt');
    const provider = new V4l2Provider({ sysRoot, devRoot, queryDevice: async (path) => (path.endsWith('/video2') ? text : Promise.reject(new Error('no'))) });
    const tab = openTab({ providers: [provider], noBuiltinDevices: true });
    const err = await tab.mediaDevices.getUserMedia({ video: true }).catch((e) => e);
    expect(err).toBeInstanceOf(DOMException);
    expect(err.name).toBe('NotReadableError');
    // ffmpeg's own words, from the real `-f v4l2` input.
    expect(err.message).toMatch(/video2.*No such file or directory/);
    expect(childrenNamed('ffmpeg')).toEqual([]);
    tab.handle.uninstall();
  });
});
