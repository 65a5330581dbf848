// Publishing to Janus (Debian's package, the videoroom plugin) and subscribing back, all inside a
// private network namespace: the test starts `unshare -n node fixtures/janus-scenario.mjs`, which
// sets up lo and a veth pair, starts Janus with ICE on one end, publishes the built-in camera and
// microphone from the other through the library's videoroom client (src/webrtc/janus/), subscribes
// back and prints what returned as JSON.
//
// Two things make ICE work with both veth ends in one namespace (see the scenario): Janus's libnice
// pins each socket to its candidate's interface (IP_UNICAST_IF), so its packets to the peer's
// address really cross the veth instead of the local table's `lo`; and the kernel drops packets
// (ARP included) whose source is one of its own addresses unless `accept_local` is set.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, onPath } from '../cli/helpers.js';
import { scaled } from '../helpers/wait.js';

const SCENARIO = join(ROOT, 'test/webrtc/fixtures/janus-scenario.mjs');
const missing = [
  onPath('janus') ? null : 'janus (apt-get install janus)',
  onPath('unshare') ? null : 'unshare (util-linux)',
  onPath('ip') ? null : 'ip (iproute2)',
  process.getuid?.() === 0 ? null : 'root (unshare -n and veth need CAP_NET_ADMIN)',
  existsSync(join(ROOT, 'dist/index.js')) ? null : 'dist/ (npm run build)',
].filter((m): m is string => m !== null);
if (missing.length > 0) console.warn(`skipping the Janus tests: missing ${missing.join(', ')}`);

describe.skipIf(missing.length > 0)('publishing to Janus and subscribing back (private network namespace)', () => {
  it('every frame that returns carries the test pattern frame number; the tone returns at 440 Hz', async () => {
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile('unshare', ['-n', process.execPath, SCENARIO], { cwd: ROOT, timeout: scaled(60_000), maxBuffer: 8 << 20 }, (error, stdout, stderr) =>
        error && !stdout ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
      );
    });
    const result = JSON.parse(stdout.trim().split('\n').pop()!);
    // Janus is gone with the scenario (it ends Janus even when signalled).
    const janusPid = Number(/janus pid (\d+)/.exec(stderr)?.[1]);
    expect(janusPid).toBeGreaterThan(0);
    expect(() => process.kill(janusPid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(result.error, result.janusLog).toBeUndefined();
    expect(result.participants).toEqual([expect.objectContaining({ display: 'mediacapture', publisher: true })]);
    expect([result.video.width, result.video.height]).toEqual([320, 240]);
    expect(result.video.decoded).toBeGreaterThan(60);
    expect(result.video.decoded).toBeGreaterThanOrEqual(result.video.frames * 0.95);
    expect(result.video.distinct).toBeGreaterThan(60);
    expect(result.audio.rms).toBeGreaterThan(0.05);
    expect(Math.abs(result.audio.frequency - 440)).toBeLessThan(10);
    // `mediacapture publish janus://127.0.0.1:8088/1234`: its frames came through Janus; it ended by itself.
    expect(result.cli.video.decoded, result.cli.stderr).toBeGreaterThan(40);
    expect(result.cli.video.decoded).toBeGreaterThanOrEqual(result.cli.video.frames * 0.95);
    expect(result.cli.stderr).toMatch(/Publishing to Janus room 1234 at http:\/\/127\.0\.0\.1:8088\/janus \(feed \d+\) for 0:06/);
    expect(result.cli.stdout).toMatch(/^Published 0:0[67]\.\d to Janus room 1234 .*\(stopped by duration\)\n$/);
    expect(result.cli.code).toBe(0);
    // `mediacapture record --from janus://127.0.0.1:8088/1234?display=cli` at the same time: the
    // file's frames carry the publisher's frame numbers, in order. Exit 0, or 10 with its warning
    // when a busy machine made the file shorter than asked (the CLI says so rather than pretend).
    const { code, stderr: recordErr } = result.cli.record;
    expect(code === 0 || (code === 10 && /holds .* of the .* asked for/.test(recordErr)), recordErr).toBe(true);
    expect(result.cli.record.numbers.length).toBeGreaterThan(45);
    const steps = result.cli.record.numbers.slice(1).map((n: number, i: number) => n - result.cli.record.numbers[i]);
    expect(steps.filter((d: number) => d >= 1 && d <= 10).length).toBeGreaterThanOrEqual(steps.length * 0.9);
    // The scenario takes 15-20 s idle (Janus's start, two sessions of 4-6 s, the CLI's two): more on a
    // busy machine. Past the scenario's own limit, execFile ends it (and it ends Janus).
  }, scaled(90_000));
});
