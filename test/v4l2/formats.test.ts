/**
 * Reading v4l2-ctl's output (fixtures in test/fixtures/v4l2) and the native modes it gives.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseV4l2Info, videoModesOf, v4l2Input } from '../../src/backends/v4l2/index.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/v4l2/${name}`, import.meta.url), 'utf8');

describe('parseV4l2Info', () => {
  it('reads a UVC webcam: driver info, device caps, formats, sizes and intervals', () => {
    const info = parseV4l2Info(fixture('c920-video0.txt'));
    expect(info).toMatchObject({ driverName: 'uvcvideo', cardType: 'HD Pro Webcam C920', busInfo: 'usb-0000:00:14.0-1', bufferType: 'Video Capture' });
    // Device Caps, not the device-wide Capabilities (which list Metadata Capture too).
    expect(info.deviceCaps).toEqual(['Video Capture', 'Streaming', 'Extended Pix Format']);
    expect(info.formats.map((f) => [f.fourcc, f.description, f.compressed, f.sizes.length])).toEqual([
      ['YUYV', 'YUYV 4:2:2', false, 19],
      ['H264', 'H.264', true, 17],
      ['MJPG', 'Motion-JPEG', true, 17],
    ]);
    const yuyv = info.formats[0]!.sizes;
    expect(yuyv[0]).toEqual({ type: 'discrete', width: 640, height: 480, intervals: [30, 24, 20, 15, 10, 7.5, 5].map((fps) => ({ type: 'discrete', fps })) });
    expect(yuyv.find((s) => s.type === 'discrete' && s.width === 1920)).toEqual({ type: 'discrete', width: 1920, height: 1080, intervals: [{ type: 'discrete', fps: 5 }] });
  });

  it('reads a UVC metadata node: no video capture, no formats', () => {
    const info = parseV4l2Info(fixture('c920-video1.txt'));
    expect(info.deviceCaps).toEqual(['Metadata Capture', 'Streaming', 'Extended Pix Format']);
    expect(info.formats).toEqual([]);
  });

  it('reads stepwise sizes', () => {
    const info = parseV4l2Info(fixture('rpi-camera-video0.txt'));
    expect(info.formats).toHaveLength(14);
    expect(info.formats.find((f) => f.fourcc === 'NV12')!.sizes).toEqual([
      { type: 'stepwise', minWidth: 32, minHeight: 32, maxWidth: 2592, maxHeight: 1944, stepWidth: 2, stepHeight: 2 },
    ]);
  });

  it('reads continuous and stepwise intervals of a discrete size', () => {
    const text = [
      'ioctl: VIDIOC_ENUM_FMT',
      '\tType: Video Capture',
      '',
      "\t[0]: 'YUYV' (YUYV 4:2:2)",
      '\t\tSize: Discrete 640x480',
      '\t\t\tInterval: Continuous 0.033s - 1.000s (1.000-30.000 fps)',
      '\t\tSize: Discrete 1280x720',
      '\t\t\tInterval: Stepwise 0.017s - 1.000s with step 0.017s (1.000-60.000 fps)',
      '\t\tSize: Continuous 16x16 - 1920x1080',
    ].join('\n');
    const info = parseV4l2Info(text);
    expect(info.formats[0]!.sizes).toEqual([
      { type: 'discrete', width: 640, height: 480, intervals: [{ type: 'continuous', minFps: 1, maxFps: 30 }] },
      { type: 'discrete', width: 1280, height: 720, intervals: [{ type: 'stepwise', minFps: 1, maxFps: 60 }] },
      { type: 'continuous', minWidth: 16, minHeight: 16, maxWidth: 1920, maxHeight: 1080, stepWidth: 1, stepHeight: 1 },
    ]);
    expect(videoModesOf(info).filter((m) => m.width !== 1920 || m.height !== 1080).map((m) => `${m.width}x${m.height}@${m.frameRate}`)).toEqual(
      expect.arrayContaining(['640x480@30', '1280x720@60', '1280x720@30']),
    );
  });

  it('gives nothing for garbage', () => {
    expect(parseV4l2Info('Cannot open device /dev/video0, exiting.\n')).toEqual({ deviceCaps: [], formats: [] });
  });
});

describe('videoModesOf', () => {
  it('a webcam: one mode per size and rate, uncompressed where the camera offers it, MJPEG where only it reaches; H.264 left out', () => {
    const modes = videoModesOf(parseV4l2Info(fixture('c920-video0.txt')));
    const find = (w: number, h: number, fps: number) => modes.filter((m) => m.width === w && m.height === h && m.frameRate === fps).map((m) => m.pixelFormat);
    expect(find(640, 480, 30)).toEqual(['YUYV']);
    expect(find(1280, 720, 30)).toEqual(['MJPG']);
    expect(find(1280, 720, 10)).toEqual(['YUYV']);
    expect(find(1920, 1080, 30)).toEqual(['MJPG']);
    expect(find(2304, 1536, 2)).toEqual(['YUYV']);
    expect(modes.some((m) => m.pixelFormat === 'H264')).toBe(false);
    // Largest first.
    expect(modes[0]).toEqual({ width: 2304, height: 1536, frameRate: 2, pixelFormat: 'YUYV' });
    expect(new Set(modes.map((m) => `${m.width}x${m.height}@${m.frameRate}`)).size).toBe(modes.length);
  });

  it('an NV12 capture device: NV12 preferred over YU12 and YUYV, at 59.94 fps', () => {
    expect(videoModesOf(parseV4l2Info(fixture('camlink4k-video0.txt')))).toEqual([{ width: 1920, height: 1080, frameRate: 59.94, pixelFormat: 'NV12' }]);
  });

  it('stepwise sizes: the common sizes in range and the largest, at an assumed 30 fps', () => {
    const modes = videoModesOf(parseV4l2Info(fixture('rpi-camera-video0.txt')));
    expect(modes.map((m) => `${m.width}x${m.height}@${m.frameRate} ${m.pixelFormat}`)).toEqual([
      '2592x1944@30 NV12',
      '2560x1440@30 NV12',
      '1920x1080@30 NV12',
      '1280x720@30 NV12',
      '640x480@30 NV12',
      '640x360@30 NV12',
      '320x240@30 NV12',
      '160x120@30 NV12',
    ]);
  });

  it('a multiplanar device has none (ffmpeg reads single-planar buffers only)', () => {
    const text = "ioctl: VIDIOC_ENUM_FMT\n\tType: Video Capture Multiplanar\n\n\t[0]: 'NV12' (Y/CbCr 4:2:0)\n\t\tSize: Discrete 1920x1080\n\t\t\tInterval: Discrete 0.033s (30.000 fps)\n";
    expect(videoModesOf(parseV4l2Info(text))).toEqual([]);
  });
});

describe('v4l2Input', () => {
  it('names the ffmpeg input format of the mode\'s FourCC', () => {
    expect(v4l2Input('/dev/video0', { width: 1280, height: 720, frameRate: 30, pixelFormat: 'MJPG' })).toEqual([
      '-f', 'v4l2', '-input_format', 'mjpeg', '-video_size', '1280x720', '-framerate', '30', '-i', '/dev/video0',
    ]);
    expect(v4l2Input('/dev/video2', { width: 1920, height: 1080, frameRate: 59.94, pixelFormat: 'NV12' })).toContain('nv12');
    expect(v4l2Input('/dev/video0', { width: 640, height: 480, frameRate: 30, pixelFormat: 'YUYV' })).toContain('yuyv422');
  });
});
