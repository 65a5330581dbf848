// The RTP encoder alone: VP8 key frames come first and where they are asked for (a PLI), and
// nowhere else. ffmpeg cannot be asked for one while it runs, so a request restarts it
// (rtp-encoder.ts).
import { describe, expect, it } from 'vitest';
import { i420Layout } from '../../src/media/synthetic/test-pattern.js';
import { videoFrameFromPlanes } from '../../src/webcodecs/internal.js';
import { KEY_FRAME_RESTART_MS, RtpEncoder } from '../../src/webrtc/rtp-encoder.js';
import { until } from '../helpers/wait.js';

const started = Date.now();
const untilRestartAllowed = () => until(() => Date.now() - started > KEY_FRAME_RESTART_MS + 100);

/** Whether an RTP packet starts a VP8 key frame (RFC 7741 §4.2 descriptor, §4.3 payload header). */
function startsKeyFrame(packet: Buffer): boolean {
  const p = packet.subarray(12 + 4 * (packet[0]! & 0x0f));
  let i = 1;
  if (p[0]! & 0x80) {
    const x = p[i++]!;
    if (x & 0x80) i += p[i]! & 0x80 ? 2 : 1;
    if (x & 0x40) i++;
    if (x & 0x30) i++;
  }
  return (p[0]! & 0x10) !== 0 && (p[i]! & 1) === 0;
}

describe('RtpEncoder (VP8)', () => {
  it('makes a key frame first and where requestKeyFrame() asked, and none elsewhere', async () => {
    // Key frames by the index of the frame they encode: frames come out in order.
    const keyFrames: number[] = [];
    let framesOut = 0;
    let frameDone: (() => void) | null = null;
    const encoder = new RtpEncoder({
      kind: 'video',
      onPacket: (packet) => {
        if (startsKeyFrame(packet)) keyFrames.push(framesOut);
        // The marker bit ends a frame.
        if (packet[1]! & 0x80) {
          framesOut++;
          frameDone?.();
        }
      },
    });
    const size = i420Layout(320, 240).byteLength;
    for (let frameIndex = 0; frameIndex < 40; frameIndex++) {
      // At most two frames in the encoder (its input reads one block ahead): never one it drops.
      // The restart for the key frame loses the (at most two) frames the old run held.
      while (framesOut < frameIndex - 1 - (frameIndex > 25 ? 2 : 0)) await new Promise<void>((resolve) => (frameDone = resolve));
      // (A request in the first second after a start waits for that second to pass.)
      if (frameIndex === 25) await untilRestartAllowed();
      if (frameIndex === 25) encoder.requestKeyFrame();
      const data = new Uint8Array(size).fill(16 + frameIndex * 4);
      encoder.write(videoFrameFromPlanes({ format: 'I420', codedWidth: 320, codedHeight: 240, timestamp: frameIndex * 33_333, data }));
    }
    while (framesOut < 36) await new Promise<void>((resolve) => (frameDone = resolve));
    await encoder.close();
    expect(encoder.framesDropped).toBe(0);
    expect(keyFrames.length).toBe(2);
    expect(keyFrames[0]).toBe(0);
    expect(keyFrames[1]).toBeGreaterThanOrEqual(23);
    expect(keyFrames[1]).toBeLessThanOrEqual(25);
    expect(encoder.pid).toBeUndefined();
  });
});
