/**
 * The wrtc stack: @roamhq/wrtc (libwebrtc, https://github.com/WonderInventions/node-webrtc), an
 * optional peer dependency, run in a host process per connection (host.ts, host-process.ts) and
 * seen through objects shaped like werift's (connection.ts, transceiver.ts), so that our
 * RTCPeerConnection runs over it unchanged. libwebrtc encodes and decodes (VP8, VP9, AV1, Opus,
 * G.711, as negotiated; no H.264 in this build), answers key-frame requests and adapts the
 * bitrate by its own congestion control.
 *
 * The package is only resolved here, never loaded: loading it in our process is what the host
 * process is there to avoid.
 */
import { createRequire } from 'node:module';
import type { Werift } from '../stack.js';
import { WrtcPeerConnection } from './connection.js';
import { RAW_MEDIA, WrtcCodecParameters, WrtcLocalTrack, WrtcMediaStream } from './transceiver.js';

// This module's URL (the CommonJS build rewrites `import.meta.url`: see scripts/build-cjs.mjs).
// biome-ignore lint/suspicious/noTsIgnore: the error exists in the CommonJS build only, so @ts-expect-error would fail the ESM one.
// @ts-ignore TS1343
const MODULE_URL: string = import.meta.url;

/** The npm package. */
export const WRTC_PACKAGE = '@roamhq/wrtc';

let resolved: string | null | undefined;

/** The path of the package's main module, or null when it is not installed. */
export function resolveWrtc(): string | null {
  if (resolved === undefined) {
    try {
      resolved = createRequire(MODULE_URL).resolve(WRTC_PACKAGE);
    } catch {
      resolved = null;
    }
  }
  return resolved;
}

/**
 * The wrtc stack in werift's shape, for the package at `path`. Only the members our classes use
 * exist (the cast says so): the RTCPeerConnection, MediaStreamTrack and MediaStream classes and the
 * codec parameters, plus {@link RAW_MEDIA}, which tells the senders and receivers to move frames
 * rather than RTP.
 */
export function wrtcStack(path: string): Werift {
  class RTCPeerConnection extends WrtcPeerConnection {
    constructor(config: ConstructorParameters<typeof WrtcPeerConnection>[1]) {
      super(path, config);
    }
  }
  const stack = { RTCPeerConnection, MediaStreamTrack: WrtcLocalTrack, MediaStream: WrtcMediaStream, RTCRtpCodecParameters: WrtcCodecParameters, [RAW_MEDIA]: true };
  return stack as unknown as Werift;
}
