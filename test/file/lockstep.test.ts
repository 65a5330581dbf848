// A camera's, a screen's or a file's ffmpeg hands each frame out as soon as it has it: fed one
// frame at a time, the output command of every ffmpeg source (ffmpegOutput) gives each frame
// before the next one is written. Without `-threads 1`, ffmpeg 5.1 runs the rawvideo "encoder"
// frame-threaded and holds each picture until the next comes in: here the next never comes
// until the last one is out, and the test would time out instead of passing a frame late.
import { spawn } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ffmpegOutput } from '../../src/backends/common/ffmpeg-source.js';
import { i420Size } from '../../src/media/convert/image.js';

describe('ffmpeg sources, one frame at a time', () => {
  it("each frame comes out of the source's ffmpeg before the next one goes in", async () => {
    const mode = { width: 64, height: 48, frameRate: 30 };
    const size = i420Size(mode.width, mode.height);
    const ffmpeg = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'yuv4mpegpipe', '-i', 'pipe:0', ...ffmpegOutput(mode as never, 'live').args], { stdio: ['pipe', 'pipe', 'inherit'] });
    let received = 0;
    let wake: (() => void) | null = null;
    ffmpeg.stdout.on('data', (chunk: Buffer) => {
      received += chunk.length;
      wake?.();
    });
    onTestFinished(() => void ffmpeg.kill('SIGKILL'));
    const header = `YUV4MPEG2 W${mode.width} H${mode.height} F30:1 Ip A1:1 C420jpeg\n`;
    ffmpeg.stdin.write(header);
    for (let n = 1; n <= 5; n++) {
      ffmpeg.stdin.write('FRAME\n');
      ffmpeg.stdin.write(Buffer.alloc(size, n * 40));
      // Frame n is out before frame n + 1 is written (the test's timeout says it never came).
      await new Promise<void>((resolve) => {
        wake = () => received >= n * size && resolve();
        wake();
      });
      expect(received).toBe(n * size);
    }
    ffmpeg.stdin.end();
    await new Promise((resolve) => ffmpeg.on('exit', resolve));
  });
});
