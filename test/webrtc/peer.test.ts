// RTCPeerConnection in one process: the built-in camera and microphone → pc1 → pc2 → remote
// tracks read with MediaStreamTrackProcessor: the test pattern's frame numbers and the tone come back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { livePids } from '../../src/backends/common/process.js';
import { MediaStreamTrackProcessor } from '../../src/interfaces/MediaStreamTrackProcessor.js';
import { RTCPeerConnection, type RTCTrackEvent } from '../../src/webrtc/index.js';
import { openTab } from '../core/harness.js';
import { until } from '../helpers/wait.js';
import { inOrder, readTone, readVideo } from './media-check.js';

// Nothing beyond loopback.
process.env.MEDIACAPTURE_ICE_ADDRESSES = '127.0.0.1';

/** Connects two peer connections in this process (trickle ICE), pc1 offering. */
async function connect(pc1: RTCPeerConnection, pc2: RTCPeerConnection): Promise<void> {
  pc1.onicecandidate = (e) => e.candidate && void pc2.addIceCandidate(e.candidate);
  pc2.onicecandidate = (e) => e.candidate && void pc1.addIceCandidate(e.candidate);
  await pc1.setLocalDescription(await pc1.createOffer());
  await pc2.setRemoteDescription(pc1.localDescription!);
  await pc2.setLocalDescription(await pc2.createAnswer());
  await pc1.setRemoteDescription(pc2.localDescription!);
}

describe('RTCPeerConnection, peer to peer in one process', () => {
  const tab = openTab();
  let pc1: RTCPeerConnection;
  let pc2: RTCPeerConnection;
  const tracks: RTCTrackEvent[] = [];
  let stream: MediaStream;

  beforeAll(async () => {
    stream = (await tab.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true })) as unknown as MediaStream;
    pc1 = new RTCPeerConnection();
    pc2 = new RTCPeerConnection();
    pc2.ontrack = (e) => tracks.push(e as RTCTrackEvent);
    for (const track of stream.getTracks()) pc1.addTrack(track as never, stream as never);
    await connect(pc1, pc2);
  });

  afterAll(async () => {
    for (const t of stream?.getTracks() ?? []) t.stop();
    pc1?.close();
    pc2?.close();
    await RTCPeerConnection.closed(pc1);
    await RTCPeerConnection.closed(pc2);
    tab.handle.uninstall();
  });

  it('fires track with our MediaStreamTracks, in a remote stream with the sender stream id', () => {
    expect(tracks.map((e) => e.track.kind).sort()).toEqual(['audio', 'video']);
    for (const e of tracks) {
      expect(e.track.constructor.name).toBe('MediaStreamTrack');
      expect(e.track.label).toBe(`remote ${e.track.kind}`);
      expect(e.streams.map((s) => s.id)).toEqual([stream.id]);
      expect(e.receiver.track).toBe(e.track);
    }
    expect(tracks[0]!.streams[0]).toBe(tracks[1]!.streams[0]);
  });

  it('delivers the camera: frames of the sent size whose frame numbers read back in order', async () => {
    const video = tracks.find((e) => e.track.kind === 'video')!.track;
    const reading = await readVideo(new MediaStreamTrackProcessor({ track: video as never }).readable, 45);
    expect([reading.width, reading.height]).toEqual([320, 240]);
    expect(reading.numbers.length).toBeGreaterThanOrEqual(40);
    expect(new Set(reading.numbers).size).toBeGreaterThanOrEqual(38);
    expect(inOrder(reading.numbers)).toBe(true);
    expect(video.muted).toBe(false);
  });

  it("delivers the microphone's 440 Hz tone", async () => {
    const audio = tracks.find((e) => e.track.kind === 'audio')!.track;
    const tone = await readTone(new MediaStreamTrackProcessor({ track: audio as never }).readable, 0.5);
    expect(tone.sampleRate).toBe(48000);
    expect(tone.rms).toBeGreaterThan(0.05);
    expect(Math.abs(tone.frequency - 440)).toBeLessThan(10);
  });

  it('sends black while the track is disabled, and the pattern again when enabled', async () => {
    const sent = stream.getVideoTracks()[0]!;
    const video = tracks.find((e) => e.track.kind === 'video')!.track;
    const readable = new MediaStreamTrackProcessor({ track: video as never }).readable;
    sent.enabled = false;
    // Frames already in flight still carry the pattern; then only black comes.
    let reading = await readVideo(readable, 30);
    expect(reading.unreadable).toBeGreaterThan(10);
    sent.enabled = true;
    await readVideo(readable, 10);
    reading = await readVideo(readable, 15);
    expect(reading.numbers.length).toBeGreaterThanOrEqual(12);
  });

  it('replaceTrack switches to another track without renegotiating; a wrong kind is a TypeError', async () => {
    const sender = pc1.getSenders().find((s) => s.track?.kind === 'video')!;
    const other = (await tab.mediaDevices.getUserMedia({ video: { width: 640, height: 360 } })).getVideoTracks()[0]!;
    await expect(sender.replaceTrack(stream.getAudioTracks()[0] as never)).rejects.toThrow(TypeError);
    await sender.replaceTrack(other as never);
    expect(sender.track).toBe(other);
    const video = tracks.find((e) => e.track.kind === 'video')!.track;
    const readable = new MediaStreamTrackProcessor({ track: video as never }).readable;
    const reader = readable.getReader();
    // The new size arrives at the next key frame (the encoder restarts for the new size).
    let width = 0;
    while (width !== 640) {
      const frame = (await reader.read()).value as { displayWidth: number; close(): void };
      width = frame.displayWidth;
      frame.close();
    }
    reader.releaseLock();
    await sender.replaceTrack(stream.getVideoTracks()[0] as never);
    other.stop();
  });

  it('close() ends the remote tracks and leaves no encoder or decoder process', async () => {
    const before = livePids().length;
    expect(before).toBeGreaterThan(0);
    pc1.close();
    pc2.close();
    expect(pc1.signalingState).toBe('closed');
    expect(pc1.connectionState).toBe('closed');
    await RTCPeerConnection.closed(pc1);
    await RTCPeerConnection.closed(pc2);
    for (const e of tracks) await until(() => e.track.readyState === 'ended');
    // The camera and microphone are built in (no process): every remaining child was ours.
    expect(livePids()).toEqual([]);
    expect(() => pc1.addTrack(stream.getTracks()[0] as never)).toThrow(expect.objectContaining({ name: 'InvalidStateError' }));
  });
});
