/**
 * The live numbers of a recording: frames per second, frames dropped, the audio level. It reads
 * the tracks as one more consumer (frames are shared by reference with the recorder, not copied).
 */
import { trackOf, type MediaStreamTrack } from '../interfaces/MediaStreamTrack.js';
import { attachSink } from '../algorithms/track/sink.js';
import type { AudioData } from '../webcodecs/audio-data.js';
import type { VideoFrame } from '../webcodecs/video-frame.js';
import { formatBytes, formatClock, formatNumber, levelMeter } from './format.js';
import { monotonicNow } from '../platform/timers.js';

/** A snapshot of the monitor's numbers. */
export interface RecordingStats {
  /** Frames that arrived. */
  readonly frames: number;
  /** Frames per second over the last second. */
  readonly fps: number;
  /**
   * Frames missing between the frames that arrived: a gap of more than 1.5 frame intervals in
   * their timestamps counts the frames that would have filled it.
   */
  readonly dropped: number;
  /** The peak amplitude (0..1) of the audio since the last `take()`. */
  readonly peak: number;
}

export class RecordingMonitor {
  readonly #detach: (() => void)[] = [];
  /** Arrival times (ms) of the frames of the last second. */
  readonly #recent: number[] = [];
  #frames = 0;
  #dropped = 0;
  #lastTimestamp: number | undefined;
  #peak = 0;

  constructor(tracks: readonly MediaStreamTrack[]) {
    for (const track of tracks) {
      this.#detach.push(
        attachSink(trackOf(track)!, {
          media: (media) => {
            try {
              if ('codedWidth' in media) this.#frame(media as VideoFrame);
              else this.#audio(media as AudioData);
            } finally {
              media.close();
            }
          },
        }),
      );
    }
  }

  #frame(frame: VideoFrame): void {
    const now = monotonicNow();
    this.#frames++;
    this.#recent.push(now);
    while (this.#recent.length > 0 && now - this.#recent[0]! > 1000) this.#recent.shift();
    const interval = frame.duration ?? 0;
    if (this.#lastTimestamp !== undefined && interval > 0) {
      const gap = frame.timestamp - this.#lastTimestamp;
      if (gap > 1.5 * interval) this.#dropped += Math.round(gap / interval) - 1;
    }
    this.#lastTimestamp = frame.timestamp;
  }

  #audio(audio: AudioData): void {
    const samples = new Float32Array(audio.numberOfFrames);
    for (let c = 0; c < audio.numberOfChannels; c++) {
      audio.copyTo(samples, { planeIndex: c, format: 'f32-planar' });
      for (let i = 0; i < samples.length; i++) {
        const v = Math.abs(samples[i]!);
        if (v > this.#peak) this.#peak = v;
      }
    }
  }

  /** The numbers now; the audio peak starts again from silence. */
  take(): RecordingStats {
    const now = monotonicNow();
    while (this.#recent.length > 0 && now - this.#recent[0]! > 1000) this.#recent.shift();
    const stats = { frames: this.#frames, fps: this.#recent.length, dropped: this.#dropped, peak: this.#peak };
    this.#peak = 0;
    return stats;
  }

  close(): void {
    for (const d of this.#detach.splice(0)) d();
  }
}

/**
 * The status line: `● REC 0:12.3  30 fps  0 dropped  1.2 MiB  ▕█████▍    ▏  -12 dB` (`label`
 * "● LIVE" and `bytesSuffix` " sent" for publish).
 */
export function statusLine(elapsedMs: number, stats: RecordingStats, bytes: number, parts: { video: boolean; audio: boolean }, label = '● REC', bytesSuffix = ''): string {
  const fields = [`${label} ${formatClock(elapsedMs)}`];
  if (parts.video) fields.push(`${formatNumber(stats.fps)} fps`, `${stats.dropped} dropped`);
  fields.push(`${formatBytes(bytes)}${bytesSuffix}`);
  if (parts.audio) fields.push(levelMeter(stats.peak));
  return fields.join('  ');
}
