// The media path holds no frame back: each frame written to the RTP encoder comes out of the RTP
// decoder before the next one is written. ffmpeg 5.1 runs the rawvideo "encoder" of the decoder's
// output frame-threaded unless told `-threads 1`, and then hands each picture out only when the
// next frame comes in (rtp-decoder.ts): here the next frame would never come, and the test would
// time out instead of passing 33–68 ms late.
import { describe, expect, it } from 'vitest';
import { TestPattern } from '../../src/media/synthetic/test-pattern.js';
import { videoFrameFromPlanes } from '../../src/webcodecs/internal.js';
import type { VideoFrame } from '../../src/webcodecs/video-frame.js';
import { RtpDecoder } from '../../src/webrtc/rtp-decoder.js';
import { RtpEncoder } from '../../src/webrtc/rtp-encoder.js';
import { loadWerift } from '../../src/webrtc/stack.js';
import { frameNumberOf } from './media-check.js';

describe('RTP encoder → decoder, one frame at a time', () => {
  it('decodes every frame before the next one is sent', async () => {
    const werift = loadWerift();
    const decoded: VideoFrame[] = [];
    let wake: (() => void) | null = null;
    const decoder = new RtpDecoder(werift, {
      kind: 'video',
      onKeyFrameNeeded: () => {},
      onMedia: (media) => {
        decoded.push(media as VideoFrame);
        wake?.();
      },
    });
    const encoder = new RtpEncoder({ kind: 'video', onPacket: (packet) => decoder.input(werift.RtpPacket.deSerialize(packet)) });
    const pattern = new TestPattern(320, 240);
    const write = (n: number) => {
      const timestamp = n * 33_333;
      encoder.write(videoFrameFromPlanes({ format: 'I420', codedWidth: 320, codedHeight: 240, timestamp, data: pattern.render(n, timestamp) }));
    };
    const nextDecoded = async (): Promise<number | null> => {
      while (decoded.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const frame = decoded.shift()!;
      const n = frameNumberOf(frame);
      frame.close();
      return n;
    };
    const numbers: (number | null)[] = [];
    try {
      // A new encoder run's first frame goes into ffmpeg's probing of its input (which
      // `-fflags nobuffer` does not keep): two frames start it; frame 1 comes out first.
      write(0);
      write(1);
      while ((await nextDecoded()) !== 1);
      for (let n = 2; n < 12; n++) {
        write(n);
        // Frame n must come out while nothing follows it.
        numbers.push(await nextDecoded());
      }
    } finally {
      await encoder.close();
      await decoder.close();
    }
    expect(numbers).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(encoder.framesDropped).toBe(0);
  });
});
