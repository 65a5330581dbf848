// After close() on both ends nothing of WebRTC remains: no encoder or decoder process, no UDP
// socket, and the Node process exits by itself (no process.exit()). Run in a child process
// (fixtures/exit-check.mjs, against dist/) so that its exit is the thing tested: once with media
// flowing, once closing while ICE is still connecting, once with bundlePolicy 'max-compat' (whose
// extra transports werift forgets to close by itself).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/helpers.js';
import { scaled } from '../helpers/wait.js';

const FIXTURE = join(ROOT, 'test/webrtc/fixtures/exit-check.mjs');
const built = existsSync(join(ROOT, 'dist/index.js'));

/** Runs the fixture; resolves with its exit code, what it printed, and whether it had to be killed. */
function run(mode: string): Promise<{ code: number | null; killed: boolean; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [FIXTURE, mode], {
      env: { ...process.env, MEDIACAPTURE_ICE_ADDRESSES: '127.0.0.1' },
      // Far beyond the second or two it takes: only a process that does not exit gets here.
      timeout: scaled(30_000),
      killSignal: 'SIGKILL',
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code, signal) => resolve({ code, killed: signal === 'SIGKILL', out, err }));
  });
}

describe.skipIf(!built)('RTCPeerConnection.close() on both ends', () => {
  for (const mode of ['connected', 'early', 'max-compat']) {
    it(`leaves no process or UDP socket, and the process exits by itself (${mode})`, async () => {
      const { code, killed, out, err } = await run(mode);
      expect(killed, `the process did not exit by itself: ${err}`).toBe(false);
      expect(code, err).toBe(0);
      const found = JSON.parse(out.trim().split('\n').pop()!);
      expect(found.frames).toBe(mode === 'early' ? 0 : 10);
      expect(found.children).toEqual([]);
      expect(found.udpSockets).toEqual([]);
    });
  }
});
