/**
 * RTCPeerConnection (https://w3c.github.io/webrtc-pc/#interface-definition) over werift, sending
 * our MediaStreamTracks and receiving remote ones as our MediaStreamTracks.
 *
 * werift does the signalling state machine, ICE, DTLS-SRTP and RTCP; this class is the IDL
 * surface (argument conversion, the spec's exceptions, events as our Event objects) and owns the
 * media: one {@link SenderSlots} per sender (track → VP8/Opus → RTP) and one
 * {@link ReceiverSlots} per receiver (RTP → decoded frames → a remote track). Codecs are VP8 and
 * Opus, the two every WebRTC endpoint must support (RFC 7742, RFC 7874).
 *
 * Events: werift's are turned into ours and fired as tasks (`queueTask`), so a handler never runs
 * inside one of werift's callbacks, and in the order werift reports them.
 */
import type * as W from 'werift';
import { createMediaStream, mediaStreamOf, type MediaStream } from '../interfaces/MediaStream.js';
import { trackOf, type MediaStreamTrack } from '../interfaces/MediaStreamTrack.js';
import { streamOf } from '../interfaces/MediaStream.js';
import { addTrack as addTrackToStream, type Stream } from '../algorithms/track/stream.js';
import { defineEventHandler } from '../platform/event-handler.js';
import { illegalInvocation } from '../platform/errors.js';
import { INTERNAL, exposeInterface } from '../platform/interface.js';
import { queueTask } from '../platform/tasks.js';
import { RTCIceCandidate, RTCSessionDescription, toCandidateInit, toDescriptionInit, type RTCSessionDescriptionInit } from './descriptions.js';
import { RTCPeerConnectionIceEvent, RTCTrackEvent } from './events.js';
import { RTCRtpReceiver } from './receiver.js';
import { ReceiverSlots } from './receiver-slots.js';
import { RTCRtpSender } from './sender.js';
import { SenderSlots, senderSlots } from './sender-slots.js';
import { endHandshakeRetransmission } from './dtls-handshake.js';
import { loadStack } from './load-stack.js';
import { filterSdpCandidates, iceAddresses, localCandidateAllowed, remoteCandidateAllowed, type Werift } from './stack.js';
import { RTCRtpTransceiver, toDirection, type RTCRtpTransceiverDirection } from './transceiver.js';

/** `RTCIceServer`. */
export interface RTCIceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

/** The members of `RTCConfiguration` this implementation uses. */
export interface RTCConfiguration {
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: 'all' | 'relay';
  bundlePolicy?: 'balanced' | 'max-compat' | 'max-bundle';
}

/** `RTCRtpTransceiverInit`. */
export interface RTCRtpTransceiverInit {
  direction?: RTCRtpTransceiverDirection;
  streams?: MediaStream[];
}

const CONTEXT = 'RTCPeerConnection';

/** The connection's internal slots. */
interface Slots {
  readonly werift: Werift;
  readonly native: W.RTCPeerConnection;
  /** Our transceiver for each of werift's. */
  readonly transceivers: Map<W.RTCRtpTransceiver, { transceiver: RTCRtpTransceiver; sender: SenderSlots; receiver: ReceiverSlots }>;
  /** Our remote streams, by their id (msid). */
  readonly remoteStreams: Map<string, Stream>;
  /** [[IsClosed]]. */
  closed: boolean;
  readonly addresses: string[] | null;
  /** Every DTLS transport werift made for this connection (see closeNative). */
  readonly transports: Set<W.RTCDtlsTransport>;
}

/** A connection to a peer that sends our tracks and receives theirs (see the module comment). */
export class RTCPeerConnection extends EventTarget {
  readonly #slots: Slots;

  /**
   * NotSupportedError when the selected stack's package is not installed (the message says how to
   * install it). The stack is werift, or wrtc behind werift's shape (src/webrtc/select.ts).
   */
  constructor(configuration: RTCConfiguration = {}) {
    super();
    const werift = loadStack();
    const addresses = iceAddresses();
    const feedback = [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'goog-remb' }];
    const config: Partial<W.PeerConfig> = {
      codecs: {
        video: [new werift.RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: feedback })],
        audio: [new werift.RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
      },
      iceServers: convertIceServers(configuration?.iceServers),
      iceTransportPolicy: configuration?.iceTransportPolicy === 'relay' ? 'relay' : 'all',
      // "balanced" (the default) as max-bundle: werift's balanced is max-compat, one transport
      // (and one ICE ufrag) per m-line, which bundling peers such as Janus cannot check against
      // (they use the first m-line's credentials for every candidate). Every browser bundles.
      bundlePolicy: configuration?.bundlePolicy === 'max-compat' ? 'max-compat' : 'max-bundle',
      iceUseIpv6: addresses === null,
    };
    if (addresses !== null) {
      // Sockets bound to the first address only, and candidates on the allowed ones (loopback included).
      config.iceInterfaceAddresses = { udp4: addresses[0]! };
      config.iceAdditionalHostAddresses = addresses;
    }
    const native = new werift.RTCPeerConnection(config);
    this.#slots = { werift, native, transceivers: new Map(), remoteStreams: new Map(), closed: false, addresses, transports: new Set() };
    this.#wire();
  }

  get localDescription(): RTCSessionDescription | null {
    return this.#description('localDescription', 'local', (n) => n.localDescription);
  }

  get currentLocalDescription(): RTCSessionDescription | null {
    return this.#description('currentLocalDescription', 'local', (n) => n.currentLocalDescription);
  }

  get pendingLocalDescription(): RTCSessionDescription | null {
    return this.#description('pendingLocalDescription', 'local', (n) => n.pendingLocalDescription);
  }

  get remoteDescription(): RTCSessionDescription | null {
    return this.#description('remoteDescription', 'remote', (n) => n.remoteDescription);
  }

  get currentRemoteDescription(): RTCSessionDescription | null {
    return this.#description('currentRemoteDescription', 'remote', (n) => n.currentRemoteDescription);
  }

  get pendingRemoteDescription(): RTCSessionDescription | null {
    return this.#description('pendingRemoteDescription', 'remote', (n) => n.pendingRemoteDescription);
  }

  get signalingState(): string {
    return this.#native('signalingState').signalingState;
  }

  get connectionState(): string {
    return this.#slots.closed ? 'closed' : this.#native('connectionState').connectionState;
  }

  get iceConnectionState(): string {
    return this.#slots.closed ? 'closed' : this.#native('iceConnectionState').iceConnectionState;
  }

  get iceGatheringState(): string {
    return this.#native('iceGatheringState').iceGatheringState;
  }

  get canTrickleIceCandidates(): boolean | null {
    return this.#native('canTrickleIceCandidates').canTrickleIceCandidates;
  }

  /** createOffer (https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-createoffer). */
  async createOffer(_options?: unknown): Promise<RTCSessionDescription> {
    const native = this.#open('createOffer');
    const offer = await native.createOffer();
    this.#syncTransceivers();
    return new RTCSessionDescription({ type: 'offer', sdp: this.#local(offer.sdp) });
  }

  /** createAnswer (https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-createanswer). */
  async createAnswer(_options?: unknown): Promise<RTCSessionDescription> {
    const native = this.#open('createAnswer');
    if (native.signalingState !== 'have-remote-offer' && native.signalingState !== 'have-local-pranswer') {
      throw new DOMException(`Failed to execute 'createAnswer' on 'RTCPeerConnection': The signaling state is '${native.signalingState}', not 'have-remote-offer'.`, 'InvalidStateError');
    }
    const answer = await native.createAnswer();
    this.#syncTransceivers();
    return new RTCSessionDescription({ type: 'answer', sdp: this.#local(answer.sdp) });
  }

  /** setLocalDescription; without a description, the offer or answer the state calls for. */
  async setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void> {
    const native = this.#open('setLocalDescription');
    const init = description === undefined || description === null ? undefined : toDescriptionInit(description, `Failed to execute 'setLocalDescription' on '${CONTEXT}'`);
    if (init?.type === 'rollback') await native.setLocalDescription({ type: 'rollback' });
    else await native.setLocalDescription(init && init.sdp ? ({ type: init.type, sdp: init.sdp } as W.RTCSessionDescriptionInit) : undefined);
    this.#syncTransceivers();
  }

  /**
   * setRemoteDescription: `track` events fire for the remote tracks it adds, before it resolves.
   * The description's candidates pass the same test as addIceCandidate's (the configured ICE
   * addresses must reach them, see remoteCandidateAllowed); the others are left out of it.
   */
  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    const native = this.#open('setRemoteDescription');
    const init = toDescriptionInit(description, `Failed to execute 'setRemoteDescription' on '${CONTEXT}'`);
    const tracks: W.RTCTrackEvent[] = [];
    this.#pendingTracks = tracks;
    try {
      await native.setRemoteDescription({ type: init.type, sdp: this.#remote(init.sdp ?? '') } as W.RTCSessionDescriptionInit);
    } catch (error) {
      throw new DOMException(`Failed to execute 'setRemoteDescription' on '${CONTEXT}': ${error instanceof Error ? error.message : String(error)}`, 'OperationError');
    } finally {
      this.#pendingTracks = null;
    }
    this.#syncTransceivers();
    for (const event of tracks) this.#fireTrack(event);
  }

  /** addIceCandidate; a candidate the configured ICE addresses cannot reach is ignored (see remoteCandidateAllowed). */
  async addIceCandidate(candidate?: unknown): Promise<void> {
    const native = this.#open('addIceCandidate');
    const init = toCandidateInit(candidate);
    if (!remoteCandidateAllowed(init.candidate ?? '', this.#slots.addresses)) return;
    if (init.candidate === '') return native.addIceCandidate(undefined);
    await native.addIceCandidate({
      candidate: init.candidate!,
      ...(init.sdpMid !== null ? { sdpMid: init.sdpMid } : {}),
      ...(init.sdpMLineIndex !== null ? { sdpMLineIndex: init.sdpMLineIndex } : {}),
      ...(init.usernameFragment ? { usernameFragment: init.usernameFragment } : {}),
    } as W.RTCIceCandidateInit);
  }

  /**
   * addTrack (https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-addtrack): sends `track`,
   * signalled as part of `streams`. InvalidStateError once closed; InvalidAccessError when the
   * track is already sent by this connection.
   */
  addTrack(track: MediaStreamTrack, ...streams: MediaStream[]): RTCRtpSender {
    const context = `Failed to execute 'addTrack' on '${CONTEXT}'`;
    if (!(#slots in this)) throw illegalInvocation(CONTEXT, 'addTrack');
    if (arguments.length < 1) throw new TypeError(`${context}: 1 argument required, but only 0 present.`);
    const t = trackOf(track);
    if (!t) throw new TypeError(`${context}: parameter 1 is not of type 'MediaStreamTrack'.`);
    const ids = streams.map((s, i) => {
      if (!streamOf(s)) throw new TypeError(`${context}: parameter ${i + 2} is not of type 'MediaStream'.`);
      return s.id;
    });
    // 4. If connection.[[IsClosed]] is true, throw an InvalidStateError.
    const native = this.#open('addTrack');
    // 6. If track is already in senders, throw an InvalidAccessError.
    for (const entry of this.#slots.transceivers.values()) {
      if (entry.sender.track === t) throw new DOMException(`${context}: A sender already exists for the track.`, 'InvalidAccessError');
    }
    const nativeTrack = new this.#slots.werift.MediaStreamTrack({ kind: t.kind });
    const nativeSender = native.addTrack(nativeTrack, ...ids.map((id) => new this.#slots.werift.MediaStream({ id })));
    const transceiver = native.getTransceivers().find((tr) => tr.sender === nativeSender)!;
    const entry = this.#wrap(transceiver);
    entry.sender.streamIds = ids;
    entry.sender.setTrack(t);
    return entry.transceiver.sender;
  }

  /** removeTrack: stops sending the sender's track (the m-line stays, as recvonly). */
  removeTrack(sender: RTCRtpSender): void {
    if (!(#slots in this)) throw illegalInvocation(CONTEXT, 'removeTrack');
    const native = this.#open('removeTrack');
    const slots = senderSlots(sender);
    // 3. If sender was not created by connection, throw an InvalidAccessError.
    if (![...this.#slots.transceivers.values()].some((e) => e.sender === slots)) {
      throw new DOMException(`Failed to execute 'removeTrack' on '${CONTEXT}': The sender was not created by this peer connection.`, 'InvalidAccessError');
    }
    if (slots.track === null) return;
    native.removeTrack(slots.native);
    slots.setTrack(null);
  }

  /** addTransceiver with a track or a kind ("audio", "video"). */
  addTransceiver(trackOrKind: MediaStreamTrack | string, init: RTCRtpTransceiverInit = {}): RTCRtpTransceiver {
    const context = `Failed to execute 'addTransceiver' on '${CONTEXT}'`;
    if (!(#slots in this)) throw illegalInvocation(CONTEXT, 'addTransceiver');
    let track = typeof trackOrKind === 'string' ? undefined : trackOf(trackOrKind);
    if (typeof trackOrKind !== 'string' && !track) throw new TypeError(`${context}: parameter 1 is not of type 'MediaStreamTrack'.`);
    const kind = track ? track.kind : String(trackOrKind);
    // 3. If kind is neither "audio" nor "video", throw a TypeError.
    if (kind !== 'audio' && kind !== 'video') throw new TypeError(`${context}: The kind '${kind}' is not valid: use 'audio' or 'video'.`);
    const direction = init?.direction === undefined ? 'sendrecv' : toDirection(init.direction, context);
    if (direction === 'stopped') throw new TypeError(`${context}: 'stopped' is not a valid direction for a new transceiver.`);
    const native = this.#open('addTransceiver');
    const ids = (init?.streams ?? []).map((s) => s.id);
    const nativeTrack = track ? new this.#slots.werift.MediaStreamTrack({ kind }) : undefined;
    const transceiver = native.addTransceiver(nativeTrack ?? kind, { direction, streams: ids.map((id) => new this.#slots.werift.MediaStream({ id })) });
    const entry = this.#wrap(transceiver);
    entry.sender.streamIds = ids;
    if (track) entry.sender.setTrack(track);
    track = undefined;
    return entry.transceiver;
  }

  getSenders(): RTCRtpSender[] {
    return this.getTransceivers().map((t) => t.sender);
  }

  getReceivers(): RTCRtpReceiver[] {
    return this.getTransceivers().map((t) => t.receiver);
  }

  getTransceivers(): RTCRtpTransceiver[] {
    if (!(#slots in this)) throw illegalInvocation(CONTEXT, 'getTransceivers');
    this.#syncTransceivers();
    return [...this.#slots.transceivers.values()].map((e) => e.transceiver);
  }

  /** The stack's statistics report (a Map of RTCStats dictionaries by id). */
  async getStats(): Promise<Map<string, unknown>> {
    const report = await this.#open('getStats').getStats();
    return new Map(report as unknown as Iterable<[string, unknown]>);
  }

  /**
   * close (https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-close): stops every sender and
   * receiver (their encoder and decoder processes end), ends the remote tracks, and closes the
   * transport. Fires no event. Once the returned work is done, nothing of this connection remains
   * (no process, socket or timer).
   */
  close(): void {
    if (!(#slots in this)) throw illegalInvocation(CONTEXT, 'close');
    const slots = this.#slots;
    if (slots.closed) return;
    slots.closed = true;
    const done: Promise<unknown>[] = [];
    for (const { sender, receiver } of slots.transceivers.values()) done.push(sender.stop(), receiver.stop());
    done.push(closeNative(slots.native, slots.transports));
    this.#closing = Promise.all(done).then(() => {});
  }

  /** Package-internal: resolves once close() has released everything (tests wait on it). */
  static closed(pc: RTCPeerConnection): Promise<void> {
    return pc.#closing ?? Promise.resolve();
  }

  #closing: Promise<void> | null = null;
  #pendingTracks: W.RTCTrackEvent[] | null = null;

  #native(member: string): W.RTCPeerConnection {
    if (!(#slots in this)) throw illegalInvocation(CONTEXT, member);
    return this.#slots.native;
  }

  /** The stack's connection, or InvalidStateError once closed. */
  #open(method: string): W.RTCPeerConnection {
    const native = this.#native(method);
    if (this.#slots.closed) throw new DOMException(`Failed to execute '${method}' on '${CONTEXT}': The RTCPeerConnection's signalingState is 'closed'.`, 'InvalidStateError');
    return native;
  }

  #description(member: string, side: 'local' | 'remote', read: (n: W.RTCPeerConnection) => { type: string; sdp: string } | null | undefined): RTCSessionDescription | null {
    const d = read(this.#native(member));
    if (!d) return null;
    return new RTCSessionDescription({ type: d.type as 'offer', sdp: side === 'local' ? this.#local(d.sdp) : this.#remote(d.sdp) });
  }

  /** `sdp` without our candidates off the configured ICE addresses (werift also lists the others it gathered). */
  #local(sdp: string): string {
    const addresses = this.#slots.addresses;
    return addresses === null ? sdp : filterSdpCandidates(sdp, (c) => localCandidateAllowed(c, addresses));
  }

  /** `sdp` without the peer's candidates the configured ICE addresses cannot reach. */
  #remote(sdp: string): string {
    const addresses = this.#slots.addresses;
    return addresses === null ? sdp : filterSdpCandidates(sdp, (c) => remoteCandidateAllowed(c, addresses));
  }

  /** Our transceiver (with sender and receiver) for one of werift's, made on first sight. */
  #wrap(native: W.RTCRtpTransceiver) {
    const slots = this.#slots;
    let entry = slots.transceivers.get(native);
    if (entry) return entry;
    const kind = native.kind as 'audio' | 'video';
    const connected = () => slots.native.connectionState === 'connected';
    const sender = new SenderSlots({ werift: slots.werift, connected, closed: () => slots.closed }, native.sender, kind, null, []);
    const receiver = new ReceiverSlots(slots.werift, native.receiver, kind);
    const transceiver = new RTCRtpTransceiver(INTERNAL, native, new RTCRtpSender(INTERNAL, sender), new RTCRtpReceiver(INTERNAL, receiver), () => slots.closed);
    entry = { transceiver, sender, receiver };
    slots.transceivers.set(native, entry);
    return entry;
  }

  #syncTransceivers(): void {
    for (const t of this.#slots.native.getTransceivers()) this.#wrap(t);
    for (const t of this.#slots.native.dtlsTransports) this.#slots.transports.add(t);
  }

  /** Turns werift's events into ours. */
  #wire(): void {
    const slots = this.#slots;
    const native = slots.native;
    const fire = (event: Event) => queueTask(() => !slots.closed && this.dispatchEvent(event));
    native.onIceCandidate.subscribe((candidate) => {
      if (slots.closed) return;
      if (!candidate) return fire(new RTCPeerConnectionIceEvent('icecandidate', { candidate: null }));
      const json = candidate.toJSON();
      if (!localCandidateAllowed(json.candidate, slots.addresses)) return;
      const init = { candidate: json.candidate, sdpMid: json.sdpMid ?? null, sdpMLineIndex: json.sdpMLineIndex ?? null, usernameFragment: json.usernameFragment ?? null };
      fire(new RTCPeerConnectionIceEvent('icecandidate', { candidate: new RTCIceCandidate(init) }));
    });
    native.iceGatheringStateChange.subscribe(() => fire(new Event('icegatheringstatechange')));
    native.iceConnectionStateChange.subscribe(() => fire(new Event('iceconnectionstatechange')));
    native.signalingStateChange.subscribe(() => fire(new Event('signalingstatechange')));
    native.onNegotiationneeded.subscribe(() => fire(new Event('negotiationneeded')));
    native.connectionStateChange.subscribe((state) => {
      // Senders start encoding once media can flow, and stop when it cannot.
      for (const { sender } of slots.transceivers.values()) sender.update();
      if (state !== 'closed') fire(new Event('connectionstatechange'));
    });
    native.ontrack = (event) => {
      this.#wrap(event.transceiver);
      if (this.#pendingTracks) this.#pendingTracks.push(event);
      else this.#fireTrack(event);
    };
  }

  /**
   * The remote-track part of "set a remote description": the receiver starts receiving, its track
   * is added to the remote streams (made on first sight), and `track` fires.
   */
  #fireTrack(event: W.RTCTrackEvent): void {
    const slots = this.#slots;
    const entry = this.#wrap(event.transceiver);
    entry.receiver.receive(event.track);
    const streams = event.streams.map((s) => {
      let stream = slots.remoteStreams.get(s.id);
      if (!stream) {
        stream = createMediaStream([]);
        // "Create a MediaStream" with the msid's stream id as [[id]] (webrtc-pc §5.1 "process the
        // addition of a remote track"): the stream model has no constructor argument for it.
        (stream as { id: string }).id = s.id;
        slots.remoteStreams.set(s.id, stream);
      }
      if (!stream.trackSet.has(entry.receiver.track)) addTrackToStream(stream, entry.receiver.track);
      return mediaStreamOf(stream);
    });
    const receiver = entry.transceiver.receiver;
    this.dispatchEvent(new RTCTrackEvent('track', { receiver, track: receiver.track, streams, transceiver: entry.transceiver }));
  }
}

for (const type of ['negotiationneeded', 'icecandidate', 'icecandidateerror', 'signalingstatechange', 'iceconnectionstatechange', 'icegatheringstatechange', 'connectionstatechange', 'track', 'datachannel']) {
  defineEventHandler(RTCPeerConnection.prototype, type, CONTEXT, (o) => o instanceof RTCPeerConnection);
}
exposeInterface(RTCPeerConnection);

function convertIceServers(servers: RTCIceServer[] | undefined): W.RTCIceServer[] {
  if (servers === undefined) return [];
  if (!Array.isArray(servers)) throw new TypeError(`Failed to construct '${CONTEXT}': iceServers is not a sequence.`);
  return servers.flatMap((server) => {
    const urls = typeof server.urls === 'string' ? [server.urls] : [...server.urls];
    return urls.map((urls) => ({ urls, ...(server.username !== undefined ? { username: server.username } : {}), ...(server.credential !== undefined ? { credential: server.credential } : {}) }));
  });
}

/**
 * Closes werift's connection, and the transports it forgot.
 *
 * Quirk (werift 0.24.4; seen with `bundlePolicy: 'max-compat'`, whose separate transports a
 * bundling answer merges; the process then never exited): werift finds its transports through its
 * transceivers. When a description bundles m-lines onto one transport, the transceivers of the
 * others are moved onto it, and the transports they had (gathered already: UDP sockets bound) are
 * no longer reachable, so `close()` leaves them open, and their sockets keep Node running. Every
 * transport seen is remembered here and stopped after werift's own close; then its DTLS handshake,
 * if it was under way, stops retransmitting (src/webrtc/dtls-handshake.ts).
 */
async function closeNative(native: W.RTCPeerConnection, transports: Set<W.RTCDtlsTransport>): Promise<void> {
  for (const t of native.dtlsTransports) transports.add(t);
  await native.close();
  await Promise.allSettled([...transports].map(async (t) => {
    await t.stop();
    await t.iceTransport.stop();
    // A handshake cut short would resend its last flight for 33 s more (src/webrtc/dtls-handshake.ts).
    endHandshakeRetransmission(t);
  }));
}
