/**
 * Shared pieces of the screen-capture tests: a tab whose getDisplayMedia captures a given
 * display, and reading the colour of captured frames.
 */
import { trackOf, type MediaStreamTrack } from '../../src/interfaces/MediaStreamTrack.js';
import type { DeviceProvider } from '../../src/backends/provider.js';
import { i420ToRGBA } from '../../src/media/convert/color.js';
import { attachSink } from '../../src/algorithms/track/sink.js';
import { videoFramePlanes } from '../../src/webcodecs/internal.js';
import type { VideoFrame } from '../../src/webcodecs/video-frame.js';
import type { InstallOptions } from '../../src/install.js';
import { openTab, type Tab } from '../core/harness.js';
import { scaled } from '../helpers/wait.js';

/** A tab whose display backends are `providers`, and whose user picks the screen when asked. */
export function screenTab(providers: DeviceProvider[], options: InstallOptions = {}): Tab {
  return openTab({ permissions: { onPrompt: () => 'granted' }, ...options, displayProviders: providers });
}

/** One captured frame, as RGBA, with its size and timestamp. */
export interface Picture {
  width: number;
  height: number;
  timestamp: number;
  rgba: Uint8Array;
}

/** Converts an I420 VideoFrame to RGBA (BT.601 limited, as ffmpeg's swscale made it). */
export function toPicture(frame: VideoFrame): Picture {
  const p = videoFramePlanes(frame);
  const [y, u, v] = p.layout;
  const width = p.codedWidth;
  const height = p.codedHeight;
  const rgba = new Uint8Array(width * height * 4);
  i420ToRGBA(
    {
      width,
      height,
      y: { data: p.data, offset: y!.offset, stride: y!.stride },
      u: { data: p.data, offset: u!.offset, stride: u!.stride },
      v: { data: p.data, offset: v!.offset, stride: v!.stride },
    },
    { data: rgba, offset: 0, stride: width * 4 },
  );
  return { width, height, timestamp: frame.timestamp!, rgba };
}

/** The RGB of the pixel at (x, y). */
export function pixel(p: Picture, x: number, y: number): [number, number, number] {
  const i = (y * p.width + x) * 4;
  return [p.rgba[i]!, p.rgba[i + 1]!, p.rgba[i + 2]!];
}

/** Whether every channel is within `tolerance` of the expected colour. */
export function near(actual: readonly number[], expected: readonly number[], tolerance = 10): boolean {
  return actual.every((c, i) => Math.abs(c - expected[i]!) <= tolerance);
}

/**
 * Reads frames from a track until `done` says enough (or the timeout passes: rejects with what
 * was seen).
 */
export function readFrames(track: MediaStreamTrack, done: (pictures: Picture[]) => boolean, timeoutMs = scaled(10_000)): Promise<Picture[]> {
  const pictures: Picture[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      detach();
      const last = pictures.at(-1);
      reject(new Error(`gave up after ${pictures.length} frames; last ${last ? `${last.width}x${last.height} centre ${pixel(last, last.width >> 1, last.height >> 1)}` : 'none'}`));
    }, timeoutMs);
    const detach = attachSink(trackOf(track)!, {
      media(m) {
        try {
          pictures.push(toPicture(m as VideoFrame));
        } finally {
          m.close();
        }
        if (done(pictures)) {
          clearTimeout(timer);
          detach();
          resolve(pictures);
        }
      },
    });
  });
}

/**
 * The typical time between frames, µs: the median of the gaps between consecutive timestamps.
 * The timestamps are x11grab's capture times; on a busy machine a grab now and then comes late (one
 * long gap, then catch-up grabs the track's decimation drops), which moves a mean but not the median.
 */
export function medianGap(pictures: readonly Picture[]): number {
  const gaps = frameGaps(pictures).sort((a, b) => a - b);
  return gaps[gaps.length >> 1]!;
}

/** The gaps between consecutive timestamps, µs (for messages). */
export function frameGaps(pictures: readonly Picture[]): number[] {
  return pictures.slice(1).map((p, i) => Math.round(p.timestamp - pictures[i]!.timestamp));
}
