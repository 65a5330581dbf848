/**
 * `mediacapture record` as a user runs it: files that ffprobe reads and ffmpeg decodes without
 * error, a clean stop on Ctrl-C (SIGINT to the whole process group, as a terminal sends it), the
 * live status line on a terminal, and the errors of a format this machine cannot make.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCi } from '../setup/services.js';
import { startXvfb, type Xvfb } from '../x11/xvfb.js';
import { CLI, ROOT, childEnv, decodeErrors, onPath, probe, runCli, startCli, tempDir } from './helpers.js';

const dir = tempDir('record');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = (extra: Record<string, string | undefined> = {}) => childEnv(dir, extra);

describe('mediacapture record', () => {
  it('records the camera and the microphone for --duration into a WebM that plays', async () => {
    const path = join(dir, 'both.webm');
    const r = await runCli(['record', path, '--duration', '2s'], env(), 60_000);
    expect(r.stderr).toMatch(/^Recording video\/webm.* to .*both\.webm for 0:02\.0; press Ctrl-C to stop\.$/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/both\.webm: 0:02\.\d of video\/webm.*, \d+ frames \(\d+ dropped\), .* \(stopped by duration\)/);
    const info = await probe(path);
    expect(info.format.format_name).toContain('webm');
    // Written as it came, then given an index: seekable, with its duration in the header.
    expect(Number(info.format.duration)).toBeGreaterThan(1.8);
    expect(Number(info.format.duration)).toBeLessThan(2.4);
    const video = info.streams.find((s) => s.codec_type === 'video')!;
    const audio = info.streams.find((s) => s.codec_type === 'audio')!;
    expect(video).toMatchObject({ width: 640, height: 480 });
    expect(['vp8', 'vp9']).toContain(video.codec_name);
    expect(audio.codec_name).toBe('opus');
    // Two seconds at 30 fps, give or take the start and the end.
    expect(Number(video.nb_read_frames)).toBeGreaterThanOrEqual(50);
    expect(Number(video.nb_read_frames)).toBeLessThanOrEqual(70);
    expect(await decodeErrors(path)).toBe('');
  });

  it('records only what --video or --audio ask for, with their constraints', async () => {
    const videoPath = join(dir, 'video.webm');
    const v = await runCli(['record', videoPath, '--video={"width":320,"height":240}', '--duration', '1s'], env(), 60_000);
    expect(v.code).toBe(0);
    const videoInfo = await probe(videoPath);
    expect(videoInfo.streams.map((s) => s.codec_type)).toEqual(['video']);
    expect(videoInfo.streams[0]).toMatchObject({ width: 320, height: 240 });

    const audioPath = join(dir, 'audio.webm');
    const a = await runCli(['record', audioPath, '--audio', '--duration', '1s'], env(), 60_000);
    expect(a.code).toBe(0);
    const audioInfo = await probe(audioPath);
    expect(audioInfo.streams.map((s) => s.codec_type)).toEqual(['audio']);
    expect(audioInfo.streams[0]!.codec_name).toBe('opus');
  });

  it.each([
    ['clip.mp4', [], 'mov,mp4', ['h264', 'aac']],
    ['voice.ogg', ['--audio'], 'ogg', ['opus']],
  ] as const)('records %s in the format its name says', async (name, extra, format, codecs) => {
    const path = join(dir, name);
    const r = await runCli(['record', path, ...extra, '--duration', '1s'], env(), 60_000);
    expect(r.code).toBe(0);
    const info = await probe(path);
    expect(info.format.format_name).toContain(format);
    expect(info.streams.map((s) => s.codec_name)).toEqual(codecs);
    expect(Number(info.format.duration)).toBeGreaterThan(0.8);
    expect(await decodeErrors(path)).toBe('');
  });

  it('stops cleanly on Ctrl-C and leaves a file that plays', async () => {
    const path = join(dir, 'interrupted.webm');
    const { child, result } = startCli(['record', path], env());
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "Recording" line: ${stderr}`)), 30_000);
      child.stderr!.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (stderr.includes('press Ctrl-C')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await new Promise((r) => setTimeout(r, 1500));
    // A terminal's Ctrl-C goes to the whole foreground process group: the CLI and its children.
    process.kill(-child.pid!, 'SIGINT');
    const r = await result;
    expect(r.code).toBe(0);
    const summary = /, (\d+) frames \(\d+ dropped\), .* \(stopped by signal\)$/m.exec(r.stdout);
    expect(summary, r.stdout).not.toBeNull();
    const captured = Number(summary![1]);
    expect(captured).toBeGreaterThanOrEqual(30);
    const info = await probe(path);
    expect(info.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    // Every frame captured until Ctrl-C is in the file (give or take the recorder's timeline).
    expect(Math.abs(Number(info.streams.find((s) => s.codec_type === 'video')!.nb_read_frames) - captured)).toBeLessThanOrEqual(3);
    expect(await decodeErrors(path)).toBe('');
  });

  it('shows a live status line on a terminal: elapsed time, fps, dropped frames, bytes, audio level', async () => {
    const path = join(dir, 'tty.webm');
    // script(1) runs the command on a pseudo-terminal.
    const command = [process.execPath, CLI, 'record', path, '--duration', '2s'].map((a) => `'${a}'`).join(' ');
    const output = await new Promise<string>((resolve, reject) =>
      execFile('script', ['-qec', command, '/dev/null'], { env: env(), cwd: ROOT, timeout: 60_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    const lines = output.split(/\r|\n/).filter((l) => l.includes('● REC'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const last = lines[lines.length - 1]!;
    expect(last).toMatch(/● REC 0:0\d\.\d {2}\d+ fps {2}\d+ dropped {2}[\d.]+ (B|KiB|MiB) {2}▕[█▏▎▍▌▋▊▉ ]{10}▏ +-\d+ dB/);
  });

  describe.skipIf(!onPath('Xvfb') && !inCi())('--screen', () => {
    let xvfb: Xvfb;
    beforeAll(async () => {
      xvfb = await startXvfb({ size: '320x240x24' });
    });
    afterAll(async () => {
      await xvfb?.stop();
    });

    it('records the screen with the microphone', async () => {
      const path = join(dir, 'screen.webm');
      const r = await runCli(['record', path, '--screen', '--audio', '--duration', '1s'], env({ MEDIACAPTURE_BACKENDS: `builtin,x11:${xvfb.display}`, DISPLAY: xvfb.display }), 60_000);
      expect(r.code).toBe(0);
      const info = await probe(path);
      expect(info.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 320, height: 240 });
      expect(info.streams.find((s) => s.codec_type === 'audio')!.codec_name).toBe('opus');
      expect(await decodeErrors(path)).toBe('');
    });
  });

  it('9: a format this machine cannot record, with what it can', async () => {
    const r = await runCli(['record', join(dir, 'x.webm'), '--mime', 'video/x-nonsense', '--duration', '1s'], env());
    expect(r.code).toBe(9);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^mediacapture record: This machine cannot record "video\/x-nonsense".*Try --mime "video\/webm/);
  });
});
