/**
 * WebRTC for our tracks (issue #12): the interface objects `installGlobals` puts on a global.
 * Installed only where werift (the optional WebRTC stack) can be loaded, and only where the
 * global has no RTCPeerConnection of its own: without werift, `typeof RTCPeerConnection` stays
 * "undefined", as in a browser without WebRTC, and the class itself (exported from the package)
 * throws a NotSupportedError that says `npm install werift` when constructed.
 */
import { RTCIceCandidate, RTCSessionDescription } from './descriptions.js';
import { RTCPeerConnectionIceEvent, RTCTrackEvent } from './events.js';
import { RTCPeerConnection } from './RTCPeerConnection.js';
import { RTCRtpReceiver } from './receiver.js';
import { RTCRtpSender } from './sender.js';
import { tryLoadWerift } from './stack.js';
import { RTCRtpTransceiver } from './transceiver.js';

export { RTCIceCandidate, RTCPeerConnection, RTCPeerConnectionIceEvent, RTCRtpReceiver, RTCRtpSender, RTCRtpTransceiver, RTCSessionDescription, RTCTrackEvent };

/** The WebRTC interface objects, by global name. */
export const WEBRTC_INTERFACES = {
  RTCPeerConnection,
  RTCRtpSender,
  RTCRtpReceiver,
  RTCRtpTransceiver,
  RTCSessionDescription,
  RTCIceCandidate,
  RTCTrackEvent,
  RTCPeerConnectionIceEvent,
} as const;

/**
 * Defines the WebRTC interfaces with `define(name, value)` (which keeps what the global has),
 * when werift is installed and the global has no RTCPeerConnection.
 */
export function installWebRTC(global: Record<string, unknown>, define: (name: string, value: unknown) => void): void {
  if (typeof global.RTCPeerConnection === 'function' || tryLoadWerift() === null) return;
  for (const [name, value] of Object.entries(WEBRTC_INTERFACES)) define(name, value);
}
