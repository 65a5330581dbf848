/**
 * A small WHIP and WHEP endpoint on 127.0.0.1, for the tests, built on our own RTCPeerConnection:
 * RFC 9725 §4.2 (POST an offer as application/sdp → 201 Created, Location, the answer) and §4.5
 * (DELETE on the session URL → 200). WHEP (`/whep`) answers with the stream given to it.
 *
 * Paths: POST /whip, POST /whep, DELETE /sessions/<n>. Set `token` to require
 * `Authorization: Bearer <token>` (401 otherwise). `answerWithout` makes POST answers leave out
 * the Location header or the SDP, to test the client's errors.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RTCPeerConnection } from '../../src/webrtc/index.js';
import { iceGatheringComplete } from '../../src/webrtc/gathering.js';

export interface EndpointSession {
  readonly id: number;
  readonly kind: 'whip' | 'whep';
  readonly pc: RTCPeerConnection;
  /** The remote tracks (WHIP), as they came in `track` events. */
  readonly tracks: MediaStreamTrack[];
  /** Whether a DELETE ended it. */
  deleted: boolean;
}

export class WhipEndpoint {
  readonly sessions: EndpointSession[] = [];
  /** The requests received, as "METHOD path", in order. */
  readonly requests: string[] = [];
  token: string | undefined;
  answerWithout: 'location' | 'sdp' | null = null;
  /** While set, answers to POST wait for it (a server slow to answer). */
  hold: Promise<void> | null = null;
  /** What WHEP sends: tracks added to each WHEP session. */
  sendTracks: { tracks: MediaStreamTrack[]; stream: MediaStream } | null = null;
  readonly #server: Server;
  readonly #listeners = new Set<(s: EndpointSession) => void>();
  readonly #requestListeners = new Set<(request: string) => void>();

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<WhipEndpoint> {
    const server = createServer();
    const endpoint = new WhipEndpoint(server);
    server.on('request', (req, res) => void endpoint.#handle(req, res).catch((e) => res.writeHead(500).end(String(e))));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return endpoint;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The next session set up (or the first one, when there is one already and none was taken). */
  nextSession(): Promise<EndpointSession> {
    return new Promise((resolve) => {
      const listener = (s: EndpointSession) => {
        this.#listeners.delete(listener);
        resolve(s);
      };
      this.#listeners.add(listener);
    });
  }

  /** The next request received ("METHOD path"), as soon as it arrives. */
  nextRequest(): Promise<string> {
    return new Promise((resolve) => {
      const listener = (request: string) => {
        this.#requestListeners.delete(listener);
        resolve(request);
      };
      this.#requestListeners.add(listener);
    });
  }

  async close(): Promise<void> {
    for (const s of this.sessions) s.pc.close();
    await Promise.all(this.sessions.map((s) => RTCPeerConnection.closed(s.pc)));
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    this.requests.push(`${req.method} ${req.url}`);
    for (const l of [...this.#requestListeners]) l(`${req.method} ${req.url}`);
    if (this.token !== undefined && req.headers.authorization !== `Bearer ${this.token}`) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('a valid bearer token is required');
      return;
    }
    const deleting = /^\/sessions\/(\d+)$/.exec(req.url ?? '');
    if (req.method === 'DELETE' && deleting) {
      const session = this.sessions.find((s) => s.id === Number(deleting[1]) && !s.deleted);
      if (!session) return void res.writeHead(404).end();
      session.deleted = true;
      session.pc.close();
      return void res.writeHead(200).end();
    }
    if (req.method !== 'POST' || (req.url !== '/whip' && req.url !== '/whep')) return void res.writeHead(404).end('no such endpoint');
    if (req.headers['content-type'] !== 'application/sdp') return void res.writeHead(415).end('the offer must be application/sdp');
    await this.hold;
    const kind = req.url === '/whip' ? 'whip' : 'whep';
    const pc = new RTCPeerConnection();
    const session: EndpointSession = { id: this.sessions.length + 1, kind, pc, tracks: [], deleted: false };
    pc.ontrack = (e) => session.tracks.push(e.track as unknown as MediaStreamTrack);
    this.sessions.push(session);
    await pc.setRemoteDescription({ type: 'offer', sdp: body });
    if (kind === 'whep' && this.sendTracks) {
      // The offer's recvonly transceivers, in order: each takes the track of its kind.
      for (const t of pc.getTransceivers()) {
        const track = this.sendTracks.tracks.find((x) => x.kind === t.receiver.track.kind);
        if (track) {
          t.direction = 'sendonly';
          await t.sender.replaceTrack(track as never);
          t.sender.setStreams?.(this.sendTracks.stream as never);
        }
      }
    }
    await pc.setLocalDescription(await pc.createAnswer());
    await iceGatheringComplete(pc);
    const headers: Record<string, string> = {};
    if (this.answerWithout !== 'location') headers.location = `/sessions/${session.id}`;
    if (this.answerWithout !== 'sdp') headers['content-type'] = 'application/sdp';
    res.writeHead(201, headers).end(this.answerWithout === 'sdp' ? '' : pc.localDescription!.sdp);
    for (const l of [...this.#listeners]) l(session);
  }
}
