// A browser peer: headless Chromium (the system's /usr/bin/chromium through playwright-core)
// receives our camera track and checks in the page that frames of the right size arrive (and
// sends a few luma planes back, whose frame numbers are decoded here); it sends its fake camera
// back, which arrives here as one of our remote MediaStreamTracks.
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaStreamTrackProcessor } from '../../src/interfaces/MediaStreamTrackProcessor.js';
import { decodeFrameNumber } from '../../src/media/synthetic/frame-code.js';
import { RTCPeerConnection } from '../../src/webrtc/index.js';
import { openTab } from '../core/harness.js';
import { readVideo } from './media-check.js';

process.env.MEDIACAPTURE_ICE_ADDRESSES = '127.0.0.1';
const CHROMIUM = process.env.MC_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the browser peer tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set MC_CHROMIUM)`);

/** The page: a peer connection whose signalling the test drives through page.evaluate. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>peer</title><script>
window.peer = async function () {
  const pc = new RTCPeerConnection();
  window.pc = pc;
  window.candidates = [];
  pc.onicecandidate = (e) => e.candidate && window.candidates.push(e.candidate.toJSON());
  const camera = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 30 } });
  window.received = new Promise((resolve) => {
    pc.ontrack = async (e) => {
      const reader = new MediaStreamTrackProcessor({ track: e.track }).readable.getReader();
      const out = { frames: 0, sizes: new Set(), lumas: [] };
      while (out.frames < 40) {
        const { value: frame } = await reader.read();
        out.frames++;
        out.sizes.add(frame.displayWidth + 'x' + frame.displayHeight);
        if (out.frames > 20 && out.lumas.length < 5) {
          // The first plane of I420 and NV12 is luma; Chromium copies in the frame's own format.
          const bytes = new Uint8Array(frame.allocationSize());
          const [luma] = await frame.copyTo(bytes);
          out.format = frame.format;
          out.lumas.push({ width: frame.displayWidth, height: frame.displayHeight, stride: luma.stride, y: Array.from(bytes.subarray(luma.offset, luma.offset + luma.stride * frame.displayHeight)) });
        }
        frame.close();
      }
      resolve({ frames: out.frames, sizes: [...out.sizes], format: out.format, lumas: out.lumas, codec: await codecOf(pc) });
    };
  });
  for (const t of camera.getTracks()) pc.addTrack(t, camera);
};
async function codecOf(pc) {
  const stats = await pc.getStats();
  for (const s of stats.values()) if (s.type === 'codec' && s.mimeType.startsWith('video/')) return s.mimeType;
  return null;
}
</script>`;

describe.skipIf(!haveChromium)('RTCPeerConnection with headless Chromium as the peer', () => {
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
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        // Loopback candidates (Chromium leaves them out by default), and plain addresses, not mDNS names.
        '--allow-loopback-in-peer-connection',
        '--disable-features=WebRtcHideLocalIpsWithMdns',
      ],
    });
    page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
    tab.handle.uninstall();
  });

  it('Chromium receives our camera (right size, frame numbers intact) and sends its fake camera back', async () => {
    await page.evaluate('window.peer()');
    const stream = await tab.mediaDevices.getUserMedia({ video: { width: 320, height: 240 } });
    const pc = new RTCPeerConnection();
    const remote = new Promise<any>((resolve) => (pc.ontrack = (e: any) => resolve(e.track)));
    for (const t of stream.getTracks()) pc.addTrack(t as never, stream as never);
    // Non-trickle: our offer and Chromium's answer carry their candidates.
    await pc.setLocalDescription(await pc.createOffer());
    await waitGathered(pc);
    const answer = await page.evaluate(async (offer) => {
      const pc = (window as any).pc as RTCPeerConnection;
      await pc.setRemoteDescription(offer);
      await pc.setLocalDescription(await pc.createAnswer());
      await new Promise<void>((resolve) => {
        if (pc.iceGatheringState === 'complete') resolve();
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
      });
      return pc.localDescription!.toJSON();
    }, pc.localDescription!.toJSON() as any);
    await pc.setRemoteDescription(answer as never);

    const back = await readVideo(new MediaStreamTrackProcessor({ track: await remote }).readable, 30);
    expect(back.frames).toBe(30);
    expect([back.width, back.height]).toEqual([320, 240]);

    const seen = (await page.evaluate('window.received')) as { frames: number; sizes: string[]; lumas: { width: number; height: number; stride: number; y: number[] }[]; format: string; codec: string };
    expect(seen.frames).toBe(40);
    expect(seen.sizes).toEqual(['320x240']);
    expect(seen.codec).toBe('video/VP8');
    expect(['I420', 'NV12']).toContain(seen.format);
    const numbers = seen.lumas.map((l) => decodeFrameNumber({ y: Uint8Array.from(l.y), width: l.width, height: l.height, stride: l.stride }));
    expect(numbers.filter((n) => n !== null).length).toBeGreaterThanOrEqual(4);

    pc.close();
    for (const t of stream.getTracks()) t.stop();
    await RTCPeerConnection.closed(pc);
  });
});

/** Resolves once `pc` has gathered all its candidates. */
function waitGathered(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
  });
}
