// RTCPeerConnection over the wrtc stack (@roamhq/wrtc in a host process) talking to one over
// werift, in this process: our camera and microphone go out through libwebrtc and come back
// through werift (frame numbers read from the pixels, the 440 Hz tone), and werift's sending
// comes back through libwebrtc's decoder as our tracks.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaStreamTrackProcessor } from '../../src/interfaces/MediaStreamTrackProcessor.js';
import { RTCPeerConnection, type RTCTrackEvent } from '../../src/webrtc/index.js';
import { HOST_EXIT_WARNING } from '../../src/webrtc/wrtc/connection.js';
import { ROOT } from '../cli/helpers.js';
import { openTab } from '../core/harness.js';
import { scaled, until, waitFor } from '../helpers/wait.js';
import { inOrder, readTone, readVideo } from './media-check.js';
import { connect, connection, hostPids, missing } from './wrtc-helpers.js';

process.env.MEDIACAPTURE_ICE_ADDRESSES = '127.0.0.1';

describe.skipIf(missing)('RTCPeerConnection over wrtc, to a werift peer', () => {
  const tab = openTab();
  let wrtc: RTCPeerConnection;
  let werift: RTCPeerConnection;
  const atWerift: RTCTrackEvent[] = [];
  const atWrtc: RTCTrackEvent[] = [];
  let stream: MediaStream;

  beforeAll(async () => {
    stream = (await tab.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true })) as unknown as MediaStream;
    wrtc = connection('wrtc');
    werift = connection('werift');
    werift.ontrack = (e) => atWerift.push(e as RTCTrackEvent);
    wrtc.ontrack = (e) => atWrtc.push(e as RTCTrackEvent);
    for (const track of stream.getTracks()) wrtc.addTrack(track as never, stream as never);
    const back = stream.clone();
    for (const track of back.getTracks()) werift.addTrack(track as never, back as never);
    await connect(wrtc, werift);
  });

  afterAll(async () => {
    for (const t of stream?.getTracks() ?? []) t.stop();
    wrtc?.close();
    werift?.close();
    await RTCPeerConnection.closed(wrtc);
    await RTCPeerConnection.closed(werift);
    tab.handle.uninstall();
  });

  it('signals: both sides see the remote tracks, in the sender stream', () => {
    expect(atWerift.map((e) => e.track.kind).sort()).toEqual(['audio', 'video']);
    for (const e of atWerift) expect(e.streams.map((s) => s.id)).toEqual([stream.id]);
    expect(atWrtc.map((e) => e.track.kind).sort()).toEqual(['audio', 'video']);
  });

  it('signals loopback candidates only, and talks to loopback only, from an address of this machine (getStats from the host)', async () => {
    const lines = wrtc.localDescription!.sdp.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.split(' ')[4]).toBe('127.0.0.1');
    // Once media flows: a nominated pair, and frames encoded.
    const stats = await until(async () => {
      const all = [...(await wrtc.getStats()).values()] as Record<string, unknown>[];
      return all.some((s) => s.type === 'outbound-rtp' && s.kind === 'video' && (s.framesEncoded as number) > 0) && all;
    }, { what: 'frames encoded', pollMs: 100 });
    const byId = new Map(stats.map((s) => [s.id, s as { address?: string; ip?: string }]));
    const pair = stats.find((s) => s.type === 'candidate-pair' && s.state === 'succeeded' && s.nominated);
    expect(pair).toBeDefined();
    const address = (id: unknown) => byId.get(id)!.address || byId.get(id)!.ip;
    // The peer's address: 127.0.0.1, or a peer-reflexive candidate (its check came before its
    // candidate), whose address libwebrtc leaves out of the report.
    const remote = byId.get(pair!.remoteCandidateId) as { candidateType?: string };
    if (remote.candidateType !== 'prflx') expect(address(pair!.remoteCandidateId)).toBe('127.0.0.1');
    // libwebrtc gathers on every interface and wrtc cannot be told otherwise: it may send from
    // another address of this machine (see the README), but never to one beyond it.
    const own = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
    expect(own).toContain(address(pair!.localCandidateId));
  });

  it('our camera through libwebrtc: frames whose numbers read back in order', async () => {
    const video = atWerift.find((e) => e.track.kind === 'video')!.track;
    const reading = await readVideo(new MediaStreamTrackProcessor({ track: video as never }).readable, 45);
    expect([reading.width, reading.height]).toEqual([320, 240]);
    expect(reading.numbers.length).toBeGreaterThanOrEqual(40);
    expect(inOrder(reading.numbers)).toBe(true);
  });

  it("our microphone's 440 Hz tone through libwebrtc", async () => {
    const audio = atWerift.find((e) => e.track.kind === 'audio')!.track;
    const tone = await readTone(new MediaStreamTrackProcessor({ track: audio as never }).readable, 0.5);
    expect(tone.rms).toBeGreaterThan(0.05);
    expect(Math.abs(tone.frequency - 440)).toBeLessThan(10);
  });

  it("the werift peer's camera, decoded by libwebrtc, as our track", async () => {
    const video = atWrtc.find((e) => e.track.kind === 'video')!.track;
    const reading = await readVideo(new MediaStreamTrackProcessor({ track: video as never }).readable, 30);
    expect([reading.width, reading.height]).toEqual([320, 240]);
    expect(reading.numbers.length).toBeGreaterThanOrEqual(25);
    expect(inOrder(reading.numbers)).toBe(true);
    expect(wrtc.connectionState).toBe('connected');
  });

  it("the werift peer's microphone, decoded by libwebrtc: the 440 Hz tone", async () => {
    const audio = atWrtc.find((e) => e.track.kind === 'audio')!.track;
    const tone = await readTone(new MediaStreamTrackProcessor({ track: audio as never }).readable, 0.5);
    expect(tone.rms).toBeGreaterThan(0.05);
    expect(Math.abs(tone.frequency - 440)).toBeLessThan(10);
  });
});

describe.skipIf(missing)('RTCPeerConnection over wrtc: addTransceiver', () => {
  const tab = openTab();
  afterAll(() => tab.handle.uninstall());

  it('addTransceiver(track, { direction: "sendonly", streams }) sends the track, in our stream, negotiated sendonly; a contentHint change keeps it flowing', async () => {
    const stream = (await tab.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } })) as unknown as MediaStream;
    const pc = connection('wrtc');
    const peer = connection('werift');
    const transceiver = pc.addTransceiver(stream.getVideoTracks()[0] as never, { direction: 'sendonly', streams: [stream as never] });
    expect(transceiver.direction).toBe('sendonly');
    expect(transceiver.mid).toBeNull();
    const remote = new Promise<RTCTrackEvent>((resolve) => (peer.ontrack = (e) => resolve(e as RTCTrackEvent)));
    await connect(pc, peer);
    const event = await remote;
    expect(event.streams.map((s) => s.id)).toEqual([stream.id]);
    expect(transceiver.mid).toBe('0');
    expect(transceiver.currentDirection).toBe('sendonly');
    const readable = new MediaStreamTrackProcessor({ track: event.track as never }).readable;
    const reading = await readVideo(readable, 10);
    expect(reading.numbers.length).toBeGreaterThanOrEqual(8);
    // contentHint "detail" makes the host's source a screencast (a new source, swapped in with
    // replaceTrack): the frames go on, later ones.
    const source = async () => ([...(await pc.getStats()).values()] as { type: string; trackIdentifier?: string }[]).find((s) => s.type === 'media-source')?.trackIdentifier;
    const first = await source();
    expect(first).toBeTruthy();
    stream.getVideoTracks()[0]!.contentHint = 'detail';
    const later = await readVideo(readable, 20);
    expect(later.numbers.length).toBeGreaterThanOrEqual(15);
    expect(Math.min(...later.numbers)).toBeGreaterThan(Math.max(...reading.numbers));
    expect(await source()).not.toBe(first);
    pc.close();
    peer.close();
    for (const t of stream.getTracks()) t.stop();
    await RTCPeerConnection.closed(pc);
    await RTCPeerConnection.closed(peer);
  });
});

describe.skipIf(missing)('the wrtc host process', () => {
  const tab = openTab();
  afterAll(() => tab.handle.uninstall());

  it('killed mid-call: the connection fails with events and a warning that names the signal; this process and another connection go on; close() leaves no process', async () => {
    const stream = (await tab.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } })) as unknown as MediaStream;
    const before = new Set(hostPids());
    const pc = connection('wrtc');
    const peer = connection('werift');
    const host = hostPids().filter((pid) => !before.has(pid));
    expect(host).toHaveLength(1);
    // Another connection over wrtc: a host of its own, which the kill does not touch.
    const other = connection('wrtc');
    other.addTransceiver('video');
    pc.addTrack(stream.getVideoTracks()[0] as never, stream as never);
    const remote = new Promise<MediaStreamTrack>((resolve) => (peer.ontrack = (e) => resolve(e.track as never)));
    await connect(pc, peer);
    // Media flows before the kill.
    const reading = await readVideo(new MediaStreamTrackProcessor({ track: (await remote) as never }).readable, 5);
    expect(reading.numbers.length).toBeGreaterThan(0);

    const states: string[] = [];
    pc.onconnectionstatechange = () => states.push(pc.connectionState);
    const iceFailed = waitFor(pc, 'iceconnectionstatechange');
    const warning = new Promise<Error & { code?: string }>((resolve) => {
      const listener = (w: Error & { code?: string }) => {
        if (w.code !== HOST_EXIT_WARNING) return;
        process.off('warning', listener);
        resolve(w);
      };
      process.on('warning', listener);
    });
    process.kill(host[0]!, 'SIGKILL');
    expect((await warning).message).toMatch(/ended by SIGKILL/);
    await until(() => states.includes('failed'), 'connectionstatechange to failed');
    await iceFailed;
    expect(pc.connectionState).toBe('failed');
    expect(pc.iceConnectionState).toBe('failed');
    await expect(pc.createOffer()).rejects.toMatchObject({ name: 'OperationError', message: expect.stringMatching(/SIGKILL/) });
    expect((await other.createOffer()).sdp).toMatch(/m=video/);
    expect(other.connectionState).toBe('new');
    other.close();
    await RTCPeerConnection.closed(other);

    pc.close();
    peer.close();
    await RTCPeerConnection.closed(pc);
    await RTCPeerConnection.closed(peer);
    expect(pc.connectionState).toBe('closed');
    for (const t of stream.getTracks()) t.stop();
    expect(hostPids().filter((pid) => !before.has(pid))).toEqual([]);
  });

  it('close() ends the host; a program that closes its connections exits by itself', async () => {
    const child = fork(join(ROOT, 'test/webrtc/fixtures/wrtc-exit.mjs'), [], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = new Promise<string>((resolve) => setTimeout(() => resolve('still running'), scaled(30_000)).unref());
    const result = await Promise.race([exited, deadline]);
    if (result === 'still running') child.kill('SIGKILL');
    expect(result, stderr).toBe(0);
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as { frames: number; hosts: number[] };
    expect(report.frames).toBe(10);
    expect(report.hosts).toHaveLength(2);
    // The hosts were reaped: no such process (an orphan would have been adopted by init, not gone).
    for (const pid of report.hosts) expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(stderr).not.toMatch(/Segmentation|SIGSEGV|core dumped/);
  });

  it('process.exit() with connections open: the hosts go too', async () => {
    const child = fork(join(ROOT, 'test/webrtc/fixtures/wrtc-exit.mjs'), ['exit'], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as { hosts: number[] };
    expect(report.hosts).toHaveLength(2);
    // Killed at the exit; init reaps them.
    await until(() => report.hosts.every((pid) => !existsSync(`/proc/${pid}`)), 'the hosts to be gone');
  });

  it('the program killed (SIGKILL) with connections open: each host sees its channel close and ends', async () => {
    const child = fork(join(ROOT, 'test/webrtc/fixtures/wrtc-exit.mjs'), ['stay'], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const report = await until(() => stdout.includes('hosts') && (JSON.parse(stdout.trim().split('\n').at(-1)!) as { hosts: number[] }), { what: 'the hosts', timeoutMs: 30_000 });
    expect(report.hosts).toHaveLength(2);
    child.kill('SIGKILL');
    await exited;
    await until(() => report.hosts.every((pid) => !existsSync(`/proc/${pid}`)), 'the hosts to be gone');
  });
});
