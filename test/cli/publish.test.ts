// `mediacapture publish` against the loopback WHIP endpoint of the WebRTC tests (built on our own
// RTCPeerConnection): the child publishes the built-in camera and microphone, the endpoint reads
// the frame numbers and the tone; the session is DELETEd when the duration ends or on Ctrl-C;
// a refused token and a bad URL are exit statuses with messages. `record --from` records what a
// WHEP endpoint sends. (Janus, both ways: test/webrtc/janus.test.ts.)
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaStreamTrackProcessor } from '../../src/interfaces/MediaStreamTrackProcessor.js';
import { decodeFrameNumber } from '../../src/media/synthetic/frame-code.js';
import { openTab } from '../core/harness.js';
import { inOrder, readTone, readVideo } from '../webrtc/media-check.js';
import { WhipEndpoint } from '../webrtc/whip-endpoint.js';
import { childEnv, probe, runCli, startCli, tempDir } from './helpers.js';

process.env.MEDIACAPTURE_ICE_ADDRESSES = '127.0.0.1';

describe('mediacapture publish (WHIP)', () => {
  const dir = tempDir('publish');
  const env = childEnv(dir, { MEDIACAPTURE_ICE_ADDRESSES: '127.0.0.1' });
  let endpoint: WhipEndpoint;

  beforeAll(async () => {
    endpoint = await WhipEndpoint.start();
  });
  afterAll(async () => {
    await endpoint?.close();
  });

  it('publishes the camera and microphone for --duration: frame numbers and the tone arrive, then DELETE; the summary on stdout', async () => {
    const arrived = endpoint.nextSession();
    const run = runCli(['publish', `${endpoint.origin}/whip`, '--video={"width":320,"height":240}', '--audio', '--duration', '4s'], env, 60_000);
    const session = await arrived;
    const video = session.tracks.find((t) => t.kind === 'video')!;
    const audio = session.tracks.find((t) => t.kind === 'audio')!;
    const [reading, tone] = await Promise.all([
      readVideo(new MediaStreamTrackProcessor({ track: video as never }).readable, 30),
      readTone(new MediaStreamTrackProcessor({ track: audio as never }).readable, 0.5),
    ]);
    expect([reading.width, reading.height]).toEqual([320, 240]);
    expect(reading.numbers.length).toBeGreaterThanOrEqual(27);
    expect(inOrder(reading.numbers)).toBe(true);
    expect(Math.abs(tone.frequency - 440)).toBeLessThan(10);
    const result = await run;
    expect(result.stderr).toMatch(/Publishing to WHIP endpoint http:\/\/127\.0\.0\.1:\d+\/whip for 0:04/);
    expect(result.stdout).toMatch(/^Published 0:0[45]\.\d to WHIP endpoint .*, \d+ video frames, [\d.]+ [KM]iB sent \(stopped by duration\)\n$/);
    expect(result.code).toBe(0);
    expect(session.deleted).toBe(true);
  });

  it('Ctrl-C ends the session on the server (DELETE) and exits 0', async () => {
    const arrived = endpoint.nextSession();
    const { child, result } = startCli(['publish', `${endpoint.origin}/whip`, '--audio'], env);
    const session = await arrived;
    await new Promise<void>((resolve) => {
      const check = (b: Buffer) => /Publishing to/.test(b.toString()) && resolve();
      child.stderr!.on('data', check);
    });
    process.kill(-child.pid!, 'SIGINT');
    const { code, stdout, stderr } = await result;
    expect(stderr).toMatch(/Stopping: ending the session at WHIP endpoint/);
    expect(stdout).toMatch(/\(stopped by signal\)/);
    expect(code).toBe(0);
    expect(session.deleted).toBe(true);
  });

  it('Ctrl-C while the server has not answered yet: the session it then gets is ended at once (DELETE), exit 0', async () => {
    let release!: () => void;
    endpoint.hold = new Promise((resolve) => (release = resolve));
    const posted = endpoint.nextRequest();
    const { child, result } = startCli(['publish', `${endpoint.origin}/whip`, '--audio'], env);
    expect(await posted).toBe('POST /whip');
    const stopping = new Promise<void>((resolve) => child.stderr!.on('data', (b: Buffer) => /Stopping/.test(b.toString()) && resolve()));
    process.kill(-child.pid!, 'SIGINT');
    await stopping;
    endpoint.hold = null;
    release();
    const { code, stdout } = await result;
    expect(stdout).toMatch(/\(stopped by signal\)/);
    expect(code).toBe(0);
    expect(endpoint.sessions.at(-1)!.deleted).toBe(true);
  });

  it('a refused token is exit status 11 with the server reason; a bad URL is a usage error', async () => {
    endpoint.token = 'secret';
    const refused = await runCli(['publish', `${endpoint.origin}/whip`, '--audio', '--token', 'wrong'], env);
    endpoint.token = undefined;
    expect(refused.code).toBe(11);
    expect(refused.stderr).toMatch(/answered 401 Unauthorized: "a valid bearer token is required".*Check --token\./);
    const bad = await runCli(['publish', 'ftp://example/room'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/must start with http:\/\/, https:\/\/, janus:\/\//);
    const noRoom = await runCli(['publish', 'janus://127.0.0.1:8088/'], env);
    expect(noRoom.code).toBe(2);
    expect(noRoom.stderr).toMatch(/names no room/);
  });
});

describe('mediacapture record --from (WHEP)', () => {
  const dir = tempDir('record-from');
  const env = childEnv(dir, { MEDIACAPTURE_ICE_ADDRESSES: '127.0.0.1' });
  const tab = openTab();
  let endpoint: WhipEndpoint;
  let stream: MediaStream;

  beforeAll(async () => {
    endpoint = await WhipEndpoint.start();
    stream = (await tab.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true })) as unknown as MediaStream;
    endpoint.sendTracks = { tracks: stream.getTracks(), stream };
  });
  afterAll(async () => {
    for (const t of stream?.getTracks() ?? []) t.stop();
    await endpoint?.close();
    tab.handle.uninstall();
  });

  it("records the endpoint's camera and microphone into a file whose frames carry the test pattern's numbers, in order; DELETE at the end", async () => {
    const out = join(dir, 'from.webm');
    const result = await runCli(['record', out, '--from', `${endpoint.origin}/whep`, '--duration', '3s'], env, 60_000);
    expect(result.stderr).toMatch(/Receiving from WHEP endpoint http:\/\/127\.0\.0\.1:\d+\/whep\./);
    // Exit 0, or 10 with its warning when a busy machine made the file shorter than asked.
    expect(result.code === 0 || (result.code === 10 && /holds .* of the .* asked for/.test(result.stderr)), result.stderr).toBe(true);
    const info = await probe(out);
    expect(info.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    const video = info.streams.find((s) => s.codec_type === 'video')!;
    expect([video.width, video.height]).toEqual([320, 240]);
    const numbers = await frameNumbers(out, 320, 240);
    expect(numbers.length).toBeGreaterThanOrEqual(45);
    expect(inOrder(numbers)).toBe(true);
    expect(endpoint.sessions.at(-1)!.deleted).toBe(true);
  });
});

/** The frame numbers read from each frame of a recording (decoded by ffmpeg to grey, one picture per frame: no frame-rate filling). */
async function frameNumbers(path: string, width: number, height: number): Promise<number[]> {
  const { stdout } = await promisify(execFile)('ffmpeg', ['-v', 'error', '-i', path, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', '-s', `${width}x${height}`, '-'], { encoding: 'buffer', maxBuffer: 256 << 20 });
  const numbers: number[] = [];
  for (let at = 0; at + width * height <= stdout.length; at += width * height) {
    const n = decodeFrameNumber({ y: stdout.subarray(at, at + width * height), width, height, stride: width });
    if (n !== null) numbers.push(n);
  }
  return numbers;
}
