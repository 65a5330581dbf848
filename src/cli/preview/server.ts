/**
 * The preview's HTTP server, on 127.0.0.1 only:
 *
 *   GET  /                            the page (page.ts)
 *   GET  /sources                     every source (sources.ts) as JSON
 *   GET  /events                      server-sent events: "session" (the page's session id),
 *                                     "levels" ({source id: peak 0..1}, ten times a second),
 *                                     "source" (a source whose constraints, settings or state changed)
 *   POST /sessions/:id/offer          the server's offer for that page (signalling.ts)
 *   POST /sessions/:id/answer         the page's answer
 *   POST /sources/:id/constraints     applyConstraints(body) on the source's track; replies with
 *                                     {"source"} (its new settings) or {"source", "error"}
 *
 * Listening on loopback keeps the devices off the network; requests whose Host is not this
 * server's loopback address (DNS rebinding) or whose Origin is another site (a page elsewhere
 * posting constraints) are refused.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clearInterval, setInterval } from '../../platform/timers.js';
import { PREVIEW_PAGE } from './page.js';
import { PreviewSession } from './signalling.js';
import { errorJson, type PreviewSource } from './sources.js';

/** How often the microphones' levels are sent, ms. */
const LEVELS_INTERVAL_MS = 100;
/** The largest request body accepted (constraints, an SDP answer). */
const MAX_BODY_BYTES = 256 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, 'The request body is too large.'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(value));
}

/** The preview's server: its sources, the open pages' sessions, the levels timer. */
export class PreviewServer {
  readonly #sources: readonly PreviewSource[];
  readonly #sessions = new Map<string, PreviewSession>();
  readonly #server: Server;
  readonly #unwatch: (() => void)[] = [];
  #levels: NodeJS.Timeout | undefined;
  #nextSession = 1;
  #host = '';

  constructor(sources: readonly PreviewSource[]) {
    this.#sources = sources;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) sendJson(res, e instanceof HttpError ? e.status : 500, { error: errorJson(e) });
        else res.destroy();
      });
    });
    // A change the page did not ask for (the device ended, was muted) shows on every page.
    for (const source of sources) {
      const track = source.track;
      if (!track) continue;
      const changed = () => this.#broadcast('source', source.toJSON());
      for (const type of ['ended', 'mute', 'unmute']) track.addEventListener(type, changed);
      this.#unwatch.push(() => {
        for (const type of ['ended', 'mute', 'unmute']) track.removeEventListener(type, changed);
      });
    }
  }

  /** Listens on 127.0.0.1:`port` (0: a free port); resolves with the page's URL. */
  async listen(port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#host = `127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    if (this.#sources.some((s) => s.kind === 'microphone' && s.track)) {
      this.#levels = setInterval(() => this.#sendLevels(), LEVELS_INTERVAL_MS);
    }
    return `http://${this.#host}/`;
  }

  #sendLevels(): void {
    if (this.#sessions.size === 0) return;
    const levels: Record<string, number> = {};
    for (const s of this.#sources) if (s.kind === 'microphone' && s.track) levels[s.id] = Math.round(s.takePeak() * 10_000) / 10_000;
    this.#broadcast('levels', levels);
  }

  #broadcast(event: string, data: unknown): void {
    for (const session of this.#sessions.values()) session.send(event, data);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (host !== this.#host && host !== this.#host.replace('127.0.0.1', 'localhost')) throw new HttpError(421, `This server answers to ${this.#host} only.`);
    const origin = req.headers.origin;
    if (req.method === 'POST' && origin !== undefined && origin !== `http://${host}`) throw new HttpError(403, 'Requests from other sites are refused.');
    const path = new URL(req.url ?? '/', `http://${this.#host}`).pathname;
    const route = `${req.method} ${path.replace(/^\/(sessions|sources)\/[^/]+\//, '/$1/:id/')}`;
    const id = path.split('/')[2] ?? '';
    switch (route) {
      case 'GET /':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PREVIEW_PAGE);
        return;
      case 'GET /favicon.ico':
        res.writeHead(204).end();
        return;
      case 'GET /sources':
        return sendJson(res, 200, this.#sources.map((s) => s.toJSON()));
      case 'GET /events':
        return this.#openSession(req, res);
      case 'POST /sessions/:id/offer':
        return sendJson(res, 200, await this.#session(id).offer(this.#sources));
      case 'POST /sessions/:id/answer':
        await this.#session(id).answer(parseJson(await readBody(req)) as never);
        res.writeHead(204).end();
        return;
      case 'POST /sources/:id/constraints':
        return sendJson(res, 200, await this.#applyConstraints(id, await readBody(req)));
    }
    throw new HttpError(404, `Nothing here: ${req.method} ${path}.`);
  }

  #openSession(req: IncomingMessage, res: ServerResponse): void {
    const session = new PreviewSession(String(this.#nextSession++), res);
    this.#sessions.set(session.id, session);
    // The page went away (closed, reloaded): so does its peer connection.
    req.socket.once('close', () => {
      this.#sessions.delete(session.id);
      void session.close();
    });
  }

  #session(id: string): PreviewSession {
    const session = this.#sessions.get(id);
    if (!session) throw new HttpError(404, `No session ${id}: reload the page.`);
    return session;
  }

  /**
   * applyConstraints (https://w3c.github.io/mediacapture-main/#dom-constrainablepattern-applyconstraints)
   * on the source's track, as the page's constraints box asks: the reply carries the settings
   * SelectSettings chose, or the rejection (an OverconstrainedError names its constraint).
   */
  async #applyConstraints(id: string, body: string): Promise<unknown> {
    const source = this.#sources.find((s) => s.id === id);
    if (!source) throw new HttpError(404, `No source ${id}.`);
    if (!source.track) return { source: source.toJSON(), error: { name: 'InvalidStateError', message: 'The device is not open.' } };
    let constraints: unknown;
    try {
      constraints = JSON.parse(body === '' ? '{}' : body);
    } catch (e) {
      return { source: source.toJSON(), error: { name: 'SyntaxError', message: `Not JSON: ${(e as Error).message}` } };
    }
    try {
      await source.track.applyConstraints(constraints as never);
    } catch (e) {
      return { source: source.toJSON(), error: errorJson(e) };
    }
    const json = source.toJSON();
    this.#broadcast('source', json);
    return { source: json };
  }

  /** Ends every session (closing their peer connections) and the server; resolves once all is gone. */
  async close(): Promise<void> {
    clearInterval(this.#levels);
    for (const unwatch of this.#unwatch.splice(0)) unwatch();
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    // Event streams never end by themselves: close() alone would wait for them forever.
    this.#server.closeAllConnections();
    await Promise.all([closed, ...sessions.map((s) => s.close())]);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `The body is not JSON: ${(e as Error).message}`);
  }
}
