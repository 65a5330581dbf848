// Quirks of the programs under the WebRTC media path, each next to the workaround it justifies.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/helpers.js';

/** Frames ffmpeg decodes from an IVF file with extra input flags, and its error count. */
function decode(file: string, flags: string[]): Promise<{ frames: number; errors: number }> {
  return new Promise((resolve, reject) => {
    execFile('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...flags, '-f', 'ivf', '-i', file, '-f', 'framemd5', '-'], (error, stdout, stderr) => {
      if (error && !stdout) return reject(error);
      const frames = stdout.split('\n').filter((l) => /^0,/.test(l)).length;
      const errors = (stderr.match(/Invalid data found/g) ?? []).length + Number(/repeated (\d+) times/.exec(stderr)?.[1] ?? 0);
      resolve({ frames, errors });
    });
  });
}

describe('ffmpeg 5.1 and VP8 from Chromium (rtp-decoder.ts: no -fflags nobuffer)', () => {
  // 59 VP8 frames of Chromium's fake camera at 320x240, depacketized by werift, in IVF.
  const file = join(ROOT, 'test/webrtc/fixtures/chromium-vp8.ivf');

  it('with -fflags nobuffer, ffmpeg fails on the frames ("Invalid data found when processing input")', async () => {
    const { frames, errors } = await decode(file, ['-fflags', 'nobuffer']);
    expect(errors).toBeGreaterThan(30);
    expect(frames).toBeLessThan(30);
  });

  it('without it, the same frames decode, with the flags the decoder does use', async () => {
    const { frames, errors } = await decode(file, ['-probesize', '32', '-analyzeduration', '0', '-flags', 'low_delay', '-threads', '1']);
    expect(errors).toBe(0);
    expect(frames).toBe(59);
  });
});
