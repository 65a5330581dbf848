/**
 * A wrtc peer connection, seen from our process: the host process (host.ts) owns the real one;
 * this object has the shape of werift's RTCPeerConnection (the members RTCPeerConnection.ts uses),
 * answers the synchronous attributes from the last state the host sent, posts the synchronous
 * methods (addTrack, addTransceiver, removeTrack) to the host in order, and forwards the rest.
 *
 * When the host dies without close(): `connectionState` and `iceConnectionState` become "failed"
 * and their change events fire, pending and later calls reject with an OperationError that says
 * how it ended, remote tracks get no more media, and a process warning (code
 * {@link HOST_EXIT_WARNING}) carries the same message. Our process is not affected.
 */
import { HostProcess } from './host-process.js';
import type { CandidateInit, CommandBody, DescriptionInit, HostEvent, HostConfiguration, Reply, Snapshot } from './protocol.js';
import { RecordDecoder } from './media.js';
import { Signal, type Link, WrtcLocalTrack, type WrtcMediaStream, type WrtcSender, WrtcTransceiver } from './transceiver.js';

/** The code of the process warning emitted when a host dies. */
export const HOST_EXIT_WARNING = 'MEDIACAPTURE_WRTC_HOST_EXIT';

/** The members of werift's configuration our RTCPeerConnection passes that mean something here. */
interface PeerConfig {
  iceServers?: { urls: string; username?: string; credential?: string }[];
  iceTransportPolicy?: 'all' | 'relay';
  bundlePolicy?: 'balanced' | 'max-compat' | 'max-bundle';
}

const INITIAL: Snapshot = {
  signalingState: 'stable',
  connectionState: 'new',
  iceConnectionState: 'new',
  iceGatheringState: 'new',
  canTrickleIceCandidates: null,
  localDescription: null,
  currentLocalDescription: null,
  pendingLocalDescription: null,
  remoteDescription: null,
  currentRemoteDescription: null,
  pendingRemoteDescription: null,
  transceivers: [],
};

/** A candidate as werift reports one (`toJSON()`). */
class Candidate {
  readonly #init: CandidateInit;
  constructor(init: CandidateInit) {
    this.#init = init;
  }
  toJSON(): CandidateInit {
    return { ...this.#init };
  }
}

/** See the module comment. */
export class WrtcPeerConnection implements Link {
  readonly host: HostProcess;
  #state: Snapshot = INITIAL;
  readonly #transceivers = new Map<number, WrtcTransceiver>();
  readonly #decoders = new Map<number, RecordDecoder>();
  #nextId = 1;
  #closed = false;

  readonly onIceCandidate = new Signal<[Candidate | undefined]>();
  readonly iceGatheringStateChange = new Signal<[string]>();
  readonly iceConnectionStateChange = new Signal<[string]>();
  readonly signalingStateChange = new Signal<[string]>();
  readonly onNegotiationneeded = new Signal<[]>();
  readonly connectionStateChange = new Signal<[string]>();
  ontrack: ((event: { transceiver: WrtcTransceiver; track: unknown; streams: WrtcMediaStream[] }) => void) | undefined;
  /** werift lists its DTLS transports here; libwebrtc's are the host's. */
  readonly dtlsTransports: never[] = [];

  constructor(wrtcPath: string, config: PeerConfig) {
    this.host = new HostProcess(wrtcPath, {
      event: (e) => this.#onEvent(e),
      media: (record) => {
        const transceiver = this.#transceivers.get(record.id);
        if (!transceiver) return;
        let decoder = this.#decoders.get(record.id);
        if (!decoder) this.#decoders.set(record.id, (decoder = new RecordDecoder()));
        const media = decoder.decode(record);
        if (media) transceiver.receiver.track.onMedia.execute(media);
      },
      exit: (message) => this.#onHostExit(message),
    });
    const configuration: HostConfiguration = {
      iceServers: config.iceServers ?? [],
      iceTransportPolicy: config.iceTransportPolicy ?? 'all',
      bundlePolicy: config.bundlePolicy ?? 'max-bundle',
    };
    this.post({ op: 'create', configuration });
  }

  get signalingState(): string {
    return this.#state.signalingState;
  }
  get connectionState(): string {
    return this.#state.connectionState;
  }
  get iceConnectionState(): string {
    return this.#state.iceConnectionState;
  }
  get iceGatheringState(): string {
    return this.#state.iceGatheringState;
  }
  get canTrickleIceCandidates(): boolean | null {
    return this.#state.canTrickleIceCandidates;
  }
  get localDescription(): DescriptionInit | null {
    return this.#state.localDescription;
  }
  get currentLocalDescription(): DescriptionInit | null {
    return this.#state.currentLocalDescription;
  }
  get pendingLocalDescription(): DescriptionInit | null {
    return this.#state.pendingLocalDescription;
  }
  get remoteDescription(): DescriptionInit | null {
    return this.#state.remoteDescription;
  }
  get currentRemoteDescription(): DescriptionInit | null {
    return this.#state.currentRemoteDescription;
  }
  get pendingRemoteDescription(): DescriptionInit | null {
    return this.#state.pendingRemoteDescription;
  }

  createOffer(): Promise<DescriptionInit> {
    return this.#call({ op: 'createOffer' }) as Promise<DescriptionInit>;
  }

  createAnswer(): Promise<DescriptionInit> {
    return this.#call({ op: 'createAnswer' }) as Promise<DescriptionInit>;
  }

  async setLocalDescription(description?: { type: string; sdp?: string }): Promise<void> {
    await this.#call({ op: 'setLocalDescription', description: description ? { type: description.type, sdp: description.sdp ?? '' } : null });
  }

  async setRemoteDescription(description: { type: string; sdp: string }): Promise<void> {
    await this.#call({ op: 'setRemoteDescription', description: { type: description.type, sdp: description.sdp } });
  }

  async addIceCandidate(candidate?: CandidateInit): Promise<void> {
    await this.#call({ op: 'addIceCandidate', candidate: candidate ?? null });
  }

  /**
   * addTrack: the transceiver it uses is chosen here as the host's libwebrtc will choose it
   * (webrtc-pc addTrack step 7: the first of the kind that never sent and has no track), so
   * that the sender can be returned at once.
   */
  addTrack(track: WrtcLocalTrack, ...streams: WrtcMediaStream[]): WrtcSender {
    let transceiver = [...this.#transceivers.values()].find((t) => t.reusableFor(track.kind));
    if (transceiver) {
      if (transceiver.direction === 'recvonly') transceiver.mirrorDirection('sendrecv');
      else if (transceiver.direction === 'inactive') transceiver.mirrorDirection('sendonly');
    } else {
      transceiver = this.#add(this.#nextId++, track.kind, 'sendrecv');
    }
    transceiver.sender.registerTrack(track);
    transceiver.sender.sending = true;
    this.post({ op: 'addTrack', id: transceiver.id, kind: track.kind, streams: streams.map((s) => s.id) });
    return transceiver.sender;
  }

  addTransceiver(trackOrKind: WrtcLocalTrack | string, init: { direction?: string; streams?: WrtcMediaStream[] } = {}): WrtcTransceiver {
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const kind = track ? track.kind : trackOrKind === 'audio' ? 'audio' : 'video';
    const direction = init.direction ?? 'sendrecv';
    const transceiver = this.#add(this.#nextId++, kind, direction);
    if (track) {
      transceiver.sender.registerTrack(track);
      transceiver.sender.sending = true;
    }
    this.post({ op: 'addTransceiver', id: transceiver.id, kind, withTrack: track !== null, direction, streams: (init.streams ?? []).map((s) => s.id) });
    return transceiver;
  }

  /** removeTrack: the sender keeps its m-line; the direction loses "send" (webrtc-pc removeTrack steps 10-12). */
  removeTrack(sender: WrtcSender): void {
    const transceiver = [...this.#transceivers.values()].find((t) => t.sender === sender);
    if (!transceiver) return;
    sender.sending = false;
    if (transceiver.direction === 'sendrecv') transceiver.mirrorDirection('recvonly');
    else if (transceiver.direction === 'sendonly') transceiver.mirrorDirection('inactive');
    this.post({ op: 'removeTrack', id: transceiver.id });
  }

  getTransceivers(): WrtcTransceiver[] {
    return [...this.#transceivers.values()];
  }

  async getStats(): Promise<[string, unknown][]> {
    return (await this.#call({ op: 'getStats' })) as [string, unknown][];
  }

  /**
   * Closes the connection and ends the host (see host-process.ts); resolves once it is gone. The
   * states are "closed" at once (webrtc-pc close steps 4, 10, 11), whatever the host says after.
   */
  close(): Promise<void> {
    this.#closed = true;
    this.#state = { ...this.#state, signalingState: 'closed', connectionState: 'closed', iceConnectionState: 'closed' };
    return this.host.close();
  }

  /**
   * Sends a command of a synchronous method, whose caller has returned: its reply's state is
   * taken, and its failure becomes a process warning (a dead host has warned already).
   */
  post(command: CommandBody): void {
    this.#call(command).catch((error: Error) => {
      if (!this.#closed && this.host.failure === null) process.emitWarning(`wrtc: ${command.op}: ${error.message}`, { code: 'MEDIACAPTURE_WRTC' });
    });
  }

  #add(id: number, kind: 'audio' | 'video', direction: string): WrtcTransceiver {
    const transceiver = new WrtcTransceiver(this, id, kind, direction);
    this.#transceivers.set(id, transceiver);
    return transceiver;
  }

  /** Sends a command; its reply's state is taken first, and an error becomes the stack's exception. */
  async #call(command: CommandBody): Promise<unknown> {
    let reply: Reply;
    try {
      reply = await this.host.request(command);
    } catch (error) {
      throw new DOMException((error as Error).message, 'OperationError');
    }
    this.#apply(reply.state);
    if (reply.error) throw stackError(reply.error);
    return reply.value;
  }

  /** Takes a state from the host: transceivers it made appear here, the others are updated. */
  #apply(state: Snapshot): void {
    if (this.#closed) return;
    this.#state = state;
    for (const t of state.transceivers) {
      const transceiver = this.#transceivers.get(t.id) ?? this.#add(t.id, t.kind, t.direction);
      transceiver.update(t);
    }
  }

  #onEvent(e: HostEvent): void {
    this.#apply(e.state);
    switch (e.event) {
      case 'icecandidate':
        this.onIceCandidate.execute(e.candidate ? new Candidate(e.candidate) : undefined);
        break;
      case 'statechange': {
        const signals = { signalingState: this.signalingStateChange, connectionState: this.connectionStateChange, iceConnectionState: this.iceConnectionStateChange, iceGatheringState: this.iceGatheringStateChange };
        signals[e.which].execute(e.state[e.which]);
        break;
      }
      case 'negotiationneeded':
        this.onNegotiationneeded.execute();
        break;
      case 'track': {
        const transceiver = this.#transceivers.get(e.id);
        if (transceiver) this.ontrack?.({ transceiver, track: transceiver.receiver.track, streams: e.streams.map((id) => ({ id })) });
        break;
      }
      case 'warning':
        process.emitWarning(`wrtc: ${e.message}`, { code: 'MEDIACAPTURE_WRTC' });
        break;
    }
  }

  #onHostExit(message: string): void {
    if (this.#closed) return;
    this.#state = { ...this.#state, connectionState: 'failed', iceConnectionState: 'failed' };
    this.iceConnectionStateChange.execute('failed');
    this.connectionStateChange.execute('failed');
    process.emitWarning(message, { code: HOST_EXIT_WARNING });
  }
}

export { WrtcLocalTrack };

/** libwebrtc's error as ours: a TypeError stays one, a DOMException keeps its name, the rest are OperationErrors. */
function stackError(error: { name: string; message: string }): Error {
  if (error.name === 'TypeError') return new TypeError(error.message);
  const named = /^[A-Z][A-Za-z]*Error$/.test(error.name) && error.name !== 'Error';
  return new DOMException(error.message, named ? error.name : 'OperationError');
}
