// The frame code through real lossy codecs: ffmpeg scales and encodes a run of test-pattern frames
// with VP8 and H.264 at ordinary bitrates, decodes them, and every frame's number must read back.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestPattern, i420Layout } from '../../src/media/synthetic/test-pattern.js';
import { decodeFrameNumber } from '../../src/media/synthetic/frame-code.js';

const hasFfmpeg = spawnSync('ffmpeg', ['-hide_banner', '-version'], { stdio: 'ignore' }).status === 0;

/**
 * Renders `count` frames from `first` at w×h, runs them through `ffmpeg -vf <filter>` and the
 * encoder, decodes, and returns the decoded numbers.
 */
function roundTrip(w: number, h: number, first: number, count: number, filter: string, out: [number, number], codecArgs: string[], ext: string) {
  const p = new TestPattern(w, h);
  const raw = Buffer.alloc(p.layout.byteLength * count);
  for (let i = 0; i < count; i++) p.render(first + i, (i * 1e6) / 30, raw.subarray(i * p.layout.byteLength));
  const dir = mkdtempSync(join(tmpdir(), 'frame-code-'));
  try {
    const file = join(dir, `clip.${ext}`);
    const enc = spawnSync(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${w}x${h}`, '-r', '30',
        '-i', 'pipe:0', '-vf', filter, ...codecArgs, '-y', file],
      { input: raw, maxBuffer: 1 << 28 },
    );
    expect(enc.status, enc.stderr.toString()).toBe(0);
    const dec = spawnSync(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'],
      { maxBuffer: 1 << 28 },
    );
    expect(dec.status, dec.stderr.toString()).toBe(0);
    const [ow, oh] = out;
    const size = i420Layout(ow, oh).byteLength;
    expect(dec.stdout.length).toBe(size * count);
    const numbers: (number | null)[] = [];
    for (let i = 0; i < count; i++) {
      numbers.push(decodeFrameNumber({ format: 'I420', width: ow, height: oh, data: dec.stdout.subarray(i * size, (i + 1) * size) }));
    }
    return numbers;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const expected = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);

describe.skipIf(!hasFfmpeg)('frame code through lossy codecs (ffmpeg)', () => {
  it('VP8 at 150 kbit/s, 640×480 scaled to 160×120', () => {
    const got = roundTrip(640, 480, 777_700, 60, 'scale=160:120:flags=area', [160, 120],
      ['-c:v', 'libvpx', '-b:v', '150k', '-deadline', 'realtime', '-cpu-used', '8'], 'webm');
    expect(got).toEqual(expected(777_700, 60));
  });

  it('H.264 at 300 kbit/s, 1280×720 scaled to 320×180', () => {
    const got = roundTrip(1280, 720, 4_321, 60, 'scale=320:180:flags=area', [320, 180],
      ['-c:v', 'libx264', '-b:v', '300k', '-preset', 'veryfast', '-pix_fmt', 'yuv420p'], 'mp4');
    expect(got).toEqual(expected(4_321, 60));
  });

  it('VP8 after crop-and-scale from 1280×720 to 160×120', () => {
    const got = roundTrip(1280, 720, 1_000, 30, 'crop=960:720,scale=160:120:flags=area', [160, 120],
      ['-c:v', 'libvpx', '-b:v', '150k', '-deadline', 'realtime', '-cpu-used', '8'], 'webm');
    expect(got).toEqual(expected(1_000, 30));
  });
});
