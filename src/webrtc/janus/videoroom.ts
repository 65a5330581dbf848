/**
 * The Janus videoroom plugin (https://janus.conf.meetecho.com/docs/videoroom.html), the SFU part
 * of Janus: publishers send their tracks into a room, subscribers receive any publisher's.
 *
 * - Publishing: a handle joins the room as a publisher (`join`, ptype "publisher"), then sends its
 *   offer with `publish`; the plugin's event carries the answer. Media flows once the handle
 *   reports `webrtcup`.
 * - Subscribing: a handle joins as a subscriber to feeds (`join`, ptype "subscriber", `streams`);
 *   Janus makes the offer, and our answer goes with `start`. A feed can be subscribed to only once
 *   its publisher's PeerConnection is up: before, Janus answers 428 "No such feed".
 *
 * The descriptions carry every candidate (gathering is awaited), followed by a trickle
 * "completed", since the SDP our stack writes announces trickle.
 */
import { completeAnswer, completeOffer } from '../gathering.js';
import type { RTCPeerConnection } from '../RTCPeerConnection.js';
import { JanusError, type JanusHandle, JanusSession, type JanusSessionOptions } from './session.js';

const PLUGIN = 'janus.plugin.videoroom';

/** A publisher in a room, as `listparticipants` reports it. */
export interface VideoRoomParticipant {
  /** The feed id subscribers ask for. */
  readonly id: number;
  readonly display?: string;
  /** Whether it is publishing now. */
  readonly publisher: boolean;
}

/** One PeerConnection in the room: ours publishing, or ours receiving feeds. */
export interface VideoRoomPeer {
  readonly handle: JanusHandle;
  readonly pc: RTCPeerConnection;
  /** Resolves when Janus reports the PeerConnection up (`webrtcup`); rejects on `hangup`. */
  ready(timeoutMs?: number): Promise<void>;
  /** Leaves: the handle is detached (Janus hangs up) and `pc` closed. */
  close(): Promise<void>;
}

/** One stream of a subscription, as Janus lists it: which feed the m-line `mid` carries. */
export interface VideoRoomStream {
  readonly mid: string;
  readonly type: 'audio' | 'video' | 'data';
  readonly feed_id?: number;
  readonly feed_display?: string;
  readonly [field: string]: unknown;
}

/** Our subscription in a room. */
export interface VideoRoomSubscriber extends VideoRoomPeer {
  /** The streams of the subscription: match a `track` event's `transceiver.mid` to its feed. */
  readonly streams: readonly VideoRoomStream[];
}

/** Our publisher in a room. */
export interface VideoRoomPublisher extends VideoRoomPeer {
  /** The feed id Janus gave us (what subscribers subscribe to). */
  readonly feed: number;
}

/** A room of a Janus server's videoroom plugin, through one session. */
export class JanusVideoRoom {
  readonly session: JanusSession;
  readonly room: number | string;

  constructor(session: JanusSession, room: number | string) {
    this.session = session;
    this.room = room;
  }

  /** Opens a session with the Janus HTTP API at `server` (e.g. http://127.0.0.1:8088/janus) for `room`. */
  static async connect(server: string | URL, room: number | string, options?: JanusSessionOptions): Promise<JanusVideoRoom> {
    return new JanusVideoRoom(await JanusSession.create(server, options), room);
  }

  /** The room's participants (`listparticipants`). */
  async participants(): Promise<VideoRoomParticipant[]> {
    const handle = await this.session.attach(PLUGIN);
    try {
      const { data } = await handle.message({ request: 'listparticipants', room: this.room });
      return ((data.participants as VideoRoomParticipant[] | undefined) ?? []).map((p) => ({ id: p.id, ...(p.display !== undefined ? { display: p.display } : {}), publisher: !!p.publisher }));
    } finally {
      await handle.detach().catch(() => {});
    }
  }

  /** Publishes what `pc` sends (add its tracks first) under `display`. */
  async publish(pc: RTCPeerConnection, options: { display?: string } = {}): Promise<VideoRoomPublisher> {
    const handle = await this.session.attach(PLUGIN);
    try {
      const joined = await handle.message({ request: 'join', ptype: 'publisher', room: this.room, ...(options.display !== undefined ? { display: options.display } : {}) });
      const offer = await completeOffer(pc);
      const { jsep } = await handle.message({ request: 'publish' }, offer);
      if (jsep?.type !== 'answer') throw new JanusError(`Janus answered "publish" in room ${this.room} without an SDP answer.`, 0);
      await handle.trickle(null);
      await pc.setRemoteDescription(jsep);
      return { ...peer(handle, pc), feed: joined.data.id as number };
    } catch (error) {
      await handle.detach().catch(() => {});
      throw error;
    }
  }

  /** Receives the feeds `feeds` into `pc`: its `track` events bring their tracks. */
  async subscribe(pc: RTCPeerConnection, feeds: readonly number[]): Promise<VideoRoomSubscriber> {
    const handle = await this.session.attach(PLUGIN);
    try {
      const { data, jsep } = await handle.message({ request: 'join', ptype: 'subscriber', room: this.room, streams: feeds.map((feed) => ({ feed })) });
      if (jsep?.type !== 'offer') throw new JanusError(`Janus answered the subscription in room ${this.room} without an SDP offer.`, 0);
      const answer = await completeAnswer(pc, jsep as { type: 'offer'; sdp: string });
      await handle.message({ request: 'start' }, answer);
      await handle.trickle(null);
      return { ...peer(handle, pc), streams: (data.streams as VideoRoomStream[] | undefined) ?? [] };
    } catch (error) {
      await handle.detach().catch(() => {});
      throw error;
    }
  }

  /** Destroys the session (every handle of it leaves the room). */
  close(): Promise<void> {
    return this.session.destroy();
  }
}

function peer(handle: JanusHandle, pc: RTCPeerConnection): VideoRoomPeer {
  let closing: Promise<void> | null = null;
  return {
    handle,
    pc,
    async ready(timeoutMs = 20_000) {
      const event = await handle.next((m) => m.janus === 'webrtcup' || m.janus === 'hangup', timeoutMs);
      if (event.janus === 'hangup') throw new JanusError(`Janus hung up the PeerConnection: ${String(event.reason ?? 'no reason given')}.`, 0);
    },
    close: () =>
      (closing ??= (async () => {
        try {
          await handle.detach();
        } finally {
          pc.close();
        }
      })()),
  };
}
