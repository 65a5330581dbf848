/**
 * The container framing the ffmpeg encoder backend reads and writes: the raw Matroska stream it
 * feeds ffmpeg (timestamps kept, gaps left as gaps), and the splitting of ffmpeg's output into
 * units (header, clusters, fragments, pages) however the pipe cuts it.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { OutputSplitter } from '../../src/backends/ffmpeg/output-units.js';
import { ebmlSize, RawMatroskaWriter } from '../../src/backends/ffmpeg/raw-matroska.js';
import type { Container } from '../../src/backends/encoder.js';

/** Cuts `bytes` into chunks of pseudo-random sizes (1 byte to 64 KiB), as a pipe might. */
function chunks(bytes: Uint8Array, seed: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let state = seed;
  for (let at = 0; at < bytes.length; ) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (state % (state % 3 === 0 ? 64 : 65536));
    out.push(bytes.slice(at, at + size));
    at += size;
  }
  return out;
}

describe('raw Matroska input (raw-matroska.ts)', () => {
  it('EBML sizes: the shortest form, never all ones', () => {
    expect(ebmlSize(0)).toEqual([0x80]);
    expect(ebmlSize(126)).toEqual([0xfe]);
    expect(ebmlSize(127)).toEqual([0x40, 0x7f]);
    expect(ebmlSize(3_110_404)).toEqual([0x10, 0x2f, 0x76, 0x04]);
  });

  it('ffmpeg reads the frames and samples at their times; a dropped frame is a gap, not a repeat', () => {
    const writer = new RawMatroskaWriter({ video: { width: 32, height: 16 }, audio: { sampleRate: 48_000, channels: 1 } });
    const parts: Uint8Array[] = [writer.header()];
    const frame = new Uint8Array(32 * 16 * 1.5).fill(128);
    const samples = new Uint8Array(480 * 4);
    // Frames in slots 0, 1, 2, then 5 (3 and 4 dropped), then 40 s later (a new cluster).
    for (const [slot, ms] of [[0, 0], [1, 33.3], [2, 66.7], [5, 166.7], [1200, 40_000]] as const) {
      parts.push(writer.blockHeader(writer.videoTrack, ms, frame.length), frame);
      parts.push(writer.blockHeader(writer.audioTrack, slot * 10, samples.length), samples);
    }
    const input = Buffer.concat(parts);
    const out = execFileSync('ffprobe', ['-v', 'error', '-f', 'matroska', '-i', 'pipe:0', '-show_entries', 'packet=stream_index,pts_time', '-show_entries', 'stream=codec_name,pix_fmt,sample_fmt', '-of', 'csv=p=0'], { input, encoding: 'utf8' });
    const lines = out.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('0,')).map((l) => Number(l.split(',')[1]))).toEqual([0, 0.033, 0.067, 0.167, 40]);
    expect(lines.filter((l) => l.startsWith('1,'))).toHaveLength(5);
    expect(lines).toEqual(expect.arrayContaining(['rawvideo,yuv420p', 'pcm_f32le,flt']));
  });
});

describe("ffmpeg's output split into units (output-units.ts)", () => {
  const cases: [Container, string[]][] = [
    ['webm', ['-c:v', 'libvpx', '-deadline', 'realtime', '-c:a', 'libopus', '-cluster_time_limit', '100', '-f', 'webm']],
    ['mp4', ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '100000', '-f', 'mp4']],
    ['ogg', ['-vn', '-c:a', 'libopus', '-page_duration', '100000', '-f', 'ogg']],
  ];
  it.each(cases)('%s: the header, then units of media, whatever the chunks', (container, output) => {
    const file = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=30:duration=1', '-f', 'lavfi', '-i', 'sine=duration=1', ...output, 'pipe:1'], { maxBuffer: 1 << 26 });
    for (const seed of [1, 2, 3]) {
      const splitter = new OutputSplitter(container);
      const units = chunks(file, seed).flatMap((c) => splitter.push(c));
      const rest = splitter.flush();
      expect(rest).toBeNull();
      expect(Buffer.concat(units.map((u) => u.bytes))).toEqual(file);
      expect(units[0]!.media).toBe(false);
      // About 100 ms of media each.
      expect(units.filter((u) => u.media).length).toBeGreaterThanOrEqual(5);
    }
  });

  it('a unit cut short (the encoder died) comes out at the end; bytes it cannot frame pass through', () => {
    const file = execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=1', '-c:a', 'libopus', '-cluster_time_limit', '100', '-f', 'webm', 'pipe:1']);
    const splitter = new OutputSplitter('webm');
    const cut = file.subarray(0, file.length - 10);
    const units = splitter.push(cut);
    const rest = splitter.flush()!;
    expect(Buffer.concat([...units.map((u) => u.bytes), rest.bytes])).toEqual(cut);
    const garbage = new OutputSplitter('mp4');
    expect(garbage.push(new Uint8Array([0, 0, 0, 2, 1, 2, 3, 4, 5]))).toEqual([{ bytes: new Uint8Array([0, 0, 0, 2, 1, 2, 3, 4, 5]), media: true }]);
  });
});
