// After close() on both ends nothing of WebRTC remains: no encoder or decoder process, no UDP
// socket, and the Node process exits by itself (no process.exit()). Run in a child process
// (fixtures/exit-check.mjs, against dist/) so that its exit is the thing tested: once with media
// flowing, once closing while ICE is still connecting, once with bundlePolicy 'max-compat' (whose
// extra transports werift forgets to close by itself). And once while DTLS is handshaking
// (fixtures/handshake-close.mjs), where werift's retransmission of the ClientHello used to hold the
// process 33 s (src/webrtc/dtls-handshake.ts).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/helpers.js';
import { scaled } from '../helpers/wait.js';

const FIXTURE = join(ROOT, 'test/webrtc/fixtures/exit-check.mjs');
const HANDSHAKE_FIXTURE = join(ROOT, 'test/webrtc/fixtures/handshake-close.mjs');
const built = existsSync(join(ROOT, 'dist/index.js'));

/** Runs the fixture; resolves with its exit code, what it printed, and whether it had to be killed. */
function run(args: string[]): Promise<{ code: number | null; killed: boolean; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, args, {
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
      const { code, killed, out, err } = await run([FIXTURE, mode]);
      expect(killed, `the process did not exit by itself: ${err}`).toBe(false);
      expect(code, err).toBe(0);
      const found = JSON.parse(out.trim().split('\n').pop()!);
      expect(found.frames).toBe(mode === 'early' ? 0 : 10);
      expect(found.children).toEqual([]);
      expect(found.udpSockets).toEqual([]);
    });
  }

  it('closing while DTLS is handshaking: the process exits by itself within a second or so, not 33 s', async () => {
    const { code, killed, out, err } = await run([HANDSHAKE_FIXTURE]);
    expect(killed, `the process did not exit by itself: ${err}`).toBe(false);
    expect(code, err).toBe(0);
    const found = JSON.parse(out.trim().split('\n').pop()!) as { states: string[]; closedMs: number; exitMs: number };
    // ICE had connected on pc2 but neither connection had: DTLS was under way.
    expect(found.states).toEqual(['connecting', 'connecting']);
    // Measured by the child's clock from close() to its 'exit': the ClientHello sent 100 ms after
    // ICE connected waits 0.5 s before its first retransmission, where the loop now ends (0.6 s
    // here; 33 s before). The bound leaves room for a busy machine.
    expect(found.exitMs).toBeLessThan(8000);
  });
});
