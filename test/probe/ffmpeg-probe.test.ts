/**
 * What ffmpeg can encode is found once per binary, off the event loop where it can be, and kept
 * on disk for the next process (src/backends/ffmpeg/probe.ts). A fake ffmpeg (a shell script that
 * takes its time, prints canned listings and logs each run) shows how often ffmpeg runs and
 * whether the event loop turns meanwhile; the persisted answers go to a private TMPDIR.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearFfmpegProbeCache, probeFfmpeg, probeFfmpegAsync } from '../../src/backends/ffmpeg/probe.js';

const dir = mkdtempSync(join(tmpdir(), 'mediacapture-probe-'));
const savedTmp = process.env.TMPDIR;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
let runs: string;
/** A fake ffmpeg that sleeps `delay` seconds, then prints a listing with libvpx, libopus, webm, unix. */
function fakeFfmpeg(delay: number): string {
  const path = join(dir, `ffmpeg-${++n}`);
  runs = join(dir, `runs-${n}.log`);
  writeFileSync(
    path,
    `#!/bin/sh
echo "$2" >> '${runs}'
sleep ${delay}
case "$2" in
  -encoders) printf 'Encoders:\\n ------\\n V....D libvpx               libvpx VP8 (codec vp8)\\n A....D libopus              libopus Opus (codec opus)\\n' ;;
  -muxers) printf 'File formats:\\n --\\n  E webm            WebM\\n' ;;
  -protocols) printf 'Supported file protocols:\\nInput:\\n  unix\\n  pipe\\nOutput:\\n  pipe\\n' ;;
  *) exit 1 ;;
esac
`,
  );
  chmodSync(path, 0o755);
  return path;
}

const runsSoFar = (): string[] => {
  try {
    return readFileSync(runs, 'utf8').trim().split('\n').filter(Boolean).sort();
  } catch {
    return [];
  }
};

describe('probing ffmpeg', () => {
  beforeEach(() => {
    // The persisted answers go under TMPDIR: a fresh one per test.
    process.env.TMPDIR = mkdtempSync(join(dir, 'tmp-'));
    clearFfmpegProbeCache();
  });
  afterEach(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    clearFfmpegProbeCache();
  });

  it('runs the three listings without blocking the event loop, once per binary, and answers from them', async () => {
    const ffmpeg = fakeFfmpeg(0.3);
    let turned = false;
    const timer = setTimeout(() => (turned = true), 10);
    const probing = probeFfmpegAsync(ffmpeg);
    // A second question while the first runs shares its runs.
    const again = probeFfmpegAsync(ffmpeg);
    const caps = await probing;
    clearTimeout(timer);
    // Each listing takes 300 ms: had the probe blocked, it would have settled before the 10 ms timer.
    expect(turned).toBe(true);
    expect(await again).toBe(caps);
    expect([...caps!.encoders].sort()).toEqual(['libopus', 'libvpx']);
    expect([...caps!.muxers]).toEqual(['webm']);
    expect([...caps!.inputProtocols].sort()).toEqual(['pipe', 'unix']);
    // The synchronous question (isTypeSupported) now answers from memory.
    expect(probeFfmpeg(ffmpeg)).toBe(caps);
    expect(runsSoFar()).toEqual(['-encoders', '-muxers', '-protocols']);
  });

  it('persists the answer: a new process (memory cleared) runs ffmpeg no more, until the binary changes', async () => {
    const ffmpeg = fakeFfmpeg(0);
    const first = await probeFfmpegAsync(ffmpeg);
    clearFfmpegProbeCache();
    const read = probeFfmpeg(ffmpeg);
    expect(read).not.toBe(first);
    expect([...read!.encoders].sort()).toEqual([...first!.encoders].sort());
    clearFfmpegProbeCache();
    expect((await probeFfmpegAsync(ffmpeg))!.muxers.has('webm')).toBe(true);
    expect(runsSoFar()).toHaveLength(3);
    // Replaced (another mtime): probed afresh.
    const later = new Date(Date.now() + 60_000);
    utimesSync(ffmpeg, later, later);
    clearFfmpegProbeCache();
    expect(probeFfmpeg(ffmpeg)!.encoders.has('libvpx')).toBe(true);
    expect(runsSoFar()).toHaveLength(6);
  });

  it('on a cold cache, a synchronous question blocks at most its budget, and then says "cannot tell" without caching it', async () => {
    const ffmpeg = fakeFfmpeg(2);
    // "Cannot tell" is the answer of a question that stopped waiting: the listing, which takes 2 s,
    // would have told. (How long it blocks is the budget plus reaping the killed child, which a
    // busy machine stretches: not asserted here.)
    expect(probeFfmpeg(ffmpeg, { budgetMs: 200 })).toBeNull();
    // The asynchronous probe it started answers the next questions.
    const caps = await probeFfmpegAsync(ffmpeg);
    expect(caps?.encoders.has('libopus')).toBe(true);
    expect(probeFfmpeg(ffmpeg)).toBe(caps);
  });

  it('says null, without running anything, for a program that does not exist', async () => {
    expect(probeFfmpeg(join(dir, 'no-such-ffmpeg'))).toBeNull();
    expect(await probeFfmpegAsync(join(dir, 'no-such-ffmpeg'))).toBeNull();
  });
});
