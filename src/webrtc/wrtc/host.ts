/**
 * The wrtc host: a Node process of its own that owns one @roamhq/wrtc peer connection (libwebrtc)
 * for one of our RTCPeerConnections, started by host-process.ts with `child_process.fork`.
 *
 * Why a process: wrtc 0.10.0 segfaults when Node exits after `pc.close()`, takes the whole process
 * down when a worker thread holding it ends, and keeps Node running until `close()`. Here a crash
 * ends this process only; our side sees the exit and fails the connection.
 *
 * It runs the commands of protocol.ts one at a time, in order (as the spec's operations chain
 * would), answers each with the connection's state, reports wrtc's events, and moves media on the
 * pipe (fd 4): our senders' frames into wrtc's `RTCVideoSource`/`RTCAudioSource` (libwebrtc
 * encodes them, answers the peer's key-frame requests and adapts the bitrate to its congestion
 * control), and what `RTCVideoSink`/`RTCAudioSink` decode from the peer back to us.
 *
 * It imports only Node's modules, protocol.ts and platform/timers.ts (the project's rule for time).
 *
 * argv[2]: the path of wrtc's main module (resolved by our side, so both load the same copy).
 * It never exits by itself: our side kills it after `close()` (its exit may crash) and it kills
 * itself when our side goes away (the IPC channel disconnects).
 */
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import { setImmediate } from '../../platform/timers.js';
import { type CandidateInit, type Command, type DescriptionInit, type HostEvent, type HostEventBody, MediaReader, type MediaRecord, MediaType, mediaHeader, type Reply, type Snapshot, type TransceiverState } from './protocol.js';

// wrtc's own types are an optional package's; the parts used here are described loosely.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Any = any;

const wrtcPath = process.argv[2]!;
const wrtc: Any = createRequire(wrtcPath)(wrtcPath);
const media = new Socket({ fd: 4, readable: true, writable: true });

let pc: Any = null;
/** Transceiver ids: ours are below HOST_IDS, those wrtc makes (a remote offer's m-lines) from it up. */
const HOST_IDS = 0x80000000;
let nextId = HOST_IDS;
const idOf = new Map<object, number>();
const byId = new Map<number, Any>();
const usedToSend = new Set<number>();
/** The source each sender's frames go to, by transceiver id. */
const sources = new Map<number, Source>();
const sinks = new Map<number, Any>();
/** Candidates given before the remote description (see addIceCandidate). */
const early: CandidateInit[] = [];

function send(message: Reply | HostEvent): void {
  if (process.connected) process.send!(message);
}

function die(): void {
  process.kill(process.pid, 'SIGKILL');
}

// Our side went away (it exited or was killed): end without running wrtc's exit path.
process.on('disconnect', die);

function transceiverId(t: Any, wanted?: number): number {
  let id = idOf.get(t);
  if (id === undefined) {
    id = wanted ?? nextId++;
    idOf.set(t, id);
  }
  if (wanted !== undefined && wanted !== id) {
    // Our side guessed another transceiver than libwebrtc chose: both ids lead to this one.
    event({ event: 'warning', message: `addTrack used transceiver ${id} where ${wanted} was expected` });
  }
  byId.set(id, t);
  if (wanted !== undefined) byId.set(wanted, t);
  return id;
}

function description(d: Any): DescriptionInit | null {
  return d ? { type: String(d.type), sdp: String(d.sdp) } : null;
}

function snapshot(): Snapshot {
  const transceivers: TransceiverState[] = pc
    ? pc.getTransceivers().map((t: Any) => {
        const id = transceiverId(t);
        if (t.currentDirection === 'sendrecv' || t.currentDirection === 'sendonly') usedToSend.add(id);
        return {
          id,
          kind: t.receiver.track.kind,
          mid: t.mid ?? null,
          direction: t.direction,
          currentDirection: t.currentDirection ?? null,
          stopped: !!t.stopped,
          sending: !!t.sender.track,
          usedToSend: usedToSend.has(id),
          parameters: t.sender.getParameters(),
        };
      })
    : [];
  return {
    signalingState: pc?.signalingState ?? 'stable',
    connectionState: pc?.connectionState ?? 'new',
    iceConnectionState: pc?.iceConnectionState ?? 'new',
    iceGatheringState: pc?.iceGatheringState ?? 'new',
    canTrickleIceCandidates: pc?.canTrickleIceCandidates ?? null,
    localDescription: description(pc?.localDescription),
    currentLocalDescription: description(pc?.currentLocalDescription),
    pendingLocalDescription: description(pc?.pendingLocalDescription),
    remoteDescription: description(pc?.remoteDescription),
    currentRemoteDescription: description(pc?.currentRemoteDescription),
    pendingRemoteDescription: description(pc?.pendingRemoteDescription),
    transceivers,
  };
}

function event(e: HostEventBody): void {
  send({ ...e, state: snapshot() });
}

function streamsOf(ids: readonly string[]): Any[] {
  return ids.map((id) => new wrtc.MediaStream({ id }));
}

/** A wrtc source and its track, fed by one of our senders. */
interface Source {
  readonly kind: string;
  readonly source: Any;
  readonly track: Any;
  readonly screencast: boolean;
}

function newSource(kind: string, screencast = false): Source {
  const source = kind === 'video' ? new wrtc.nonstandard.RTCVideoSource({ isScreencast: screencast }) : new wrtc.nonstandard.RTCAudioSource();
  return { kind, source, track: source.createTrack(), screencast };
}

/** A remote track's decoded media goes to our side, tagged with its transceiver's id. */
function startSink(id: number, track: Any): void {
  if (sinks.has(id)) return;
  if (track.kind === 'video') {
    const sink = new wrtc.nonstandard.RTCVideoSink(track);
    sink.onframe = ({ frame }: Any) => writeMedia(MediaType.video, id, frame.width, frame.height, 0, frame.data, true);
    sinks.set(id, sink);
  } else {
    const sink = new wrtc.nonstandard.RTCAudioSink(track);
    sink.ondata = (d: Any) => writeMedia(MediaType.audio, id, d.sampleRate, d.channelCount, d.numberOfFrames, d.samples, false);
    sinks.set(id, sink);
  }
}

/** Writes one record to our side; a video frame is dropped while the pipe is backed up. */
function writeMedia(type: number, id: number, a: number, b: number, c: number, data: ArrayBufferView, droppable: boolean): void {
  if (droppable && media.writableNeedDrain) return;
  // A copy: wrtc may reuse the memory once the callback returns, before the socket has written it.
  const bytes = Buffer.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  media.write(mediaHeader(type, id, a, b, c, bytes.length));
  media.write(bytes);
}

/**
 * Our sender's media, into the source of its transceiver: made on first use for a remote offer's,
 * and made again when a video track's content changes between screencast and not (the flag is
 * the source's from its construction).
 */
function onRecord(record: MediaRecord): void {
  let entry = sources.get(record.id);
  const screencast = record.type === MediaType.video && record.c === 1;
  if (!entry || entry.screencast !== screencast) {
    const t = byId.get(record.id);
    if (!t || t.stopped) return;
    const old = entry;
    entry = newSource(record.type === MediaType.video ? 'video' : 'audio', screencast);
    sources.set(record.id, entry);
    t.sender.replaceTrack(entry.track).then(
      () => old?.track.stop(),
      (error: Error) => event({ event: 'warning', message: `replaceTrack: ${error.message}` }),
    );
  }
  try {
    if (record.type === MediaType.video) {
      entry.source.onFrame({ width: record.a, height: record.b, data: new Uint8ClampedArray(record.payload.buffer, record.payload.byteOffset, record.payload.length) });
    } else {
      const samples = new Int16Array(record.payload.buffer, record.payload.byteOffset, record.payload.length >> 1);
      entry.source.onData({ samples, sampleRate: record.a, bitsPerSample: 16, channelCount: record.b, numberOfFrames: record.c });
    }
  } catch (error) {
    event({ event: 'warning', message: `wrtc refused a ${record.type === MediaType.video ? 'frame' : 'chunk of audio'}: ${(error as Error).message}` });
  }
}

const reader = new MediaReader(onRecord);
media.on('data', (chunk: Buffer) => reader.push(chunk));
media.on('error', () => {});

function wire(): void {
  pc.onicecandidate = (e: Any) => {
    const c = e.candidate;
    const candidate: CandidateInit | null = c && c.candidate ? { candidate: c.candidate, sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null, usernameFragment: c.usernameFragment ?? null } : null;
    event({ event: 'icecandidate', candidate });
  };
  pc.onsignalingstatechange = () => event({ event: 'statechange', which: 'signalingState' });
  pc.onconnectionstatechange = () => event({ event: 'statechange', which: 'connectionState' });
  pc.oniceconnectionstatechange = () => event({ event: 'statechange', which: 'iceConnectionState' });
  pc.onicegatheringstatechange = () => event({ event: 'statechange', which: 'iceGatheringState' });
  pc.onnegotiationneeded = () => event({ event: 'negotiationneeded' });
  pc.ontrack = (e: Any) => {
    const id = transceiverId(e.transceiver);
    startSink(id, e.track);
    event({ event: 'track', id, streams: (e.streams ?? []).map((s: Any) => s.id) });
  };
}

async function perform(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'create':
      pc = new wrtc.RTCPeerConnection(command.configuration);
      wire();
      return undefined;
    case 'createOffer':
      return description(await pc.createOffer());
    case 'createAnswer':
      return description(await pc.createAnswer());
    case 'setLocalDescription': {
      // wrtc wants a description: without one, the offer or answer the state calls for.
      const d = command.description ?? description(pc.signalingState === 'have-remote-offer' || pc.signalingState === 'have-local-pranswer' ? await pc.createAnswer() : await pc.createOffer());
      await pc.setLocalDescription(d);
      return undefined;
    }
    case 'setRemoteDescription':
      await pc.setRemoteDescription(command.description);
      for (const candidate of early.splice(0)) await pc.addIceCandidate(candidate).catch((error: Error) => event({ event: 'warning', message: `a candidate given before the remote description was refused: ${error.message}` }));
      // wrtc dispatches `track` from its own queue: let it run, so that the events come first.
      await new Promise<void>((resolve) => setImmediate(() => resolve()));
      return undefined;
    case 'addIceCandidate':
      if (command.candidate === null || command.candidate.candidate === '') return undefined;
      // A candidate before the remote description waits for it. The spec rejects it
      // (InvalidStateError), but in a browser it rarely comes that early, as the peer gathers only
      // after its own description is set; here the host's replies come later than a browser's
      // would, and werift (our other stack) takes such candidates too.
      if (!pc.remoteDescription) {
        early.push(command.candidate);
        return undefined;
      }
      await pc.addIceCandidate(command.candidate);
      return undefined;
    case 'addTrack': {
      const entry = newSource(command.kind);
      const sender = pc.addTrack(entry.track, ...streamsOf(command.streams));
      const t = pc.getTransceivers().find((x: Any) => x.sender === sender);
      const id = transceiverId(t, command.id);
      sources.set(id, entry);
      sources.set(command.id, entry);
      return undefined;
    }
    case 'addTransceiver': {
      const entry = command.withTrack ? newSource(command.kind) : null;
      const t = pc.addTransceiver(entry ? entry.track : command.kind, { direction: command.direction, streams: streamsOf(command.streams) });
      transceiverId(t, command.id);
      if (entry) sources.set(command.id, entry);
      return undefined;
    }
    case 'removeTrack': {
      const t = byId.get(command.id);
      if (t) pc.removeTrack(t.sender);
      sources.delete(command.id);
      return undefined;
    }
    case 'setStreams':
      byId.get(command.id)?.sender.setStreams(...streamsOf(command.streams));
      return undefined;
    case 'setDirection': {
      const t = byId.get(command.id);
      if (t) t.direction = command.direction;
      return undefined;
    }
    case 'stopTransceiver':
      byId.get(command.id)?.stop();
      return undefined;
    case 'getStats': {
      const report = await pc.getStats();
      return [...report.entries()];
    }
    case 'close':
      for (const sink of sinks.values()) sink.stop();
      sinks.clear();
      pc?.close();
      return undefined;
  }
}

let chain: Promise<void> = Promise.resolve();
process.on('message', (command: Command) => {
  chain = chain.then(async () => {
    let reply: Omit<Reply, 'state'>;
    try {
      reply = { reply: command.seq, value: await perform(command) };
    } catch (error) {
      const e = error as Error;
      reply = { reply: command.seq, error: { name: e?.name ?? 'Error', message: e?.message ?? String(error) } };
    }
    send({ ...reply, state: snapshot() });
  });
});
