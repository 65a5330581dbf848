// A worker for the transfer tests. It loads the package from the build directory the test made
// (workerData.dist) and answers commands from the test, one at a time.
import { parentPort, workerData } from 'node:worker_threads';

const { deserializeTrack, deserializeVideoFrame, serializeVideoFrame } = await import(`${workerData.dist}/interfaces/transfer.js`);
const { MediaStreamTrackProcessor } = await import(`${workerData.dist}/interfaces/MediaStreamTrackProcessor.js`);
const { decodeFrameNumber } = await import(`${workerData.dist}/media/synthetic/frame-code.js`);
const { videoFramePlanes } = await import(`${workerData.dist}/webcodecs/internal.js`);

function describe(frame) {
  const p = videoFramePlanes(frame);
  return {
    width: frame.codedWidth,
    height: frame.codedHeight,
    timestamp: frame.timestamp,
    number: decodeFrameNumber({ format: 'I420', width: p.codedWidth, height: p.codedHeight, data: p.data }),
    shared: p.data.buffer instanceof SharedArrayBuffer,
  };
}

const tracks = new Map();

const commands = {
  /** Receives a track and reports what it is. */
  receive({ name, track: data }) {
    const track = deserializeTrack(data);
    tracks.set(name, track);
    const events = [];
    for (const type of ['mute', 'unmute', 'ended']) track.addEventListener(type, () => events.push(type));
    track.events = events;
    return { id: track.id, kind: track.kind, label: track.label, readyState: track.readyState, muted: track.muted, enabled: track.enabled, settings: track.getSettings() };
  },
  /** Reads `count` frames from a track with a processor (after applying `constraints`). */
  async read({ name, count, constraints, maxBufferSize = 100 }) {
    const track = tracks.get(name);
    if (constraints) await track.applyConstraints(constraints);
    const reader = new MediaStreamTrackProcessor({ track, maxBufferSize }).readable.getReader();
    const frames = [];
    for (let i = 0; i < count; i++) {
      const { value } = await reader.read();
      frames.push(describe(value));
      value.close();
    }
    await reader.cancel();
    return { frames, settings: track.getSettings() };
  },
  state({ name }) {
    const track = tracks.get(name);
    return { readyState: track.readyState, muted: track.muted, events: track.events };
  },
  stop({ name }) {
    tracks.get(name).stop();
    return {};
  },
  /** Receives a VideoFrame and describes it; sends it back when asked. */
  frame({ frame: data, sendBack }) {
    const frame = deserializeVideoFrame(data);
    const info = describe(frame);
    if (!sendBack) {
      frame.close();
      return { info };
    }
    const { data: back, transfer } = serializeVideoFrame(frame);
    return { info, back, transfer };
  },
};

parentPort.on('message', async ({ id, command, args }) => {
  try {
    const { transfer = [], ...result } = (await commands[command](args)) ?? {};
    parentPort.postMessage({ id, result }, transfer);
  } catch (error) {
    parentPort.postMessage({ id, error: { name: error.name, message: error.message } });
  }
});
parentPort.postMessage({ ready: true });
