/**
 * A session with a Janus WebRTC server over its HTTP (REST) transport
 * (https://janus.conf.meetecho.com/docs/rest.html): `create` makes the session, `attach` a handle
 * on a plugin, `message` talks to the plugin, and events (the plugin's answers to asynchronous
 * requests, `webrtcup`, `hangup`, …) come from a long poll (GET on the session URL). Janus ends a
 * session that is silent for 60 s, so a `keepalive` goes every 25 s; `destroy()` ends the poll,
 * the keepalives, and the session.
 *
 * Errors are {@link JanusError}s: Janus's own (`{"janus": "error"}`) and a plugin's
 * (`error_code` in its data), with their codes.
 */
import { clearInterval, clearTimeout, delay, setInterval, setTimeout } from '../../platform/timers.js';

/** A failed Janus request: Janus's or the plugin's error code (0: HTTP or network). */
export class JanusError extends Error {
  readonly code: number;

  constructor(message: string, code: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JanusError';
    this.code = code;
  }
}

/** A message from Janus (the fields this client reads). */
export interface JanusMessage {
  janus: string;
  transaction?: string;
  sender?: number;
  data?: { id: number };
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: { type: 'offer' | 'answer'; sdp: string };
  error?: { code: number; reason: string };
  [field: string]: unknown;
}

/** What a plugin answered: its data, and the JSEP that came with it. */
export interface PluginAnswer {
  data: Record<string, unknown>;
  jsep?: { type: 'offer' | 'answer'; sdp: string };
}

/** Options of {@link JanusSession.create}. */
export interface JanusSessionOptions {
  /** Milliseconds between keepalives (default 25 000; Janus's session timeout is 60 s by default). */
  keepaliveMs?: number;
  /** How long a request may wait for Janus's answer, in milliseconds (default 10 000). */
  timeoutMs?: number;
}

type Waiter = { match: (m: JanusMessage) => boolean; resolve: (m: JanusMessage) => void; reject: (e: Error) => void };

export class JanusSession {
  /** The session's URL (`<server>/<session id>`). */
  readonly url: string;
  readonly #timeoutMs: number;
  readonly #poll = new AbortController();
  readonly #keepalive: NodeJS.Timeout;
  readonly #waiters = new Set<Waiter>();
  readonly #listeners = new Set<(m: JanusMessage) => void>();
  /** Recent events nobody waited for yet (`webrtcup` can come before its waiter), oldest first. */
  readonly #unclaimed: JanusMessage[] = [];
  #ended: Error | null = null;

  private constructor(url: string, options: JanusSessionOptions) {
    this.url = url;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#keepalive = setInterval(() => void this.send(this.url, { janus: 'keepalive' }).catch(() => {}), options.keepaliveMs ?? 25_000);
    void this.#longPoll();
  }

  /** Creates a session on the server whose API is at `server` (e.g. `http://127.0.0.1:8088/janus`). */
  static async create(server: string | URL, options: JanusSessionOptions = {}): Promise<JanusSession> {
    const base = new URL(server).href.replace(/\/$/, '');
    const answer = await post(base, { janus: 'create' }, options.timeoutMs ?? 10_000);
    return new JanusSession(`${base}/${answer.data!.id}`, options);
  }

  /** Attaches a handle on `plugin` (e.g. "janus.plugin.videoroom"). */
  async attach(plugin: string): Promise<JanusHandle> {
    const answer = await this.send(this.url, { janus: 'attach', plugin });
    return new JanusHandle(this, answer.data!.id);
  }

  /** Posts `body` to `url` (this session's or a handle's) with a new transaction; Janus's immediate answer. */
  send(url: string, body: Record<string, unknown>): Promise<JanusMessage> {
    if (this.#ended) return Promise.reject(this.#ended);
    return post(url, body, this.#timeoutMs);
  }

  /**
   * The next event that `match` accepts (the oldest of the recent ones nobody took, or one to
   * come); rejects after `timeoutMs`, when the session ends, or when `signal` aborts.
   */
  next(match: (m: JanusMessage) => boolean, timeoutMs = this.#timeoutMs, signal?: AbortSignal): Promise<JanusMessage> {
    const at = this.#unclaimed.findIndex(match);
    if (at >= 0) return Promise.resolve(this.#unclaimed.splice(at, 1)[0]!);
    if (this.#ended) return Promise.reject(this.#ended);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (m) => settle(() => resolve(m)),
        reject: (e) => settle(() => reject(e)),
      };
      const timer = setTimeout(() => waiter.reject(new JanusError(`No answer from Janus at ${this.url} within ${timeoutMs / 1000} s.`, 0)), timeoutMs);
      const settle = (f: () => void) => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        f();
      };
      this.#waiters.add(waiter);
      signal?.addEventListener('abort', () => waiter.reject(new JanusError('No longer waited for.', 0)), { once: true });
    });
  }

  /** Calls `listener` with every event; returns the function that stops it. */
  onEvent(listener: (m: JanusMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Destroys the session on the server (its handles are detached) and stops polling. */
  async destroy(): Promise<void> {
    if (this.#ended) return;
    try {
      await this.send(this.url, { janus: 'destroy' });
    } finally {
      this.#end(new JanusError(`The Janus session ${this.url} was destroyed.`, 0));
    }
  }

  #end(reason: Error): void {
    if (this.#ended) return;
    this.#ended = reason;
    clearInterval(this.#keepalive);
    this.#poll.abort();
    for (const w of [...this.#waiters]) w.reject(reason);
  }

  async #longPoll(): Promise<void> {
    let failures = 0;
    while (!this.#ended) {
      try {
        // Janus holds the request up to 30 s and answers with events, or a keepalive when none came.
        const response = await fetch(`${this.url}?maxev=10`, { signal: this.#poll.signal });
        const body = (await response.json()) as JanusMessage | JanusMessage[];
        failures = 0;
        for (const m of Array.isArray(body) ? body : [body]) this.#dispatch(m);
      } catch (error) {
        if (this.#ended) return;
        // A server that went away: after a few tries, everything waiting learns it.
        if (++failures >= 3) return this.#end(new JanusError(`Lost the Janus session ${this.url}: ${describe(error)}.`, 0, { cause: error }));
        await delay(200 * failures);
      }
    }
  }

  #dispatch(m: JanusMessage): void {
    if (m.janus === 'keepalive') return;
    if (m.janus === 'error' && m.error?.code === 458) return this.#end(new JanusError(`Janus no longer knows the session ${this.url} (it timed out).`, 458));
    for (const l of [...this.#listeners]) l(m);
    for (const w of [...this.#waiters]) {
      if (w.match(m)) return w.resolve(m);
    }
    this.#unclaimed.push(m);
    if (this.#unclaimed.length > 100) this.#unclaimed.shift();
  }
}

/** A handle on one plugin, in a {@link JanusSession}. */
export class JanusHandle {
  readonly session: JanusSession;
  readonly id: number;
  readonly url: string;

  constructor(session: JanusSession, id: number) {
    this.session = session;
    this.id = id;
    this.url = `${session.url}/${id}`;
  }

  /**
   * Sends `body` (and `jsep`) to the plugin and returns its answer: at once for a synchronous
   * request, or the event with the same transaction for an asynchronous one (Janus acks first).
   * A plugin error (`error_code`) rejects with a JanusError.
   */
  async message(body: Record<string, unknown>, jsep?: { type: string; sdp: string }): Promise<PluginAnswer> {
    const transaction = newTransaction();
    // Waiting from before the request: the event can come back before the request's own answer.
    const unwanted = new AbortController();
    const event = this.session.next((m) => m.transaction === transaction && m.janus === 'event', undefined, unwanted.signal);
    event.catch(() => {});
    let answer: JanusMessage | undefined;
    try {
      answer = await this.session.send(this.url, { janus: 'message', body, transaction, ...(jsep ? { jsep } : {}) });
    } finally {
      if (answer?.janus !== 'ack') unwanted.abort();
    }
    const reply = answer.janus === 'ack' ? await event : answer;
    const data = reply.plugindata?.data ?? {};
    if (typeof data.error_code === 'number') throw new JanusError(`Janus ${String(body.request)}: ${data.error_code} ${String(data.error)}`, data.error_code);
    return { data, ...(reply.jsep ? { jsep: reply.jsep } : {}) };
  }

  /** Trickles a candidate, or (null) says that gathering is complete. */
  async trickle(candidate: { candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null } | null): Promise<void> {
    await this.session.send(this.url, { janus: 'trickle', candidate: candidate ?? { completed: true } });
  }

  /** The next event from this handle that `match` accepts (`webrtcup`, `hangup`, plugin events…). */
  next(match: (m: JanusMessage) => boolean, timeoutMs?: number): Promise<JanusMessage> {
    return this.session.next((m) => m.sender === this.id && match(m), timeoutMs);
  }

  /** Hangs up the handle's PeerConnection and detaches it from the plugin. */
  async detach(): Promise<void> {
    await this.session.send(this.url, { janus: 'detach' });
  }
}

function newTransaction(): string {
  return Math.random().toString(36).slice(2, 14);
}

/** POSTs a Janus request; Janus's error answer (and a plugin's, when synchronous) becomes a JanusError. */
async function post(url: string, body: Record<string, unknown>, timeoutMs: number): Promise<JanusMessage> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ transaction: newTransaction(), ...body }), signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new JanusError(`Janus request "${String(body.janus)}" to ${url} failed: ${describe(error)}.`, 0, { cause: error });
  }
  const text = await response.text();
  let message: JanusMessage;
  try {
    message = JSON.parse(text) as JanusMessage;
  } catch {
    throw new JanusError(`${url} answered ${response.status} with something that is not Janus's JSON: "${text.slice(0, 120)}". Is it the Janus HTTP API (usually http://host:8088/janus)?`, 0);
  }
  if (message.janus === 'error') throw new JanusError(`Janus "${String(body.janus)}": ${message.error?.code} ${message.error?.reason}`, message.error?.code ?? 0);
  return message;
}

function describe(error: unknown): string {
  if ((error as Error).name === 'TimeoutError') return 'no answer in time';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
