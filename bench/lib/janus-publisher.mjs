// One capture process of bench/janus-scaleout.mjs: the built-in camera and microphone published
// to the Janus room of the namespace it runs in (test/webrtc/fixtures/janus-server.mjs), through
// the library's videoroom client. Prints one JSON line, {feed, anchor}, once Janus has the stream:
// `anchor` is when the camera's frame 0 was captured, in CLOCK_MONOTONIC milliseconds (the clock
// every process shares), so that a subscriber can tell each frame's capture time from its number.
// Ends on SIGTERM: leaves the room, closes the connection, exits.
//
// Usage: node bench/lib/janus-publisher.mjs WIDTH HEIGHT FPS DISPLAY
const [width, height, frameRate, display] = process.argv.slice(2);
const FPS = Number(frameRate);
const { installGlobals, MediaStreamTrackProcessor, JanusVideoRoom } = await import('../../dist/index.js');
const { decodeFrameNumber } = await import('../../dist/media/synthetic/frame-code.js');
const { API, ROOM } = await import('../../test/webrtc/fixtures/janus-server.mjs');

const handle = installGlobals(globalThis, { backends: 'builtin' });
const stream = await navigator.mediaDevices.getUserMedia({ video: { width: Number(width), height: Number(height), frameRate: FPS }, audio: true });
const anchor = await frameClock(stream.getVideoTracks()[0]);

const pc = new RTCPeerConnection();
for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
const room = await JanusVideoRoom.connect(API, ROOM);
const publisher = await room.publish(pc, { display });
await publisher.ready();
console.log(JSON.stringify({ feed: publisher.feed, anchor }));

process.once('SIGTERM', async () => {
  for (const t of stream.getTracks()) t.stop();
  await publisher.close().catch(() => {});
  await room.close().catch(() => {});
  handle.uninstall();
});

/**
 * The capture time of frame 0 (CLOCK_MONOTONIC ms): of 15 frames read from a clone as they come,
 * the earliest `read time - number × interval` (the frame read with the least delay).
 */
async function frameClock(track) {
  const toMonotonic = Number(process.hrtime.bigint()) / 1e6 - performance.now();
  const clone = track.clone();
  const reader = new MediaStreamTrackProcessor({ track: clone }).readable.getReader();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 15; i++) {
    const { value: frame } = await reader.read();
    const readAt = performance.now() + toMonotonic;
    const bytes = new Uint8Array(frame.allocationSize());
    const [luma] = await frame.copyTo(bytes);
    const n = decodeFrameNumber({ y: bytes.subarray(luma.offset), width: frame.displayWidth, height: frame.displayHeight, stride: luma.stride });
    frame.close();
    if (n !== null) best = Math.min(best, readAt - (n * 1000) / FPS);
  }
  reader.releaseLock();
  clone.stop();
  return best;
}
