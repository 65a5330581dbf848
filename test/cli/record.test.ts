/**
 * `mediacapture record` as a user runs it: files that ffprobe reads and ffmpeg decodes without
 * error, a summary of what the file really holds, a file shorter than asked reported (exit 10), a
 * clean stop on Ctrl-C within 2 s (SIGINT to the whole process group, as a terminal sends it),
 * the live status line on a terminal, and the errors of a format this machine cannot make.
 */
import { execFile } from 'node:child_process';
import { chmodSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inCi } from '../setup/services.js';
import { startXvfb, type Xvfb } from '../x11/xvfb.js';
import { CLI, ROOT, childEnv, decodeErrors, onPath, probe, runCli, startCli, tempDir } from './helpers.js';

const dir = tempDir('record');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = (extra: Record<string, string | undefined> = {}) => childEnv(dir, extra);

/** The summary line: the file's duration, then for video the frames captured, encoded and dropped. */
const SUMMARY = /: (\d+):(\d+\.\d) of [^,]+, (\d+) frames captured, (\d+) encoded, (\d+) dropped, .* \(stopped by (\w[\w ]*)\)$/m;

function summary(stdout: string): { seconds: number; captured: number; encoded: number; dropped: number; stoppedBy: string } {
  const m = SUMMARY.exec(stdout);
  if (!m) throw new Error(`no summary line in: ${stdout}`);
  return { seconds: Number(m[1]) * 60 + Number(m[2]), captured: Number(m[3]), encoded: Number(m[4]), dropped: Number(m[5]), stoppedBy: m[6]! };
}

/** Resolves once `path` holds data (the first timeslice's blob was written): the recording is under way. */
function untilWritten(path: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      try {
        if (statSync(path).size > 0) {
          watcher.close();
          resolve();
        }
      } catch {
        // not created yet
      }
    };
    const watcher = watch(dir, check);
    check();
  });
}

describe('mediacapture record', () => {
  it('records the camera and the microphone for --duration into a WebM that plays', async () => {
    const path = join(dir, 'both.webm');
    const r = await runCli(['record', path, '--duration', '2s'], env(), 60_000);
    expect(r.stderr).toMatch(/^Recording video\/webm.* to .*both\.webm for 0:02\.0; press Ctrl-C to stop\.$/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/both\.webm: 0:02\.\d of video\/webm.*, \d+ frames captured, \d+ encoded, \d+ dropped, .* \(stopped by duration\)/);
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
    // The summary says what the file holds: its duration, and the frames in it.
    const said = summary(r.stdout);
    expect(said.seconds).toBeCloseTo(Number(info.format.duration), 1);
    expect(said.encoded).toBe(Number(video.nb_read_frames));
    expect(said.dropped).toBe(Math.max(0, said.captured - said.encoded));
  });

  it('10: a file shorter than asked is a warning and a distinct exit status, with the frames that were lost', async () => {
    // An encoder that loses the first 1.5 s of what it is given (output seeking), as one that
    // cannot keep up loses media; every other use of ffmpeg is the real one.
    const lossy = join(dir, 'lossy-ffmpeg');
    writeFileSync(lossy, `#!/bin/bash\nif [ "\${!#}" = "pipe:1" ]; then exec ffmpeg "\${@:1:$#-1}" -ss 1.5 pipe:1; fi\nexec ffmpeg "$@"\n`);
    chmodSync(lossy, 0o755);
    const path = join(dir, 'short.webm');
    const r = await runCli(['record', path, '--video', '--duration', '3s'], env({ MEDIACAPTURE_FFMPEG: lossy }), 60_000);
    expect(r.code, r.stderr).toBe(10);
    const info = await probe(path);
    const frames = Number(info.streams[0]!.nb_read_frames);
    const said = summary(r.stdout);
    expect(said.seconds).toBeCloseTo(Number(info.format.duration), 1);
    expect(said.seconds).toBeLessThan(2);
    expect(said.encoded).toBe(frames);
    // Three seconds of a 30 fps camera captured, half of it lost.
    expect(said.captured).toBeGreaterThanOrEqual(85);
    expect(said.dropped).toBe(said.captured - frames);
    expect(said.dropped).toBeGreaterThanOrEqual(40);
    expect(r.stderr).toMatch(new RegExp(`warning: .*short\\.webm holds 0:01\\.\\d of the 0:03\\.0 asked for \\(${said.dropped} of ${said.captured} video frames dropped\\)`));
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
    const info = await probe(path);
    if (r.code === 10) {
      // On a busy machine the encoder can fall behind by more than the 100 ms a one-second
      // recording may lose: the command says how much it holds (exit 10). The format is still right.
      expect(r.stderr).toMatch(new RegExp(`warning: .*${name} holds .* of the .* asked for`));
    } else {
      expect(r.code, r.stderr).toBe(0);
      expect(Number(info.format.duration)).toBeGreaterThan(0.8);
    }
    expect(info.format.format_name).toContain(format);
    expect(info.streams.map((s) => s.codec_name)).toEqual(codecs);
    expect(await decodeErrors(path)).toBe('');
  });

  it('stops on Ctrl-C: says it is finishing, ends within 2 s, and leaves a file that plays', async () => {
    const path = join(dir, 'interrupted.webm');
    const { child, result } = startCli(['record', path], env());
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    // Recording: the first timeslice's data is in the file.
    await untilWritten(path);
    // A terminal's Ctrl-C goes to the whole foreground process group: the CLI and its children.
    const signalledAt = performance.now();
    process.kill(-child.pid!, 'SIGINT');
    const r = await result;
    const finishedIn = performance.now() - signalledAt;
    expect(stderr).toMatch(/^Finishing: stopping the recorder and closing .*interrupted\.webm/m);
    // FINISH_MS (2 s) by the command's own clock, and the time it takes a process to exit here.
    expect(finishedIn).toBeLessThan(3000);
    expect(r.stdout).toMatch(/\(stopped by signal\)$/m);
    if (r.code === 10) {
      // The recorder could not finish in time (it waits for its encoder): the command says so,
      // and keeps what the recorder had handed over.
      expect(stderr).toMatch(/warning: the recorder did not finish within 2 s of the signal/);
      return;
    }
    expect(r.code, stderr).toBe(0);
    const info = await probe(path);
    expect(await decodeErrors(path)).toBe('');
    const said = summary(r.stdout);
    expect(info.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(said.captured).toBeGreaterThanOrEqual(30);
    // Every frame captured until Ctrl-C is in the file (give or take the recorder's timeline).
    expect(Math.abs(Number(info.streams.find((s) => s.codec_type === 'video')!.nb_read_frames) - said.captured)).toBeLessThanOrEqual(3);
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

  it('2: a file backend whose file is missing or not media names it, instead of finding no device', async () => {
    const missing = join(dir, 'nope.mp4');
    const r = await runCli(['record', join(dir, 'x.webm'), '--duration', '1s'], env({ MEDIACAPTURE_BACKENDS: `file:${missing}` }));
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`file:${missing} names a file that does not exist`);
    const text = join(dir, 'text.mp4');
    writeFileSync(text, 'not media');
    const d = await runCli(['devices'], env({ MEDIACAPTURE_BACKENDS: `builtin,file:${text}` }));
    expect(d.code).toBe(2);
    expect(d.stderr).toContain(`file:${text} is not a media file ffmpeg can read`);
  });

  it('9: a format this machine cannot record, with what it can', async () => {
    const r = await runCli(['record', join(dir, 'x.webm'), '--mime', 'video/x-nonsense', '--duration', '1s'], env());
    expect(r.code).toBe(9);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^mediacapture record: This machine cannot record "video\/x-nonsense".*Try --mime "video\/webm/);
  });
});
