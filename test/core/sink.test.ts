import { describe, expect, it } from 'vitest';
import { attachSink, installGlobals, VirtualClock, type VideoFrame } from '../../src/index.js';
import { testSaltPath, tasks } from './harness.js';

function lab() {
  const clock = new VirtualClock();
  const handle = installGlobals({}, { clock, saltPath: testSaltPath });
  return { clock, md: handle.mediaDevices, uninstall: () => handle.uninstall() };
}

describe('attachSink (the public track sink)', () => {
  it('hands over frames at the track settings, black while disabled, then ended once', async () => {
    const { clock, md, uninstall } = lab();
    const [track] = (await md.getUserMedia({ video: { width: 320, height: 180, frameRate: 10 } })).getVideoTracks();
    const sizes: string[] = [];
    const lumas: number[] = [];
    let ended = 0;
    const detach = attachSink(track!, {
      media(frame) {
        const f = frame as VideoFrame;
        sizes.push(`${f.displayWidth}x${f.displayHeight}`);
        const y = new Uint8Array(f.allocationSize());
        void f.copyTo(y);
        lumas.push(Math.max(...y.subarray(0, f.displayWidth * f.displayHeight)));
        f.close();
      },
      ended: () => ended++,
    });
    clock.advance(1000);
    expect(sizes).toHaveLength(10);
    expect(new Set(sizes)).toEqual(new Set(['320x180']));
    expect(Math.max(...lumas)).toBeGreaterThan(16);
    track!.enabled = false;
    lumas.length = 0;
    clock.advance(500);
    expect(lumas).toHaveLength(5);
    // Zero-information content: black frames (limited-range luma 16).
    expect(Math.max(...lumas)).toBeLessThanOrEqual(16);
    track!.stop();
    await tasks();
    expect(ended).toBe(1);
    detach();
    uninstall();
  });

  it('stops the flow when detached: the source idles', async () => {
    const { clock, md, uninstall } = lab();
    const [track] = (await md.getUserMedia({ audio: true })).getAudioTracks();
    let chunks = 0;
    const detach = attachSink(track!, { media: (m) => (chunks++, m.close()) });
    clock.advance(100);
    expect(chunks).toBeGreaterThan(0);
    detach();
    const before = chunks;
    clock.advance(100);
    expect(chunks).toBe(before);
    track!.stop();
    uninstall();
  });

  it('throws a TypeError naming the bad argument', () => {
    expect(() => attachSink({} as never, { media: () => {} })).toThrow(/argument 1 is not a MediaStreamTrack/);
    const { md, uninstall } = lab();
    return md.getUserMedia({ audio: true }).then((stream) => {
      const [track] = stream.getAudioTracks();
      expect(() => attachSink(track!, {} as never)).toThrow(/argument 2 is not a sink/);
      track!.stop();
      uninstall();
    });
  });
});
