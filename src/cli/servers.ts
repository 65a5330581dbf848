/**
 * The media servers `mediacapture publish` sends to and `mediacapture record --from` receives
 * from, by URL:
 *
 * - `http://…` or `https://…`: a WHIP endpoint (RFC 9725) to publish, a WHEP endpoint to receive;
 *   `--token` is its bearer token.
 * - `janus://HOST[:PORT]/ROOM`: the videoroom ROOM of the Janus server whose HTTP API is at
 *   `http://HOST:PORT/janus` (PORT 8088 when left out, Janus's default). To receive, the room's
 *   publisher (when there is one), or the one `?feed=ID` or `?display=NAME` names.
 * - `janus+http://HOST[:PORT]/PATH/ROOM` (or `janus+https://`): the same with the API at
 *   `http(s)://HOST:PORT/PATH`, for a server with another base path or behind TLS.
 *
 * Failures become CliErrors with EXIT.server and the server's own words.
 */
import { JanusError } from '../webrtc/janus/session.js';
import { JanusVideoRoom } from '../webrtc/janus/videoroom.js';
import type { RTCPeerConnection } from '../webrtc/RTCPeerConnection.js';
import { playWhep, publishWhip, WhipError } from '../webrtc/whip.js';
import { clearTimeout, setTimeout } from '../platform/timers.js';
import { CliError, EXIT, usageError } from './exit.js';

/** Where to publish. */
export type ServerTarget =
  | { readonly kind: 'whip'; readonly url: string }
  | { readonly kind: 'janus'; readonly api: string; readonly room: number | string; readonly feed?: number; readonly display?: string };

/** Reads a server URL (see the module comment); a usage error says what is accepted. */
export function parseServerUrl(text: string): ServerTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(`"${text}" is not a URL: give a WHIP endpoint (https://…) or a Janus room (janus://host:8088/1234).`);
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'whip', url: url.href };
  const janus = /^janus(?:\+(https?))?:$/.exec(url.protocol);
  if (!janus) throw usageError(`"${text}": the URL must start with http://, https://, janus://, janus+http:// or janus+https://.`);
  const parts = url.pathname.split('/').filter((p) => p !== '');
  const roomText = parts.pop();
  if (roomText === undefined || !url.hostname) throw usageError(`"${text}" names no room: write janus://HOST[:PORT]/ROOM, e.g. janus://127.0.0.1:8088/1234.`);
  const room = /^\d+$/.test(roomText) ? Number(roomText) : decodeURIComponent(roomText);
  const scheme = janus[1] ?? 'http';
  // janus://HOST/ROOM: Janus's defaults; janus+http(s)://HOST/PATH/ROOM: the API where PATH says.
  const path = janus[1] ? `/${parts.join('/')}` : '/janus';
  const port = url.port || (janus[1] ? '' : '8088');
  const feed = url.searchParams.get('feed');
  if (feed !== null && !/^\d+$/.test(feed)) throw usageError(`"${text}": ?feed= takes a feed id (a number).`);
  const display = url.searchParams.get('display');
  return {
    kind: 'janus',
    api: `${scheme}://${url.hostname}${port ? `:${port}` : ''}${path === '/' ? '' : path}`,
    room,
    ...(feed !== null ? { feed: Number(feed) } : {}),
    ...(display !== null ? { display } : {}),
  };
}

/** A stream being published: what to call it in messages, and how to end it. */
export interface Publication {
  /** e.g. "WHIP endpoint https://…", "Janus room 1234 at http://… (feed 42)". */
  readonly description: string;
  /** Ends the publication on the server and closes the PeerConnection. */
  close(): Promise<void>;
}

/** Runs `use` in the Janus room `target` names; the room's session is destroyed if `use` fails. */
async function inRoom(target: Extract<ServerTarget, { kind: 'janus' }>, use: (room: JanusVideoRoom) => Promise<Publication>): Promise<Publication> {
  const room = await JanusVideoRoom.connect(target.api, target.room);
  try {
    return await use(room);
  } catch (error) {
    await room.close().catch(() => {});
    throw error;
  }
}

/** A publisher's or subscriber's handle in `room`: closing detaches it, then destroys the session. */
function roomPublication(room: JanusVideoRoom, description: string, handle: { close(): Promise<void> }): Publication {
  return {
    description,
    close: async () => {
      try {
        await handle.close();
      } finally {
        await room.close();
      }
    },
  };
}

/** Publishes what `pc` sends to `target`. */
export async function publishTo(target: ServerTarget, pc: RTCPeerConnection, options: { token?: string; display?: string }): Promise<Publication> {
  try {
    if (target.kind === 'whip') {
      const session = await publishWhip(pc, target.url, options.token !== undefined ? { token: options.token } : {});
      return { description: `WHIP endpoint ${target.url}`, close: () => session.close() };
    }
    return await inRoom(target, async (room) => {
      const publisher = await room.publish(pc, options.display !== undefined ? { display: options.display } : {});
      return roomPublication(room, `Janus room ${target.room} at ${target.api} (feed ${publisher.feed})`, publisher);
    });
  } catch (error) {
    throw serverError(error);
  }
}

/**
 * Receives a server's stream into `pc`: WHEP (recvonly audio and video), or a Janus room's
 * publisher. The `track` events have fired when this resolves.
 */
export async function receiveFrom(target: ServerTarget, pc: RTCPeerConnection, options: { token?: string }): Promise<Publication> {
  try {
    if (target.kind === 'whip') {
      pc.addTransceiver('video', { direction: 'recvonly' });
      pc.addTransceiver('audio', { direction: 'recvonly' });
      const session = await playWhep(pc, target.url, options.token !== undefined ? { token: options.token } : {});
      return { description: `WHEP endpoint ${target.url}`, close: () => session.close() };
    }
    return await inRoom(target, async (room) => {
      const publishers = (await room.participants()).filter((p) => p.publisher);
      const chosen = publishers.filter((p) => (target.feed === undefined || p.id === target.feed) && (target.display === undefined || p.display === target.display));
      const list = publishers.map((p) => `${p.id}${p.display !== undefined ? ` (${p.display})` : ''}`).join(', ');
      if (chosen.length !== 1) {
        const why = publishers.length === 0 ? 'has no publisher now' : chosen.length === 0 ? `has no publisher that matches (publishers: ${list})` : `has ${chosen.length} publishers (${list}): add ?feed=ID or ?display=NAME to the URL`;
        throw new CliError(EXIT.server, `Janus room ${target.room} at ${target.api} ${why}.`);
      }
      const feed = chosen[0]!;
      const subscriber = await room.subscribe(pc, [feed.id]);
      return roomPublication(room, `Janus room ${target.room} at ${target.api} (feed ${feed.id}${feed.display !== undefined ? `, ${feed.display}` : ''})`, subscriber);
    });
  } catch (error) {
    throw serverError(error);
  }
}

/** How long a PeerConnection may take to connect once the server answered. */
const CONNECT_MS = 20_000;

/**
 * Resolves once `pc` is connected, or once `giveUp` resolves (Ctrl-C); a CliError (EXIT.server)
 * when it fails or takes longer than 20 s.
 */
export function connected(pc: RTCPeerConnection, description: string, giveUp?: Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const state = pc.connectionState;
      if (state === 'connected') finish(resolve);
      else if (state === 'failed' || state === 'closed') finish(() => reject(new CliError(EXIT.server, `The server answered, but the WebRTC connection to ${description} failed (ICE or DTLS). Check that UDP can pass between this machine and the server.`)));
    };
    const finish = (f: () => void) => {
      clearTimeout(timer);
      pc.removeEventListener('connectionstatechange', check);
      f();
    };
    const timer = setTimeout(() => finish(() => reject(new CliError(EXIT.server, `The WebRTC connection to ${description} was not up within ${CONNECT_MS / 1000} s (state "${pc.connectionState}"). Check that UDP can pass between this machine and the server.`))), CONNECT_MS);
    pc.addEventListener('connectionstatechange', check);
    void giveUp?.then(() => finish(resolve));
    check();
  });
}

/** A WhipError or JanusError as the CLI reports it (EXIT.server); anything else unchanged. */
export function serverError(error: unknown): unknown {
  if (error instanceof WhipError) {
    const hint = error.status === 401 || error.status === 403 ? ' Check --token.' : error.status === 0 ? ' Is the server running, and the URL right?' : '';
    return new CliError(EXIT.server, `${error.message}${hint}`);
  }
  if (error instanceof JanusError) {
    const hint = error.code === 426 ? ' (no such room: create it in the videoroom configuration, or pick another)' : '';
    return new CliError(EXIT.server, `${error.message}${hint}`);
  }
  return error;
}
