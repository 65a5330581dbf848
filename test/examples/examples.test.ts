/**
 * Every script in examples/ runs as a user would run it (`node examples/x.mjs`, importing the
 * package by its name), and does what its comment says, so none of them rots.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scaled } from '../helpers/wait.js';
import { ROOT, childEnv, decodeImage, decodeErrors, pngHeader, probe, runNode, tempDir } from '../cli/helpers.js';

const dir = tempDir('examples');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = () => childEnv(dir);
const example = (name: string) => join(ROOT, 'examples', name);

/** Which globals `import 'mediacapture/global'` installs, asked of a child as the examples see them. */
function installedGlobals(names: readonly string[]): Record<string, boolean> {
  const code = `await import('mediacapture/global'); console.log(JSON.stringify(Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, typeof globalThis[n] === 'function']))));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, env: env() }).toString()) as Record<string, boolean>;
}
const globals = installedGlobals(['MediaStreamTrackProcessor', 'MediaRecorder']);

describe('examples/', () => {
  it('every example script is run by a test', () => {
    // first-stream.mjs is the README's, run by test/readme.test.ts; the others are run here.
    const tested = ['first-stream.mjs', 'still-photo.mjs', 'constraint-exerciser.mjs', 'read-frames.mjs', 'record.mjs'];
    const scripts = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.mjs'));
    expect(scripts.filter((s) => !tested.includes(s))).toEqual([]);
  });

  // The examples use MediaStreamTrackProcessor and MediaRecorder as a page does, from the globals.
  // Until 'mediacapture/global' installs them, these cannot run (and say so here).
  describe.skipIf(!globals.MediaStreamTrackProcessor)('with MediaStreamTrackProcessor', () => {
    it('still-photo.mjs writes a PNG of the size asked for, showing the camera picture', async () => {
      const path = join(dir, 'still.png');
      const r = await runNode(example('still-photo.mjs'), [path, '320', '240'], env(), scaled(30_000));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('320x240 from "Built-in Camera (synthetic)"');
      expect(pngHeader(path)).toMatchObject({ width: 320, height: 240, colorType: 6 });
      // The first colour bar of the test pattern is light grey.
      const rgb = await decodeImage(path);
      const at = (100 * 320 + 20) * 3;
      expect([rgb[at], rgb[at + 1], rgb[at + 2]].every((v) => v! > 150)).toBe(true);
    }, scaled(40_000));

    it('read-frames.mjs reads frames one frame interval apart, and the tone\'s level', async () => {
      const r = await runNode(example('read-frames.mjs'), ['10'], env(), scaled(30_000));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const frames = [...r.stdout.matchAll(/^frame (\d+): I420 320x240 at ([\d.]+) ms, mean luma ([\d.]+)$/gm)];
      expect(frames.map((m) => Number(m[1]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // The camera runs on the real clock: its frames are whole frame intervals apart in media time,
      // most of them exactly one (a camera skips the frame time a busy machine left it no time for).
      const interval = 1000 / 30;
      const times = frames.map((m) => Number(m[2]));
      const steps = times.slice(1).map((t, i) => (t - times[i]!) / interval);
      for (const k of steps) {
        expect(k).toBeGreaterThanOrEqual(1 - 0.01);
        expect(Math.abs(k - Math.round(k))).toBeLessThan(0.01); // printed to 0.1 ms
      }
      expect([...steps].sort((a, b) => a - b)[steps.length >> 1]).toBeCloseTo(1, 2);
      // The synthetic microphone plays a sine at amplitude 0.25: RMS 0.25/√2, about -15 dBFS.
      const level = /^audio: (\d+) samples at 48000 Hz, level (-?[\d.]+) dBFS$/m.exec(r.stdout);
      expect(level).not.toBeNull();
      expect(Number(level![2])).toBeCloseTo(20 * Math.log10(0.25 / Math.SQRT2), 0);
    }, scaled(40_000));
  });

  it('constraint-exerciser.mjs applies each constraint set and shows the settings or the OverconstrainedError', async () => {
    const r = await runNode(example('constraint-exerciser.mjs'), [], env(), scaled(30_000));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Supported constraints: .*aspectRatio.*width/m);
    expect(r.stdout).toContain('Camera "Built-in Camera (synthetic)" can do:');
    expect(r.stdout).toMatch(/video \{"width":1280,"height":720\}\n {2}settings: \{.*"height":720,.*"width":1280\}/);
    expect(r.stdout).toMatch(/video \{"aspectRatio":\{"exact":1\}\}\n {2}settings: \{"aspectRatio":1,/);
    expect(r.stdout).toMatch(/video \{"width":\{"exact":4000\}\}\n {2}OverconstrainedError: constraint "width"/);
    expect(r.stdout).toMatch(/audio \{"sampleRate":\{"exact":8000\}\}\n {2}OverconstrainedError: constraint "sampleRate"/);
  }, scaled(40_000));

  it('constraint-exerciser.mjs takes constraints from the command line', async () => {
    const r = await runNode(example('constraint-exerciser.mjs'), ['{"height":{"exact":200}}'], env(), scaled(30_000));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/settings: \{.*"height":200,.*"width":356\}/);
  }, scaled(40_000));

  describe.skipIf(!globals.MediaRecorder)('with MediaRecorder', () => {
    it('record.mjs records a WebM that ffprobe reads, with video and audio of the right length', async () => {
      const path = join(dir, 'recording.webm');
      const r = await runNode(example('record.mjs'), [path, '2'], env(), scaled(60_000));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const info = await probe(path);
      expect(info.format.format_name).toContain('webm');
      const video = info.streams.find((s) => s.codec_type === 'video')!;
      const audio = info.streams.find((s) => s.codec_type === 'audio')!;
      expect(video).toMatchObject({ width: 640, height: 480 });
      expect(audio.codec_name).toBe('opus');
      // One recorder made the whole file: it is seekable, with its duration in the header.
      expect(Number(info.format.duration)).toBeGreaterThan(1.8);
      expect(Number(info.format.duration)).toBeLessThan(2.5);
      expect(Number(video.nb_read_frames)).toBeGreaterThanOrEqual(50);
      expect(await decodeErrors(path)).toBe('');
    }, scaled(90_000));
  });
});
