/**
 * WHIP, the WebRTC-HTTP Ingestion Protocol (RFC 9725, https://www.rfc-editor.org/rfc/rfc9725),
 * and its playback twin WHEP (https://datatracker.ietf.org/doc/draft-ietf-wish-whep/), which has
 * the same exchange with a receiving offer:
 *
 * - §4.2 setup: the client POSTs its SDP offer (`Content-Type: application/sdp`) to the endpoint
 *   URL; the server answers `201 Created` with the SDP answer as the body and the URL of the new
 *   session in `Location` (relative URLs resolve against the endpoint's).
 * - §4.4 authentication: an optional bearer token in `Authorization` on every request.
 * - §4.3 ICE: the offer here carries every candidate gathered (no trickle PATCH).
 * - §4.5 teardown: `DELETE` on the session URL, then the PeerConnection closes.
 *
 * Every failure is a {@link WhipError} that names the URL, the HTTP status and the server's words.
 */
import { completeOffer } from './gathering.js';
import type { RTCPeerConnection } from './RTCPeerConnection.js';

/** A WHIP or WHEP request that failed: no answer, not 201, no Location, or no SDP. */
export class WhipError extends Error {
  /** The HTTP status, or 0 when no response came (network error, timeout). */
  readonly status: number;
  /** The URL of the request that failed. */
  readonly url: string;

  constructor(message: string, url: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WhipError';
    this.url = url;
    this.status = status;
  }
}

/** Options of {@link publishWhip} and {@link playWhep}. */
export interface WhipOptions {
  /** A bearer token (RFC 9725 §4.4), sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** More request headers. */
  headers?: Record<string, string>;
  /** How long each HTTP request may take, in milliseconds (default 10 000). */
  timeoutMs?: number;
}

/** A session set up by {@link publishWhip} or {@link playWhep}. */
export interface WhipSession {
  /** The session URL (the `Location` of the 201 response, resolved). */
  readonly resource: string;
  /** The SDP answer the server sent. */
  readonly answer: string;
  /**
   * Ends the session: DELETE on {@link resource} (RFC 9725 §4.5), then `pc.close()`. A failed
   * DELETE is reported (a WhipError) after the PeerConnection is closed all the same.
   */
  close(): Promise<void>;
}

/**
 * Publishes what `pc` sends to the WHIP endpoint at `endpoint`: makes the offer (add the tracks,
 * e.g. with `addTransceiver(track, { direction: 'sendonly' })`, first), POSTs it, and applies the
 * answer. Rejects with a {@link WhipError}.
 */
export function publishWhip(pc: RTCPeerConnection, endpoint: string | URL, options: WhipOptions = {}): Promise<WhipSession> {
  return negotiate(pc, endpoint, options, 'WHIP');
}

/**
 * Plays a WHEP endpoint's stream into `pc`: add receiving transceivers first
 * (`addTransceiver('video', { direction: 'recvonly' })`), and the remote tracks come in `track`
 * events. Rejects with a {@link WhipError}.
 */
export function playWhep(pc: RTCPeerConnection, endpoint: string | URL, options: WhipOptions = {}): Promise<WhipSession> {
  return negotiate(pc, endpoint, options, 'WHEP');
}

async function negotiate(pc: RTCPeerConnection, endpoint: string | URL, options: WhipOptions, protocol: string): Promise<WhipSession> {
  const url = new URL(endpoint).href;
  const offer = await completeOffer(pc);
  const response = await request(url, 'POST', options, protocol, offer.sdp);
  const body = await response.text();
  // §4.2: "201 Created" with the answer; anything else is a failure, with the server's reason.
  if (response.status !== 201) throw new WhipError(`${protocol} endpoint ${url} answered ${response.status} ${response.statusText}${excerpt(body)}; expected 201 Created with an SDP answer.`, url, response.status);
  const location = response.headers.get('location');
  if (!location) throw new WhipError(`${protocol} endpoint ${url} answered 201 without a Location header, so the session could not be ended later.`, url, 201);
  const type = response.headers.get('content-type') ?? '';
  if (!/^application\/sdp\b/i.test(type) || !body.startsWith('v=0')) {
    throw new WhipError(`${protocol} endpoint ${url} answered 201 without an SDP answer (Content-Type "${type}")${excerpt(body)}.`, url, 201);
  }
  const resource = new URL(location, response.url || url).href;
  try {
    await pc.setRemoteDescription({ type: 'answer', sdp: body });
  } catch (error) {
    // The server keeps a session for an answer we cannot use: end it.
    await request(resource, 'DELETE', options, protocol).catch(() => {});
    throw new WhipError(`${protocol} endpoint ${url} sent an answer that could not be applied: ${(error as Error).message}`, url, 201, { cause: error });
  }
  let closing: Promise<void> | null = null;
  return {
    resource,
    answer: body,
    close: () => (closing ??= teardown(pc, resource, options, protocol)),
  };
}

async function teardown(pc: RTCPeerConnection, resource: string, options: WhipOptions, protocol: string): Promise<void> {
  let failure: unknown = null;
  try {
    const response = await request(resource, 'DELETE', options, protocol);
    await response.arrayBuffer();
    // §4.5: the server answers 200 OK; a session it no longer has (404) is ended all the same.
    if (!response.ok && response.status !== 404) failure = new WhipError(`${protocol} session ${resource}: DELETE answered ${response.status} ${response.statusText}.`, resource, response.status);
  } catch (error) {
    failure = error;
  }
  pc.close();
  if (failure) throw failure;
}

/** One HTTP request; a network failure or timeout becomes a WhipError with status 0. */
async function request(url: string, method: 'POST' | 'DELETE', options: WhipOptions, protocol: string, sdp?: string): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (sdp !== undefined) headers['content-type'] = 'application/sdp';
  const timeoutMs = options.timeoutMs ?? 10_000;
  try {
    return await fetch(url, { method, headers, ...(sdp !== undefined ? { body: sdp } : {}), redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : describeCause(error);
    throw new WhipError(`${protocol} ${method} ${url} failed: ${why}.`, url, 0, { cause: error });
  }
}

/** fetch's "fetch failed" hides the reason (ECONNREFUSED, ENOTFOUND) in `cause`. */
function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** A short quote of a response body, for an error message. */
function excerpt(body: string): string {
  const text = body.trim().replace(/\s+/g, ' ');
  return text ? `: "${text.length > 200 ? `${text.slice(0, 200)}…` : text}"` : '';
}
