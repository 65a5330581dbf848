// Two peers in two Node processes on loopback, signalling over the IPC channel: our camera and
// microphone go to the child, the child's camera comes back; both read the test pattern's frame
// numbers. After close() the child exits by itself.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MediaStreamTrackProcessor } from '../../src/interfaces/MediaStreamTrackProcessor.js';
import { RTCPeerConnection } from '../../src/webrtc/index.js';
import { ROOT } from '../cli/helpers.js';
import { openTab } from '../core/harness.js';
import { scaled } from '../helpers/wait.js';
import { inOrder, readVideo } from './media-check.js';

process.env.MEDIACAPTURE_ICE_ADDRESSES = '127.0.0.1';
const CHILD = join(ROOT, 'test/webrtc/fixtures/peer-child.mjs');
const built = existsSync(join(ROOT, 'dist/index.js'));

/** The next IPC message of `child` that has `key`. */
function message<T = any>(child: ChildProcess, key: string, stderr: () => string = () => ''): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>) => {
      if (!(key in m)) return;
      child.off('message', onMessage);
      resolve(m[key] as T);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the child peer exited (${code}) before sending '${key}': ${stderr()}`)));
  });
}

describe.skipIf(!built)('RTCPeerConnection across two processes', () => {
  const tab = openTab();
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    tab.handle.uninstall();
  });

  it('sends our camera to the other process and receives its camera back; the child exits by itself after close()', async () => {
    child = fork(CHILD, [], { env: { ...process.env, MEDIACAPTURE_BACKENDS: 'builtin' }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    await message(child, 'ready');

    const stream = await tab.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
    const pc = new RTCPeerConnection();
    const remote = new Promise<any>((resolve) => (pc.ontrack = (e: any) => e.track.kind === 'video' && resolve(e.track)));
    pc.onicecandidate = (e: any) => child!.send({ candidate: e.candidate?.toJSON() ?? null });
    child.on('message', (m: any) => m.candidate !== undefined && void pc.addIceCandidate(m.candidate ?? undefined));
    for (const t of stream.getTracks()) pc.addTrack(t as never, stream as never);
    await pc.setLocalDescription(await pc.createOffer());
    const answer = message(child, 'answer', () => stderr);
    child.send({ offer: pc.localDescription!.toJSON() });
    await pc.setRemoteDescription(await answer);

    const received = message<any>(child, 'received', () => stderr);
    const back = await readVideo(new MediaStreamTrackProcessor({ track: await remote }).readable, 30);
    expect([back.width, back.height]).toEqual([320, 240]);
    expect(back.numbers.length).toBeGreaterThanOrEqual(25);
    expect(inOrder(back.numbers)).toBe(true);

    const there = await received;
    expect(there.kinds.sort()).toEqual(['audio', 'video']);
    expect([there.width, there.height]).toEqual([320, 240]);
    expect(there.numbers.length).toBeGreaterThanOrEqual(25);
    expect(inOrder(there.numbers)).toBe(true);

    child.send({ close: true });
    pc.close();
    for (const t of stream.getTracks()) t.stop();
    await RTCPeerConnection.closed(pc);
    // Exits by itself, with nothing left: no timeout of ours, no process.exit() in the child.
    const deadline = new Promise<string>((resolve) => setTimeout(() => resolve('still running'), scaled(15_000)).unref());
    expect(await Promise.race([exited, deadline]), stderr).toBe(0);
  });
});
