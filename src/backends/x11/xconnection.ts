/**
 * A minimal X11 client, written against the X Window System Protocol (X11R7.7, "Connection
 * Setup") with no library: it connects, authenticates with the MIT-MAGIC-COOKIE-1 from the
 * Xauthority file as libxcb does, reads the screens' sizes from the setup reply, and then just
 * stays connected. It sends no requests.
 *
 * Two uses: listing the screens (their size) without running xdpyinfo, and noticing that the X
 * server went away. The second is needed because ffmpeg 5.1's x11grab with `-draw_mouse 0` does
 * not notice: it keeps writing its last image forever (test/x11/quirks.test.ts). With the cursor
 * drawn it stops, because its per-frame pointer query fails, but it then exits with status 0.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from '../../platform/timers.js';

/** A parsed display name: `[host]:display[.screen]`. */
export interface XDisplayName {
  /** "" for the local machine over a Unix socket. */
  readonly host: string;
  readonly display: number;
  /** The screen the name asks for (default 0). */
  readonly screen: number;
}

/** Parses a display name like ":99", ":0.1", "unix:0", "localhost:10.0". Throws a TypeError when it is not one. */
export function parseDisplayName(name: string): XDisplayName {
  const m = /^([^:]*):(\d+)(?:\.(\d+))?$/.exec(name.trim());
  if (!m) throw new TypeError(`"${name}" is not an X display name (expected [host]:display[.screen], e.g. ":0")`);
  const host = m[1] === 'unix' ? '' : m[1]!;
  return { host, display: Number(m[2]), screen: m[3] === undefined ? 0 : Number(m[3]) };
}

/** The canonical name of one screen of a display: ":99.0", "localhost:10.0". */
export function screenName(d: XDisplayName, screen: number): string {
  return `${d.host}:${d.display}.${screen}`;
}

/** One entry of an Xauthority file. */
export interface XauthEntry {
  /** 256 FamilyLocal, 65535 FamilyWild, 0 FamilyInternet, 6 FamilyInternet6, … */
  readonly family: number;
  readonly address: Buffer;
  /** The display number as text; "" matches any. */
  readonly number: string;
  readonly name: string;
  readonly data: Buffer;
}

export const FAMILY_INTERNET = 0;
export const FAMILY_LOCAL = 256;
export const FAMILY_WILD = 65535;

/** Parses an Xauthority file: big-endian, each entry a family and four counted strings. */
export function parseXauthority(buf: Buffer): XauthEntry[] {
  const entries: XauthEntry[] = [];
  let at = 0;
  const counted = (): Buffer => {
    if (at + 2 > buf.length) throw new RangeError('truncated');
    const n = buf.readUInt16BE(at);
    if (at + 2 + n > buf.length) throw new RangeError('truncated');
    const out = buf.subarray(at + 2, at + 2 + n);
    at += 2 + n;
    return out;
  };
  while (at + 2 <= buf.length) {
    try {
      const family = buf.readUInt16BE(at);
      at += 2;
      const address = counted();
      const number = counted().toString('latin1');
      const name = counted().toString('latin1');
      const data = counted();
      entries.push({ family, address, number, name, data });
    } catch {
      break; // a truncated tail: keep what was complete, as libXau does
    }
  }
  return entries;
}

/**
 * The cookie for a display, chosen as libXau's XauGetBestAuthByAddr does: the first entry whose
 * family and address match the connection (FamilyLocal and this host's name for a local
 * connection) or that is FamilyWild, whose number matches (or is empty), and whose name is
 * MIT-MAGIC-COOKIE-1.
 */
export function findCookie(entries: readonly XauthEntry[], display: XDisplayName, localHostname: string): XauthEntry | undefined {
  const local = display.host === '' || display.host === 'localhost' || display.host === localHostname;
  const ipv4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(display.host);
  const loopback = display.host === '127.0.0.1' || display.host === '::1';
  return entries.find((e) => {
    if (e.name !== 'MIT-MAGIC-COOKIE-1') return false;
    if (e.number !== '' && e.number !== String(display.display)) return false;
    if (e.family === FAMILY_WILD) return true;
    if (e.family === FAMILY_LOCAL) return (local || loopback) && e.address.toString('latin1') === localHostname;
    if (e.family === FAMILY_INTERNET && ipv4) return e.address.equals(Buffer.from(ipv4.slice(1).map(Number)));
    return false;
  });
}

/** One screen of the server, from the setup reply. */
export interface XScreen {
  readonly index: number;
  readonly width: number;
  readonly height: number;
  readonly widthMillimeters: number;
  readonly heightMillimeters: number;
  readonly rootDepth: number;
}

/** What the connection setup reply says about the server. */
export interface XServerInfo {
  readonly protocolMajor: number;
  readonly protocolMinor: number;
  readonly vendor: string;
  readonly releaseNumber: number;
  readonly screens: readonly XScreen[];
}

export type SetupReply =
  | { readonly status: 'incomplete' }
  | { readonly status: 'failed'; readonly reason: string }
  | { readonly status: 'authenticate'; readonly reason: string }
  | { readonly status: 'success'; readonly info: XServerInfo; readonly length: number };

/** The connection setup request (byte order "l", little-endian) with an optional cookie. */
export function setupRequest(cookie?: { name: string; data: Buffer }): Buffer {
  const name = Buffer.from(cookie?.name ?? '', 'latin1');
  const data = cookie?.data ?? Buffer.alloc(0);
  const pad = (n: number) => (4 - (n % 4)) % 4;
  const out = Buffer.alloc(12 + name.length + pad(name.length) + data.length + pad(data.length));
  out[0] = 0x6c; // 'l': LSB first
  out.writeUInt16LE(11, 2);
  out.writeUInt16LE(0, 4);
  out.writeUInt16LE(name.length, 6);
  out.writeUInt16LE(data.length, 8);
  name.copy(out, 12);
  data.copy(out, 12 + name.length + pad(name.length));
  return out;
}

/** Parses the server's answer to the setup request (little-endian, as requested). */
export function parseSetupReply(buf: Buffer): SetupReply {
  if (buf.length < 8) return { status: 'incomplete' };
  const status = buf[0]!;
  const length = 8 + buf.readUInt16LE(6) * 4;
  if (buf.length < length) return { status: 'incomplete' };
  if (status === 0) return { status: 'failed', reason: buf.subarray(8, 8 + buf[1]!).toString('latin1').trim() };
  if (status === 2) return { status: 'authenticate', reason: buf.subarray(8, length).toString('latin1').replace(/\0+$/, '').trim() };
  const vendorLength = buf.readUInt16LE(24);
  const screenCount = buf[28]!;
  const formatCount = buf[29]!;
  let at = 40 + vendorLength + ((4 - (vendorLength % 4)) % 4) + 8 * formatCount;
  const screens: XScreen[] = [];
  for (let i = 0; i < screenCount; i++) {
    screens.push({
      index: i,
      width: buf.readUInt16LE(at + 20),
      height: buf.readUInt16LE(at + 22),
      widthMillimeters: buf.readUInt16LE(at + 24),
      heightMillimeters: buf.readUInt16LE(at + 26),
      rootDepth: buf[at + 38]!,
    });
    // Skip the screen's depths, each with its visual types (24 bytes each).
    const depthCount = buf[at + 39]!;
    at += 40;
    for (let d = 0; d < depthCount; d++) at += 8 + 24 * buf.readUInt16LE(at + 2);
  }
  return {
    status: 'success',
    length,
    info: {
      protocolMajor: buf.readUInt16LE(2),
      protocolMinor: buf.readUInt16LE(4),
      releaseNumber: buf.readUInt32LE(8),
      vendor: buf.subarray(40, 40 + vendorLength).toString('latin1'),
      screens,
    },
  };
}

export interface XConnectOptions {
  /** For XAUTHORITY and HOME. Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default 3000 ms. */
  readonly timeoutMs?: number;
  /**
   * Whether the connection keeps Node running once it is set up (an idle watch should not).
   * Default false. While it is being set up it always does, like any pending request.
   */
  readonly keepAlive?: boolean;
}

/** An open connection to an X server that sends nothing, and says when the server goes away. */
export class XConnection {
  readonly display: XDisplayName;
  readonly info: XServerInfo;
  readonly #socket: Socket;
  readonly #closed: Promise<void>;
  #closing = false;

  private constructor(display: XDisplayName, info: XServerInfo, socket: Socket) {
    this.display = display;
    this.info = info;
    this.#socket = socket;
    this.#closed = new Promise((resolve) => socket.once('close', () => resolve()));
    // Nothing is asked, so nothing should come; whatever does (an event, an error) is ignored.
    socket.on('data', () => {});
    socket.on('error', () => {});
  }

  /**
   * Connects to `displayName` and completes the connection setup. Rejects with an Error that
   * says why (no such display, refused authorization, timeout).
   */
  static connect(displayName: string, options: XConnectOptions = {}): Promise<XConnection> {
    const display = parseDisplayName(displayName);
    const env = options.env ?? process.env;
    const cookie = readCookie(display, env);
    return new Promise((resolve, reject) => {
      let received = Buffer.alloc(0);
      let settled = false;
      const socket = display.host === '' ? connect(`/tmp/.X11-unix/X${display.display}`) : connect(6000 + display.display, display.host);
      const fail = (why: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`Cannot open X display "${displayName}": ${why}`));
      };
      const timer = setTimeout(() => fail(`no answer within ${options.timeoutMs ?? 3000} ms`), options.timeoutMs ?? 3000);
      socket.once('connect', () => socket.write(setupRequest(cookie)));
      socket.once('error', (err: NodeJS.ErrnoException) => fail(err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? 'no X server is listening there' : err.message));
      socket.once('close', () => fail('the server closed the connection'));
      const onData = (chunk: Buffer): void => {
        received = Buffer.concat([received, chunk]);
        const reply = parseSetupReply(received);
        if (reply.status === 'incomplete') return;
        if (reply.status !== 'success') return fail(`${reply.status === 'failed' ? 'refused' : 'needs authentication'}: ${reply.reason || 'no reason given'}`);
        settled = true;
        clearTimeout(timer);
        socket.removeListener('data', onData);
        socket.removeAllListeners('close');
        socket.removeAllListeners('error');
        if (!options.keepAlive) socket.unref();
        resolve(new XConnection(display, reply.info, socket));
      };
      socket.on('data', onData);
    });
  }

  /** Resolves when the connection is gone: closed here, or the server went away. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /** Whether `close()` was called (as opposed to the server going away). */
  get closedHere(): boolean {
    return this.#closing;
  }

  close(): void {
    this.#closing = true;
    this.#socket.destroy();
  }
}

function readCookie(display: XDisplayName, env: NodeJS.ProcessEnv): { name: string; data: Buffer } | undefined {
  const file = env.XAUTHORITY || (env.HOME ? join(env.HOME, '.Xauthority') : undefined);
  if (!file) return undefined;
  let entries: XauthEntry[];
  try {
    entries = parseXauthority(readFileSync(file));
  } catch {
    return undefined; // no file: connect without a cookie, as libxcb does
  }
  const entry = findCookie(entries, display, hostname());
  return entry ? { name: entry.name, data: entry.data } : undefined;
}
