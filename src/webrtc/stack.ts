/**
 * The WebRTC stack under our RTCPeerConnection: werift (https://github.com/shinyoshiaki/werift-webrtc),
 * an optional peer dependency. werift carries ICE, DTLS-SRTP, RTP and RTCP in TypeScript; the
 * media (encoding our tracks, decoding the remote ones) is ours, with ffmpeg.
 *
 * Loaded synchronously (its CommonJS build through `createRequire`) because the RTCPeerConnection
 * constructor is synchronous. When it is not installed, `installGlobals` leaves `RTCPeerConnection`
 * out (as a browser without WebRTC would), and constructing our class directly throws an error
 * that names the package to install.
 */
import { createRequire } from 'node:module';
import { notSupported } from '../platform/errors.js';

/** werift's module and its "nonstandard" one (the jitter buffer and depacketizer), merged. */
export type Werift = typeof import('werift') & typeof import('werift/nonstandard');

let loaded: Werift | null | undefined;

// This module's URL. The CommonJS build (scripts/build-cjs.mjs) compiles this line too, where
// TypeScript rejects `import.meta` (TS1343); it rewrites it to `__filename`'s URL.
// biome-ignore lint/suspicious/noTsIgnore: the error exists in the CommonJS build only, so @ts-expect-error would fail the ESM one.
// @ts-ignore TS1343
const MODULE_URL: string = import.meta.url;

/** werift, or null when it cannot be loaded. */
export function tryLoadWerift(): Werift | null {
  if (loaded === undefined) {
    try {
      const requireHere = createRequire(MODULE_URL);
      loaded = Object.assign({}, requireHere('werift/nonstandard'), requireHere('werift')) as Werift;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/**
 * Whether werift is installed, without loading it: loading it takes a tenth to a fifth of a
 * second (over two hundred modules), which `import 'mediacapture/global'` should not pay when the
 * program never makes an RTCPeerConnection. The first RTCPeerConnection loads it.
 */
export function weriftInstalled(): boolean {
  if (loaded !== undefined) return loaded !== null;
  try {
    createRequire(MODULE_URL).resolve('werift');
    return true;
  } catch {
    return false;
  }
}

/** werift, or a NotSupportedError that says how to install it. */
export function loadWerift(): Werift {
  const werift = tryLoadWerift();
  if (!werift) {
    throw notSupported('RTCPeerConnection needs the optional package werift (a WebRTC stack in TypeScript), which is not installed. Install it with: npm install werift');
  }
  return werift;
}

/**
 * The environment variable that restricts ICE to the given local addresses (comma-separated
 * IPv4 addresses, loopback allowed): only candidates on them are gathered and signalled, and only
 * remote candidates they can reach are accepted, whether from addIceCandidate or inside a remote
 * description (see {@link remoteCandidateAllowed}). Tests set it to 127.0.0.1 so that nothing is
 * sent beyond the machine; a private network namespace sets it to its veth address.
 */
export const ICE_ADDRESSES_VARIABLE = 'MEDIACAPTURE_ICE_ADDRESSES';

/** The local addresses ICE is restricted to (see {@link ICE_ADDRESSES_VARIABLE}), or null for all. */
export function iceAddresses(): string[] | null {
  const value = process.env[ICE_ADDRESSES_VARIABLE]?.trim();
  if (!value) return null;
  return value
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
}

/** The address of an SDP `candidate:` attribute line (with or without `a=`), or null. */
export function candidateAddress(candidate: string): string | null {
  const fields = candidate.replace(/^a=/, '').trim().split(/\s+/);
  return fields.length >= 6 ? fields[4]! : null;
}

/**
 * Whether one of our candidates may be gathered and signalled: its address is an allowed one.
 * End-of-candidates (empty) always may.
 */
export function localCandidateAllowed(candidate: string, allowed: readonly string[] | null): boolean {
  if (allowed === null || candidate.trim() === '') return true;
  const address = candidateAddress(candidate);
  return address !== null && allowed.includes(address);
}

const IPV4 = /^(\d{1,3})\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Whether a remote candidate may be accepted: the allowed addresses can reach it. The peer is
 * usually elsewhere (a media server, a browser on the network), so its candidates are not on our
 * addresses; what matters is where our sockets, on the allowed addresses only, may send:
 * - a loopback address (127.0.0.0/8) when a loopback address is allowed: a socket on loopback
 *   reaches nothing else (the kernel refuses the route), and nothing then leaves the machine;
 * - any other IPv4 address when a non-loopback address is allowed (the routing table decides);
 * - never an IPv6 address (no IPv6 socket is opened under the restriction) nor a host name (an
 *   mDNS `.local` name could lead anywhere; werift would also resolve it on a 10 s timer that
 *   outlives close()).
 * End-of-candidates (empty) always may.
 */
export function remoteCandidateAllowed(candidate: string, allowed: readonly string[] | null): boolean {
  if (allowed === null || candidate.trim() === '') return true;
  const first = IPV4.exec(candidateAddress(candidate) ?? '')?.[1];
  if (first === undefined) return false;
  const loopback = (a: string) => IPV4.exec(a)?.[1] === '127';
  return first === '127' ? allowed.some(loopback) : allowed.some((a) => !loopback(a));
}

/** `sdp` without the candidate lines that `allowed` (a test of one line) leaves out. */
export function filterSdpCandidates(sdp: string, allowed: (candidate: string) => boolean): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || allowed(line))
    .join('\r\n');
}
