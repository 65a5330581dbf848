/**
 * Quirks of the system ffmpeg that the recorder works around. Each test shows the quirk still
 * exists; when one fails, the workaround named in it can go.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupTemp, tempFile } from './helpers.js';

afterAll(cleanupTemp);

const sine = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=1'];

function decodedSamples(path: string): number {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'f32le', '-ac', '1', 'pipe:1'], { maxBuffer: 1 << 26 }).length / 4;
}

describe('ffmpeg 5.1 quirks', () => {
  it('fragmented MP4 has no edit list for AAC priming (the seekable copy is not fragmented: seekableMuxerOptions)', () => {
    const frag = execFileSync('ffmpeg', ['-v', 'error', ...sine, '-c:a', 'aac', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', 'pipe:1']);
    // 48000 samples are 47 frames of 1024 (48128); the fragmented file also plays the 1024 priming samples.
    expect(decodedSamples(tempFile(frag, 'mp4'))).toBe(48128 + 1024);
  });

  it('libaom-av1 output is refused by the Matroska muxer on a pipe (why AV1 is not offered)', () => {
    const r = spawnSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=1', '-c:v', 'libaom-av1', '-usage', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-g', '100', '-f', 'webm', 'pipe:1'], { maxBuffer: 1 << 26 });
    expect(r.status).not.toBe(0);
    expect(String(r.stderr)).toMatch(/Invalid data found/);
  });
});
