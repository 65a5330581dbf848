// The receiving end's bookkeeping of bench/webrtc.mjs, shared by the Node side and the Chromium
// page (plain JavaScript, no Node or DOM API): frame numbers read from decoded frames, each
// frame's latency from its capture, and the window's figures.

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
