// WHIP (RFC 9725) and WHEP from the library's client to a loopback endpoint built on our own
// RTCPeerConnection (whip-endpoint.ts): the built-in camera and microphone reach the endpoint with
// their frame numbers and tone; the session is DELETEd on close; each failure is a WhipError that
// says what went wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaStreamTrackProcessor } from '../../src/interfaces/MediaStreamTrackProcessor.js';
import { RTCPeerConnection } from '../../src/webrtc/index.js';
import { playWhep, publishWhip, WhipError } from '../../src/webrtc/whip.js';
import { openTab } from '../core/harness.js';
import { inOrder, readTone, readVideo } from './media-check.js';
import { WhipEndpoint } from './whip-endpoint.js';

process.env.MEDIACAPTURE_ICE_ADDRESSES = '127.0.0.1';

describe('WHIP and WHEP against a loopback endpoint', () => {
  const tab = openTab();
  let endpoint: WhipEndpoint;
  let stream: MediaStream;
  const pcs: RTCPeerConnection[] = [];
  const newPc = () => {
    const pc = new RTCPeerConnection();
    pcs.push(pc);
    return pc;
  };

  beforeAll(async () => {
    endpoint = await WhipEndpoint.start();
    stream = (await tab.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true })) as unknown as MediaStream;
  });

  afterAll(async () => {
    for (const t of stream?.getTracks() ?? []) t.stop();
    for (const pc of pcs) pc.close();
    await Promise.all(pcs.map((pc) => RTCPeerConnection.closed(pc)));
    await endpoint?.close();
    tab.handle.uninstall();
  });

  it('publishes the camera and microphone: frame numbers and the 440 Hz tone arrive; close() DELETEs the session', async () => {
    endpoint.token = 'secret';
    const pc = newPc();
    for (const track of stream.getTracks()) pc.addTransceiver(track as never, { direction: 'sendonly', streams: [stream as never] });
    const arrived = endpoint.nextSession();
    const session = await publishWhip(pc, `${endpoint.origin}/whip`, { token: 'secret' });
    const server = await arrived;
    expect(session.resource).toBe(`${endpoint.origin}/sessions/${server.id}`);
    expect(session.answer.startsWith('v=0')).toBe(true);
    expect(server.tracks.map((t) => t.kind).sort()).toEqual(['audio', 'video']);

    const video = server.tracks.find((t) => t.kind === 'video')!;
    const audio = server.tracks.find((t) => t.kind === 'audio')!;
    const [reading, tone] = await Promise.all([
      readVideo(new MediaStreamTrackProcessor({ track: video as never }).readable, 30),
      readTone(new MediaStreamTrackProcessor({ track: audio as never }).readable, 0.5),
    ]);
    expect([reading.width, reading.height]).toEqual([320, 240]);
    expect(reading.numbers.length).toBeGreaterThanOrEqual(27);
    expect(inOrder(reading.numbers)).toBe(true);
    expect(Math.abs(tone.frequency - 440)).toBeLessThan(10);
    expect(tone.rms).toBeGreaterThan(0.05);

    await session.close();
    expect(endpoint.requests.slice(-2)).toEqual(['POST /whip', `DELETE /sessions/${server.id}`]);
    expect(server.deleted).toBe(true);
    expect(pc.connectionState).toBe('closed');
    // Closing twice sends one DELETE.
    await session.close();
    expect(endpoint.requests.filter((r) => r.startsWith('DELETE')).length).toBe(1);
    endpoint.token = undefined;
  });

  it('plays a WHEP stream: the endpoint sends the camera, the remote track carries its frame numbers', async () => {
    endpoint.sendTracks = { tracks: stream.getVideoTracks(), stream };
    const pc = newPc();
    pc.addTransceiver('video', { direction: 'recvonly' });
    const track = new Promise<MediaStreamTrack>((resolve) => {
      pc.ontrack = (e) => resolve(e.track as unknown as MediaStreamTrack);
    });
    const session = await playWhep(pc, `${endpoint.origin}/whep`);
    const reading = await readVideo(new MediaStreamTrackProcessor({ track: (await track) as never }).readable, 20);
    expect([reading.width, reading.height]).toEqual([320, 240]);
    expect(reading.numbers.length).toBeGreaterThanOrEqual(18);
    await session.close();
    endpoint.sendTracks = null;
  });

  it('rejects with a WhipError naming the status and the server reason: wrong token (401)', async () => {
    endpoint.token = 'secret';
    const pc = newPc();
    pc.addTransceiver(stream.getVideoTracks()[0] as never, { direction: 'sendonly' });
    const error = await publishWhip(pc, `${endpoint.origin}/whip`, { token: 'wrong' }).catch((e: unknown) => e);
    endpoint.token = undefined;
    expect(error).toBeInstanceOf(WhipError);
    expect(error).toMatchObject({ name: 'WhipError', status: 401, url: `${endpoint.origin}/whip` });
    expect((error as Error).message).toMatch(/answered 401 Unauthorized: "a valid bearer token is required"; expected 201 Created/);
  });

  it('rejects when the 201 has no Location (the session could not be ended) or no SDP', async () => {
    for (const missing of ['location', 'sdp'] as const) {
      endpoint.answerWithout = missing;
      const pc = newPc();
      pc.addTransceiver('audio', { direction: 'sendonly' });
      const error = await publishWhip(pc, `${endpoint.origin}/whip`).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'WhipError', status: 201 });
      expect((error as Error).message).toMatch(missing === 'location' ? /without a Location header/ : /without an SDP answer/);
    }
    endpoint.answerWithout = null;
  });

  it('rejects with status 0 when nothing listens (ECONNREFUSED), and 404 for a wrong path', async () => {
    const closed = await WhipEndpoint.start();
    const url = `${closed.origin}/whip`;
    await closed.close();
    const audioOnly = () => {
      const pc = newPc();
      pc.addTransceiver('audio', { direction: 'sendonly' });
      return pc;
    };
    const refused = await publishWhip(audioOnly(), url).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'WhipError', status: 0 });
    expect((refused as Error).message).toMatch(/ECONNREFUSED/);
    const wrong = await publishWhip(audioOnly(), `${endpoint.origin}/nowhere`).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ name: 'WhipError', status: 404 });
  });
});
