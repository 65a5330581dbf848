// The receiving end of bench/webrtc.mjs, shared by the Node side and the Chromium page (plain
// JavaScript: no Node or DOM API, only MediaStreamTrackProcessor and VideoFrame, which both have):
// frame numbers read from decoded frames, each frame's latency from its capture, and the window's
// figures.

/** Rows of the picture copied out of each frame to read its code: the top third holds the code's band (frame-code.ts). */
export const bandHeight = (height) => Math.min(height, (Math.ceil(height * 0.34) + 1) & ~1);

/** Counts the frames read during a window. `captureTime(n)` (ms, on the reader's clock) is when frame n was captured. */
export class LatencyWindow {
  constructor(captureTime) {
    this.captureTime = captureTime;
    this.counting = false;
    this.reset();
  }

  reset() {
    this.latencies = [];
    this.seen = new Set();
    this.unreadable = 0;
    this.first = null;
    this.last = null;
    this.sizes = new Set();
  }

  /** One decoded frame, read at `readAt` (ms, same clock), whose code said `n` (null: unreadable). */
  frame(n, readAt, width, height) {
    if (!this.counting) return;
    this.sizes.add(`${width}x${height}`);
    if (n === null) return void this.unreadable++;
    // A frame number seen twice (the decoder repeating a picture) counts once.
    if (this.seen.has(n)) return;
    this.seen.add(n);
    this.first = this.first === null ? n : Math.min(this.first, n);
    this.last = this.last === null ? n : Math.max(this.last, n);
    this.latencies.push(readAt - this.captureTime(n));
  }

  /** The window's figures: distinct frames, frames lost between the first and last, latency percentiles (ms). */
  summary(wallSeconds) {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const q = (p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);
    return {
      frames: this.seen.size,
      fps: this.seen.size / wallSeconds,
      lost: this.first === null ? 0 : this.last - this.first + 1 - this.seen.size,
      unreadable: this.unreadable,
      latency: { p50: q(0.5), p90: q(0.9), p99: q(0.99), min: sorted[0] ?? null, max: sorted[sorted.length - 1] ?? null, mean: sorted.length ? sorted.reduce((s, x) => s + x, 0) / sorted.length : null },
      sizes: [...this.sizes],
    };
  }
}

/**
 * Reads `track`'s decoded frames until it ends, each one's code read from the top band of its
 * luma (`decode` is frame-code.ts's decodeFrameNumber, imported by the caller from where it
 * runs). Frames of another size than width × height are counted as unreadable (null). Calls
 * `onFrame(n, readAt, w, h)` with `readAt = now()`, then `onFirst()` once.
 */
export async function readFrameCodes(track, { width, height, decode, now, onFrame, onFirst }) {
  const reader = new MediaStreamTrackProcessor({ track }).readable.getReader();
  let buffer = new Uint8Array(0);
  let first = true;
  for (;;) {
    const { value: frame, done } = await reader.read();
    if (done) break;
    const readAt = now();
    const w = frame.displayWidth;
    const h = frame.displayHeight;
    const rect = { x: 0, y: 0, width: w, height: bandHeight(h) };
    const size = frame.allocationSize({ rect });
    // The decoder wants a whole luma plane: the band's luma fills its first rows, the rest
    // (the band's chroma, stale bytes) lies below the code and is never read.
    if (buffer.length < Math.max(size, w * h)) buffer = new Uint8Array(Math.max(size, w * h));
    const [luma] = await frame.copyTo(buffer, { rect });
    frame.close();
    const n = w === width && h === height ? decode({ y: buffer.subarray(luma.offset), width: w, height: h, stride: luma.stride }) : null;
    onFrame(n, readAt, w, h);
    if (first) onFirst();
    first = false;
  }
}
