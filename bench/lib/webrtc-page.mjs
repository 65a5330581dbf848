// The Chromium side of bench/webrtc.mjs, loaded as a module by the page: the same test pattern as
// our built-in camera (the package's own TestPattern, served from dist/) written as I420
// VideoFrames into a MediaStreamTrackGenerator at 30 fps, sent through Chromium's
// RTCPeerConnection to a second RTCPeerConnection of the same page over loopback, and read back
// with MediaStreamTrackProcessor: the frame number decoded from each picture gives its latency.
import { decodeFrameNumber } from '/dist/media/synthetic/frame-code.js';
import { TestPattern } from '/dist/media/synthetic/test-pattern.js';
import { LatencyWindow, readFrameCodes } from '/bench/lib/latency.mjs';

// TestPattern, written for Node, compares rows with Buffer.compare once per size (to find rows
// it may copy in one run): the page gets that one function.
globalThis.Buffer ??= {
  compare(a, b) {
    if (a.length !== b.length) return a.length < b.length ? -1 : 1;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
  },
};

/** Only loopback UDP host candidates: what ours uses (MEDIACAPTURE_ICE_ADDRESSES=127.0.0.1). */
const loopback = (c) => c && c.address === '127.0.0.1' && c.protocol === 'udp';

/**
 * A camera like the built-in one: frame n is drawn and written when its interval ends, at
 * `origin + (n + 1) × interval` (its capture time), on a timer that catches up after a late turn
 * and, like the built-in camera's three capture buffers, gives up on frames more than three
 * intervals late.
 */
function startCamera(width, height, frameRate) {
  const generator = new MediaStreamTrackGenerator({ kind: 'video' });
  const writer = generator.writable.getWriter();
  const pattern = new TestPattern(width, height);
  const data = new Uint8Array(width * height + 2 * (width / 2) * (height / 2));
  const interval = 1000 / frameRate;
  const origin = performance.now();
  let n = 0;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    const now = performance.now();
    while (origin + (n + 1) * interval <= now) {
      if (now - (origin + (n + 1) * interval) <= 3 * interval) {
        const timestamp = Math.round(n * interval * 1000);
        pattern.render(n, timestamp, data);
        // The VideoFrame copies the pixels: the one buffer is drawn into again next time.
        writer.write(new VideoFrame(data, { format: 'I420', codedWidth: width, codedHeight: height, timestamp, duration: Math.round(interval * 1000) }));
      }
      n++;
    }
    setTimeout(tick, Math.max(0, origin + (n + 1) * interval - performance.now()));
  };
  tick();
  return { track: generator, captureTime: (k) => origin + (k + 1) * interval, stop: () => (stopped = true) };
}

/** Sets the page up; resolves once frames arrive at the receiving connection. */
window.startBench = async ({ width, height, frameRate, maxBitrate }) => {
  const camera = startCamera(width, height, frameRate);
  const pc1 = new RTCPeerConnection();
  const pc2 = new RTCPeerConnection();
  pc1.onicecandidate = (e) => loopback(e.candidate) && pc2.addIceCandidate(e.candidate);
  pc2.onicecandidate = (e) => loopback(e.candidate) && pc1.addIceCandidate(e.candidate);
  const stream = new MediaStream([camera.track]);
  const sender = pc1.addTrack(camera.track, stream);
  // VP8 (what ours sends), at ours' bitrate cap, and at the full size (ours never scales down).
  const transceiver = pc1.getTransceivers().find((t) => t.sender === sender);
  transceiver.setCodecPreferences(RTCRtpSender.getCapabilities('video').codecs.filter((c) => c.mimeType === 'video/VP8'));
  const window_ = new LatencyWindow(camera.captureTime);
  let firstFrame;
  const arrived = new Promise((resolve) => (firstFrame = resolve));
  pc2.ontrack = (e) =>
    readFrameCodes(e.track, { width, height, decode: decodeFrameNumber, now: () => performance.now(), onFrame: (...a) => window_.frame(...a), onFirst: firstFrame });
  await pc1.setLocalDescription();
  await pc2.setRemoteDescription(pc1.localDescription);
  await pc2.setLocalDescription();
  await pc1.setRemoteDescription(pc2.localDescription);
  const parameters = sender.getParameters();
  parameters.encodings[0].maxBitrate = maxBitrate;
  parameters.degradationPreference = 'maintain-resolution';
  await sender.setParameters(parameters);
  window.bench = { pc1, pc2, camera, window: window_ };
  await arrived;
};

/** RTP payload bytes the receiving connection has received so far (RTCInboundRtpStreamStats.bytesReceived), for the bitrate. */
async function bytesReceived(pc) {
  let bytes = 0;
  for (const s of (await pc.getStats()).values()) if (s.type === 'inbound-rtp' && s.kind === 'video') bytes += s.bytesReceived;
  return bytes;
}

window.windowStart = async () => {
  const b = window.bench;
  b.window.reset();
  b.window.counting = true;
  b.startedAt = performance.now();
  b.bytesAtStart = await bytesReceived(b.pc2);
};

window.windowStop = async () => {
  const b = window.bench;
  b.window.counting = false;
  const wall = (performance.now() - b.startedAt) / 1000;
  const bytes = (await bytesReceived(b.pc2)) - b.bytesAtStart;
  let encoder = null;
  for (const s of (await b.pc1.getStats()).values()) {
    if (s.type === 'outbound-rtp' && s.kind === 'video') encoder = { qualityLimitationReason: s.qualityLimitationReason, frameWidth: s.frameWidth, frameHeight: s.frameHeight };
  }
  return { ...b.window.summary(wall), bitrate: (bytes * 8) / wall, wall, encoder };
};

window.closeBench = () => {
  const b = window.bench;
  b.camera.stop();
  b.camera.track.stop();
  b.pc1.close();
  b.pc2.close();
};
