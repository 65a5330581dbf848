/**
 * The command line's parts that need no child process: argument and duration parsing, the PNG
 * encoder (checked by decoding with ffmpeg), the level meter, and the SelectSettings trace
 * (checked against selectSettings itself).
 */
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, parseDuration } from '../../src/cli/args.js';
import { traceSelectSettings } from '../../src/cli/constraint-trace.js';
import { CliError } from '../../src/cli/exit.js';
import { levelMeter } from '../../src/cli/format.js';
import { crc32, encodePng } from '../../src/cli/png.js';
import { parsePermissionsVariable } from '../../src/cli/scope.js';
import { selectSettings } from '../../src/algorithms/constraints/index.js';
import type { DeviceDescriptor } from '../../src/media/modes.js';
import { decodeImage, pngHeader, tempDir } from './helpers.js';
import { RecordingMonitor, statusLine } from '../../src/cli/progress.js';
import { shortfallTolerance } from '../../src/cli/record.js';
import { VirtualClock, VideoFrame, flushTasks, installGlobals } from '../../src/index.js';
import { VideoTrackGenerator } from '../../src/interfaces/VideoTrackGenerator.js';

const dir = tempDir('units');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseArgs', () => {
  const spec = { video: { arity: 'optional' }, json: { arity: 'flag' }, duration: { arity: 'value' }, help: { arity: 'flag', short: 'h' } } as const;

  it('reads an optional value only after "=", so the next word stays a file name', () => {
    const a = parseArgs(['--video', 'out.webm', '--duration', '10s'], spec, 'record');
    expect(a.options.get('video')).toBe(true);
    expect(a.options.get('duration')).toBe('10s');
    expect(a.positionals).toEqual(['out.webm']);
    expect(parseArgs(['--video={"width":1}'], spec, 'record').options.get('video')).toBe('{"width":1}');
  });

  it('rejects unknown options, values on flags and missing values as usage errors (status 2)', () => {
    for (const argv of [['--nope'], ['--json=1'], ['--duration'], ['-x']]) {
      expect(() => parseArgs(argv, spec, 'record')).toThrow(CliError);
      try {
        parseArgs(argv, spec, 'record');
      } catch (e) {
        expect((e as CliError).exitCode).toBe(2);
      }
    }
  });

  it('takes everything after "--" as positionals', () => {
    expect(parseArgs(['--', '--json'], spec, 'x').positionals).toEqual(['--json']);
    expect(parseArgs(['-h'], spec, 'x').options.get('help')).toBe(true);
  });
});

describe('parseDuration', () => {
  it.each([
    ['10s', 10_000],
    ['10', 10_000],
    ['1.5m', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['1:30', 90_000],
    ['1:02:03', 3_723_000],
    ['.5s', 500],
  ])('%s is %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'ten', '0', '-1s', '10 parsecs'])('"%s" is a usage error', (text) => {
    expect(() => parseDuration(text)).toThrow(/--duration must be a positive duration/);
  });
});

describe('MEDIACAPTURE_PERMISSIONS', () => {
  it('reads name=state lists and JSON', () => {
    expect(parsePermissionsVariable('camera=denied, microphone=prompt')).toEqual({ camera: 'denied', microphone: 'prompt' });
    expect(parsePermissionsVariable('{"display-capture":"granted"}')).toEqual({ 'display-capture': 'granted' });
    expect(parsePermissionsVariable(undefined)).toEqual({});
  });

  it('rejects unknown names and states', () => {
    expect(() => parsePermissionsVariable('webcam=denied')).toThrow(/unknown permission "webcam"/);
    expect(() => parsePermissionsVariable('camera=yes')).toThrow(/granted, denied or prompt/);
  });
});

describe('encodePng', () => {
  it('computes the CRC-32 of the PNG specification', () => {
    expect(crc32(Buffer.from('IEND'))).toBe(0xae426082);
  });

  function paeth(a: number, b: number, c: number): number {
    const p = a + b - c;
    const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }

  /**
   * An image whose rows each suit one filter, in turn: noise (None, on the first row), each byte
   * the Paeth predictor of its neighbours (Paeth), a copy of the row above (Up), a gradient (Sub),
   * each byte the mean of its left and upper neighbours (Average); RGBA with opaque alpha.
   */
  function testImage(width: number, height: number): Uint8Array {
    const stride = width * 3;
    const rgb = new Uint8Array(stride * height);
    let seed = 12345;
    const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let y = 0; y < height; y++) {
      const row = rgb.subarray(y * stride, (y + 1) * stride);
      const up = y > 0 ? rgb.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
      for (let i = 0; i < stride; i++) {
        const left = i >= 3 ? row[i - 3]! : 0;
        switch (y % 5) {
          case 0: row[i] = noise(); break;
          case 1: row[i] = i < 3 ? noise() : paeth(left, up[i]!, up[i - 3]!); break;
          case 2: row[i] = up[i]!; break;
          case 3: row[i] = (7 * Math.floor(i / 3) + 40 * (i % 3)) & 0xff; break;
          default: row[i] = (left + up[i]!) >> 1;
        }
      }
    }
    const rgba = new Uint8Array(width * height * 4).fill(255);
    for (let p = 0; p < width * height; p++) rgba.set(rgb.subarray(p * 3, p * 3 + 3), p * 4);
    return rgba;
  }

  /** The filter type byte of each row. */
  function filtersOf(png: Buffer, width: number, height: number): Set<number> {
    const idat: Buffer[] = [];
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at);
      if (png.subarray(at + 4, at + 8).toString('latin1') === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
      at += 12 + length;
    }
    const raw = inflateSync(Buffer.concat(idat));
    return new Set(Array.from({ length: height }, (_, y) => raw[y * (width * 3 + 1)]!));
  }

  it.each([
    [1, 1],
    [7, 5],
    [64, 50],
  ])('%ix%i: ffmpeg decodes exactly the pixels given', async (width, height) => {
    const rgba = testImage(width, height);
    const png = encodePng(rgba, width, height);
    const path = join(dir, `t-${width}x${height}.png`);
    writeFileSync(path, png);
    expect(pngHeader(path)).toEqual({ width, height, bitDepth: 8, colorType: 2 });
    if (height === 50) expect([...filtersOf(png, width, height)].sort()).toEqual([0, 1, 2, 3, 4]);
    const rgb = await decodeImage(path);
    const expected = Buffer.alloc(width * height * 3);
    for (let i = 0; i < width * height; i++) expected.set(rgba.subarray(i * 4, i * 4 + 3), i * 3);
    expect(rgb.equals(expected)).toBe(true);
  });
});

describe('levelMeter', () => {
  it('shows full scale at 0 dBFS, half the bar at -30 dBFS, and -inf for silence', () => {
    expect(levelMeter(1)).toBe('▕██████████▏    0 dB');
    expect(levelMeter(10 ** (-30 / 20))).toBe('▕█████     ▏  -30 dB');
    expect(levelMeter(0)).toBe('▕          ▏ -inf dB');
  });
});

describe('traceSelectSettings', () => {
  const camera: DeviceDescriptor = {
    rawId: 'cam',
    kind: 'videoinput',
    label: 'Camera',
    groupKey: 'cam',
    facingMode: 'user',
    videoModes: [
      { width: 640, height: 480, frameRate: 30 },
      { width: 1280, height: 720, frameRate: 30 },
      { width: 1920, height: 1080, frameRate: 15 },
    ],
  };
  const microphone: DeviceDescriptor = {
    rawId: 'mic',
    kind: 'audioinput',
    label: 'Microphone',
    groupKey: 'mic',
    audioModes: [
      { sampleRate: 48000, channelCount: 2, sampleSize: 16, latency: 0.01 },
      { sampleRate: 16000, channelCount: 1, sampleSize: 16, latency: 0.03 },
    ],
    echoCancellation: [true, false],
  };
  const ids = { deviceId: 'd', groupId: 'g' };
  const videoCases: Record<string, unknown>[] = [
    {},
    { width: 1280 },
    { width: { exact: 1280 }, height: { exact: 720 } },
    { width: { min: 1000 }, frameRate: { min: 20 } },
    { width: { min: 3000 } },
    { aspectRatio: { exact: 1 } },
    { frameRate: { ideal: 60 }, height: { ideal: 1080 } },
    { resizeMode: 'none', width: 800 },
    { resizeMode: { exact: 'none' }, width: { exact: 800 } },
    { facingMode: { exact: 'environment' } },
    { advanced: [{ width: 1920, height: 1280 }, { aspectRatio: 4 / 3 }] },
    { width: { min: 700 }, advanced: [{ frameRate: 30 }, { width: 1920 }] },
  ];
  const audioCases: Record<string, unknown>[] = [
    {},
    { sampleRate: 16000 },
    { channelCount: { exact: 2 }, echoCancellation: false },
    { sampleRate: { min: 96000 } },
    { latency: { max: 0.02 }, advanced: [{ echoCancellation: false }] },
  ];

  it.each([...videoCases.map((c) => [camera, c] as const), ...audioCases.map((c) => [microphone, c] as const)])(
    '%s %j: the chosen candidate is selectSettings\' choice, and a failure names the same constraint',
    (device, constraints) => {
      const trace = traceSelectSettings(device, ids, constraints);
      const direct = selectSettings(device, ids, constraints);
      expect(trace.result).toEqual(direct);
      const chosen = trace.candidates.filter((c) => c.chosen);
      if ('failed' in direct) {
        expect(chosen).toHaveLength(0);
        for (const c of trace.candidates) expect(c.rejected).toBe('basic');
        if (direct.failed !== '') for (const c of trace.candidates) expect(c.failed).toContain(direct.failed);
      } else {
        expect(chosen).toHaveLength(1);
        expect(chosen[0]!.mode).toBe(direct.mode);
        expect(chosen[0]!.distance).toBe(direct.distance);
        // No surviving candidate is closer than the chosen one.
        for (const c of trace.candidates) if (c.rejected === undefined) expect(c.distance!).toBeGreaterThanOrEqual(direct.distance);
      }
    },
  );

  it('reports the advanced set that dropped a candidate', () => {
    const trace = traceSelectSettings(camera, ids, { advanced: [{ width: 1920, height: 1280 }, { aspectRatio: 4 / 3 }] });
    expect(trace.advanced).toEqual([false, true]);
    const native720 = trace.candidates.find((c) => c.mode.width === 1280 && c.resizeMode === 'none')!;
    expect(native720.rejected).toBe(1);
  });
});

describe('RecordingMonitor', () => {
  it('counts the frames of a camera and the peak level of a microphone', async () => {
    const clock = new VirtualClock();
    const handle = installGlobals({}, { clock });
    try {
      const stream = await handle.mediaDevices.getUserMedia({ video: { width: 160, height: 120 }, audio: true });
      const monitor = new RecordingMonitor(stream.getTracks());
      await clock.advanceAsync(1000);
      await flushTasks();
      const stats = monitor.take();
      expect(stats.frames).toBe(30);
      expect(stats.dropped).toBe(0);
      expect(stats.fps).toBe(30);
      expect(stats.peak).toBeCloseTo(0.25, 2); // the built-in microphone's tone
      expect(monitor.take().peak).toBe(0); // the peak starts again
      monitor.close();
      for (const t of stream.getTracks()) t.stop();
    } finally {
      handle.uninstall();
    }
  });

  it('counts the frames missing from gaps in the timestamps as dropped', async () => {
    const generator = new VideoTrackGenerator();
    const monitor = new RecordingMonitor([generator.track]);
    const writer = generator.writable.getWriter();
    const frame = (timestamp: number) =>
      new VideoFrame(new Uint8Array(16 * 16 * 3 / 2), { format: 'I420', codedWidth: 16, codedHeight: 16, timestamp, duration: 33_333 });
    // Frames 0, 1, then 4 (2 and 3 missing), then 5.
    for (const n of [0, 1, 4, 5]) await writer.write(frame(n * 33_333));
    await flushTasks();
    expect(monitor.take()).toMatchObject({ frames: 4, dropped: 2 });
    monitor.close();
    generator.track.stop();
  });
});

describe('statusLine', () => {
  it('shows elapsed time, fps, dropped frames, bytes and the level meter', () => {
    const line = statusLine(12_345, { frames: 370, fps: 30, dropped: 2, peak: 0.5 }, 1_500_000, { video: true, audio: true });
    expect(line).toBe('● REC 0:12.3  30 fps  2 dropped  1.4 MiB  ▕█████████ ▏   -6 dB');
    expect(statusLine(1000, { frames: 0, fps: 0, dropped: 0, peak: 0.5 }, 10, { video: false, audio: true })).toBe('● REC 0:01.0  10 B  ▕█████████ ▏   -6 dB');
  });
});

describe('shortfallTolerance', () => {
  it('lets a file be short by 10 % of what was asked or one timeslice (1 s), whichever is less, and never less than 100 ms', () => {
    expect(shortfallTolerance(500)).toBe(100);
    expect(shortfallTolerance(3000)).toBe(300);
    expect(shortfallTolerance(10_000)).toBe(1000);
    expect(shortfallTolerance(600_000)).toBe(1000);
  });
});
