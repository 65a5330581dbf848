/**
 * The preview's signalling: one session per open page, made when the page opens its event stream
 * (`GET /events`, server-sent events) and ended when that stream closes (the tab is closed or
 * reloaded), so a session's peer connection lives exactly as long as the page that uses it.
 *
 * The server offers: one send-only video transceiver per camera and screen, the offer sent whole
 * once ICE gathering is complete (no trickle, so two POSTs are all the signalling there is), and
 * the page answers. The page learns which transceiver (by mid) carries which source from the
 * offer's reply.
 *
 * Microphones are not sent: their level is measured here and pushed on the same event stream,
 * which costs no audio encoder.
 */
import type { ServerResponse } from 'node:http';
import type { RTCSessionDescriptionInit } from '../../webrtc/descriptions.js';
import { RTCPeerConnection } from '../../webrtc/index.js';
import { ICE_ADDRESSES_VARIABLE } from '../../webrtc/stack.js';
import type { PreviewSource } from './sources.js';

/** The reply to `POST /sessions/:id/offer`: the offer, and the source each mid carries. */
export interface OfferJson {
  readonly description: RTCSessionDescriptionInit;
  readonly tracks: readonly { readonly mid: string; readonly source: string }[];
}

/** The address the page's browser reaches us on. */
const LOOPBACK = '127.0.0.1';

/**
 * A peer connection whose ICE stays on loopback: the page is on this machine (the server listens
 * on 127.0.0.1 only), so the media need not be offered on any other interface. A restriction the
 * user set (MEDIACAPTURE_ICE_ADDRESSES) is kept. The variable is read by the constructor only.
 */
function loopbackPeerConnection(): RTCPeerConnection {
  if (process.env[ICE_ADDRESSES_VARIABLE]?.trim()) return new RTCPeerConnection();
  process.env[ICE_ADDRESSES_VARIABLE] = LOOPBACK;
  try {
    return new RTCPeerConnection();
  } finally {
    delete process.env[ICE_ADDRESSES_VARIABLE];
  }
}

function gathered(pc: RTCPeerConnection): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const check = () => {
      if (pc.iceGatheringState !== 'complete') return;
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/** One open page: its event stream and its peer connection. */
export class PreviewSession {
  readonly id: string;
  readonly #events: ServerResponse;
  #pc: RTCPeerConnection | null = null;
  #closed = false;
  readonly #released: Promise<void>[] = [];

  constructor(id: string, events: ServerResponse) {
    this.id = id;
    this.#events = events;
    events.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
    this.send('session', { id });
  }

  /** Sends a server-sent event (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation). */
  send(event: string, data: unknown): void {
    if (!this.#closed) this.#events.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A new peer connection (a page that reconnects replaces its old one) offering the video sources. */
  async offer(sources: readonly PreviewSource[]): Promise<OfferJson> {
    this.#closePeer();
    const pc = (this.#pc = loopbackPeerConnection());
    const videos = sources.filter((s) => s.kind !== 'microphone' && s.track?.readyState === 'live');
    const transceivers = videos.map((s) => ({ source: s.id, transceiver: pc.addTransceiver(s.track!, { direction: 'sendonly' }) }));
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc);
    if (this.#pc !== pc) throw new DOMException('The page asked for another offer meanwhile.', 'AbortError');
    return {
      description: pc.localDescription!.toJSON() as RTCSessionDescriptionInit,
      tracks: transceivers.map(({ source, transceiver }) => ({ mid: transceiver.mid ?? '', source })),
    };
  }

  /**
   * The page's answer to the last offer. The connection leaves out its candidates that loopback
   * (or the addresses the user restricted ICE to) cannot reach, as it does with any remote
   * description: among them the browser's usual mDNS names, which werift would resolve on a 10 s
   * timer that outlives close(). A browser without a loopback candidate (Chromium gathers none by
   * default) still connects: its checks reach our loopback candidate and make a peer-reflexive one.
   */
  async answer(description: RTCSessionDescriptionInit): Promise<void> {
    if (!this.#pc) throw new DOMException('No offer was made in this session: POST to its offer first.', 'InvalidStateError');
    await this.#pc.setRemoteDescription(description);
  }

  /** Closes the peer connection; {@link close} waits until every one closed so is released. */
  #closePeer(): void {
    const pc = this.#pc;
    this.#pc = null;
    if (!pc) return;
    pc.close();
    this.#released.push(RTCPeerConnection.closed(pc));
  }

  /** Ends the event stream and the peer connection; resolves once their sockets and encoders are gone. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#events.end();
    this.#closePeer();
    await Promise.all(this.#released);
  }
}
