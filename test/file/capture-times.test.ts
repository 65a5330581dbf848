/**
 * Capture times of live frames from ffmpeg's showinfo filter (src/backends/common/capture-times.ts).
 */
import { describe, expect, it } from 'vitest';
import { CaptureTimes, SHOWINFO_ARGS, parseShowinfo } from '../../src/backends/common/capture-times.js';
import { runProgram } from '../../src/backends/common/process.js';

describe('parseShowinfo', () => {
  it('reads the frame index and pts, and the time base', () => {
    expect(parseShowinfo('[Parsed_showinfo_0 @ 0x55c9a8172900] n:   0 pts:1795574861760119 pts_time:1.79557e+09 pos:       -1 fmt:bgr0 sar:0/1 s:320x240 i:P iskey:1 type:I')).toEqual({ n: 0, pts: 1795574861760119 });
    expect(parseShowinfo('[Parsed_showinfo_0 @ 0x55c9a8172900] n:  33 pts:2154689944157012 pts_time:1.79557e+09 pos:    31597 fmt:yuvj444p')).toEqual({ n: 33, pts: 2154689944157012 });
    expect(parseShowinfo('[Parsed_showinfo_0 @ 0x56414a1c3840] config in time_base: 1/1200000, frame_rate: 30/1')).toEqual({ timeBase: 1 / 1200000 });
    expect(parseShowinfo('[Parsed_showinfo_0 @ 0x1] color_range:unknown color_space:unknown')).toBeUndefined();
    expect(parseShowinfo('[x11grab @ 0x1] Stream #0: not enough frames to estimate rate')).toBeUndefined();
  });

  it('CaptureTimes maps wall-clock pts onto the performance.now() line, in the time base given', () => {
    const times = new CaptureTimes();
    const at = performance.now();
    const wallMicros = (performance.timeOrigin + at) * 1000;
    expect(times.line('[Parsed_showinfo_0 @ 0x1] config in time_base: 1/1200000, frame_rate: 30/1')).toBe(true);
    expect(times.line(`[Parsed_showinfo_0 @ 0x1] n:   4 pts:${Math.round(wallMicros * 1.2)} pts_time:1.8e+09`)).toBe(true);
    expect(times.line('[Parsed_showinfo_0 @ 0x1] color_range:unknown')).toBe(true);
    expect(times.line('Input #0, lavfi, from …')).toBe(false);
    expect(times.take(3)).toBeUndefined();
    // Frame 4 was captured at `at` on the performance.now() line (to the µs the pts rounding allows).
    expect(Math.abs(times.take(4)! - at * 1000)).toBeLessThanOrEqual(2);
    expect(times.take(4)).toBeUndefined();
  });

  it('ffmpeg 5.1 still prints showinfo lines in that form, with -copyts keeping the input\'s wall-clock pts', async () => {
    const before = performance.now() * 1000;
    const { exit } = await runProgram('ffmpeg', [
      '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
      '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=30,setpts=RTCTIME/(1000000*TB)',
      ...SHOWINFO_ARGS, '-frames:v', '3', '-f', 'null', '-',
    ]);
    const times = new CaptureTimes();
    for (const line of exit.stderrTail.split('\n')) times.line(line);
    const after = performance.now() * 1000;
    const t = [0, 1, 2].map((n) => times.take(n));
    // Each frame was made while ffmpeg ran (give or take a frame interval: the wall clock and the
    // monotonic clock may have drifted apart a little since this process started).
    const frame = 1e6 / 30;
    for (const x of t) {
      expect(x).toBeGreaterThanOrEqual(before - frame);
      expect(x).toBeLessThanOrEqual(after + frame);
    }
    expect(t).toEqual([...t].sort((a, b) => a! - b!));
  });
});
