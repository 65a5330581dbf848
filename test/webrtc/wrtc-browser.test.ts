// The wrtc stack with a browser peer, as the answerer: headless Chromium offers its fake camera;
// our connection over wrtc receives it as one of our tracks, adds our camera to the transceiver
// the offer made (addTrack reuses it: no new m-line), and answers; Chromium reads our camera's
// frame numbers from the luma plane.
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaStreamTrackProcessor } from '../../src/interfaces/MediaStreamTrackProcessor.js';
import { decodeFrameNumber } from '../../src/media/synthetic/frame-code.js';
import { RTCPeerConnection } from '../../src/webrtc/index.js';
import { openTab } from '../core/harness.js';
import { readVideo } from './media-check.js';
import { connection, missing } from './wrtc-helpers.js';

process.env.MEDIACAPTURE_ICE_ADDRESSES = '127.0.0.1';
const CHROMIUM = process.env.MC_CHROMIUM ?? '/usr/bin/chromium';
const skip = missing ?? (existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set MC_CHROMIUM)`);
if (skip) console.warn(`skipping the wrtc browser peer test: ${skip}`);

/** The page: an offering peer with the fake camera; it reads the frame numbers of what comes back. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>offerer</title><script>
window.offer = async function () {
  const pc = new RTCPeerConnection();
  window.pc = pc;
  const camera = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 30 } });
  for (const t of camera.getTracks()) pc.addTrack(t, camera);
  window.received = new Promise((resolve) => {
    pc.ontrack = async (e) => {
      const reader = new MediaStreamTrackProcessor({ track: e.track }).readable.getReader();
      const out = { frames: 0, sizes: new Set(), lumas: [] };
      while (out.frames < 40) {
        const { value: frame } = await reader.read();
        out.frames++;
        out.sizes.add(frame.displayWidth + 'x' + frame.displayHeight);
        if (out.frames > 20 && out.lumas.length < 5) {
          const bytes = new Uint8Array(frame.allocationSize());
          const [luma] = await frame.copyTo(bytes);
          out.lumas.push({ width: frame.displayWidth, height: frame.displayHeight, stride: luma.stride, y: Array.from(bytes.subarray(luma.offset, luma.offset + luma.stride * frame.displayHeight)) });
        }
        frame.close();
      }
      resolve({ frames: out.frames, sizes: [...out.sizes], lumas: out.lumas, transceivers: pc.getTransceivers().length });
    };
  });
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  return pc.localDescription.toJSON();
};
window.answer = async function (answer) {
  await window.pc.setRemoteDescription(answer);
};
function gathered(pc) {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
  });
}
</script>`;

describe.skipIf(skip)('RTCPeerConnection over wrtc, answering headless Chromium', () => {
  const tab = openTab();
  let server: Server;
  let browser: import('playwright-core').Browser;
  let page: import('playwright-core').Page;

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'],
    });
    page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
    tab.handle.uninstall();
  });

  it("receives Chromium's camera, sends ours on the offered transceiver, and Chromium reads its frame numbers", async () => {
    const stream = await tab.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } });
    const pc = connection('wrtc');
    const remote = new Promise<any>((resolve) => (pc.ontrack = (e: any) => resolve(e)));
    const offer = await page.evaluate('window.offer()');
    await pc.setRemoteDescription(offer as never);
    const event = await remote;
    expect(event.track.kind).toBe('video');
    expect(pc.getTransceivers()).toHaveLength(1);
    const sender = pc.addTrack(stream.getVideoTracks()[0] as never, stream as never);
    // addTrack took the offered transceiver (webrtc-pc addTrack step 7), which now sends and receives.
    expect(pc.getTransceivers()).toHaveLength(1);
    expect(pc.getTransceivers()[0]!.sender).toBe(sender);
    expect(pc.getTransceivers()[0]!.direction).toBe('sendrecv');
    await pc.setLocalDescription(await pc.createAnswer());
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
    });
    await page.evaluate((answer) => (window as any).answer(answer), pc.localDescription!.toJSON() as any);

    const back = await readVideo(new MediaStreamTrackProcessor({ track: event.track }).readable, 30);
    expect(back.frames).toBe(30);
    expect([back.width, back.height]).toEqual([320, 240]);
    expect(pc.getTransceivers()[0]!.currentDirection).toBe('sendrecv');

    const seen = (await page.evaluate('window.received')) as { frames: number; sizes: string[]; lumas: { width: number; height: number; stride: number; y: number[] }[]; transceivers: number };
    expect(seen.frames).toBe(40);
    expect(seen.sizes).toEqual(['320x240']);
    expect(seen.transceivers).toBe(1);
    const numbers = seen.lumas.map((l) => decodeFrameNumber({ y: Uint8Array.from(l.y), width: l.width, height: l.height, stride: l.stride }));
    expect(numbers.filter((n) => n !== null).length).toBeGreaterThanOrEqual(4);

    pc.close();
    for (const t of stream.getTracks()) t.stop();
    await RTCPeerConnection.closed(pc);
  });
});
