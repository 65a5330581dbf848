/**
 * The media servers `mediacapture publish` sends to, by URL:
 *
 * - `http://…` or `https://…`: a WHIP endpoint (RFC 9725); `--token` is its bearer token.
 * - `janus://HOST[:PORT]/ROOM`: the videoroom ROOM of the Janus server whose HTTP API is at
 *   `http://HOST:PORT/janus` (PORT 8088 when left out, Janus's default).
 * - `janus+http://HOST[:PORT]/PATH/ROOM` (or `janus+https://`): the same with the API at
 *   `http(s)://HOST:PORT/PATH`, for a server with another base path or behind TLS.
 *
 * Failures become CliErrors with EXIT.server and the server's own words.
 */
import { JanusError } from '../webrtc/janus/session.js';
import { JanusVideoRoom } from '../webrtc/janus/videoroom.js';
import type { RTCPeerConnection } from '../webrtc/RTCPeerConnection.js';
import { publishWhip, WhipError } from '../webrtc/whip.js';
import { CliError, EXIT, usageError } from './exit.js';

/** Where to publish. */
export type ServerTarget = { readonly kind: 'whip'; readonly url: string } | { readonly kind: 'janus'; readonly api: string; readonly room: number | string };

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
  return { kind: 'janus', api: `${scheme}://${url.hostname}${port ? `:${port}` : ''}${path === '/' ? '' : path}`, room };
}

/** A stream being published: what to call it in messages, and how to end it. */
export interface Publication {
  /** e.g. "WHIP endpoint https://…", "Janus room 1234 at http://… (feed 42)". */
  readonly description: string;
  /** Ends the publication on the server and closes the PeerConnection. */
  close(): Promise<void>;
}

/** Publishes what `pc` sends to `target`. */
export async function publishTo(target: ServerTarget, pc: RTCPeerConnection, options: { token?: string; display?: string }): Promise<Publication> {
  try {
    if (target.kind === 'whip') {
      const session = await publishWhip(pc, target.url, options.token !== undefined ? { token: options.token } : {});
      return { description: `WHIP endpoint ${target.url}`, close: () => session.close() };
    }
    const room = await JanusVideoRoom.connect(target.api, target.room);
    try {
      const publisher = await room.publish(pc, options.display !== undefined ? { display: options.display } : {});
      return {
        description: `Janus room ${target.room} at ${target.api} (feed ${publisher.feed})`,
        close: async () => {
          try {
            await publisher.close();
          } finally {
            await room.close();
          }
        },
      };
    } catch (error) {
      await room.close().catch(() => {});
      throw error;
    }
  } catch (error) {
    throw serverError(error);
  }
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
