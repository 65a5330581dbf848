/**
 * When a live device captured each frame, from ffmpeg itself: the `showinfo` filter prints each
 * frame's pts on stderr, and with `-copyts` those are the input's own timestamps: the wall-clock
 * time of the grab for x11grab, the kernel's buffer time for v4l2 (which ffmpeg converts to wall
 * time). Arrival times on our side are later, and bunch up when the event loop was busy; a
 * track's frame-rate decimation would then drop frames that came in a burst.
 *
 * The line, from ffmpeg 5.1 (test/file/capture-times.test.ts checks it still looks like this):
 * `[Parsed_showinfo_0 @ 0x55c9a8172900] n:   0 pts:1795574861760119 pts_time:1.79557e+09 pos: -1 fmt:bgr0 …`
 * preceded once by `… config in time_base: 1/1000000, frame_rate: 10/1`.
 */
import { timeOrigin } from '../../platform/timers.js';

/** The output options that make ffmpeg print the capture times (checksum=0: no per-frame checksum cost). */
export const SHOWINFO_ARGS: readonly string[] = ['-copyts', '-vf', 'showinfo=checksum=0'];

/** A showinfo line: a frame's index and pts, or the filter's time base. */
export type ShowinfoLine = { readonly n: number; readonly pts: number } | { readonly timeBase: number };

/** Parses one stderr line of ffmpeg's showinfo filter (pure); undefined for other lines. */
export function parseShowinfo(line: string): ShowinfoLine | undefined {
  if (!line.includes('Parsed_showinfo')) return undefined;
  let m = /\bn:\s*(\d+)\s+pts:\s*(-?\d+)/.exec(line);
  if (m) return { n: Number(m[1]), pts: Number(m[2]) };
  m = /config in time_base: (\d+)\/(\d+)/.exec(line);
  if (m && Number(m[2]) > 0) return { timeBase: Number(m[1]) / Number(m[2]) };
  return undefined;
}

/** Collects the capture times of one ffmpeg run's frames, by frame index. */
export class CaptureTimes {
  #timeBase = 1e-6;
  readonly #times = new Map<number, number>();

  /** Feeds a stderr line. Returns whether it was a showinfo line (to keep out of error messages). */
  line(text: string): boolean {
    const parsed = parseShowinfo(text);
    if (parsed === undefined) return text.includes('Parsed_showinfo');
    if ('timeBase' in parsed) this.#timeBase = parsed.timeBase;
    else {
      // Wall-clock µs → the performance.now() time line in µs (RealClock's).
      this.#times.set(parsed.n, parsed.pts * this.#timeBase * 1e6 - timeOrigin * 1000);
      // Never let an unread backlog grow (frames whose bytes never came).
      if (this.#times.size > 64) this.#times.delete(this.#times.keys().next().value!);
    }
    return true;
  }

  /** The capture time of frame `n` (µs on the performance.now() time line), forgetting it and older ones. */
  take(n: number): number | undefined {
    const t = this.#times.get(n);
    for (const k of this.#times.keys()) {
      if (k > n) break;
      this.#times.delete(k);
    }
    return t;
  }
}
