/**
 * WebRTC for our tracks (issue #12): the interface objects `installGlobals` puts on a global.
 * Installed only where the selected WebRTC stack (select.ts: werift by default, or wrtc) is
 * installed, and only where the global has no RTCPeerConnection of its own: without it,
 * `typeof RTCPeerConnection` stays "undefined", as in a browser without WebRTC, and the class
 * itself (exported from the package) throws a NotSupportedError that says what to install.
 */
import { RTCIceCandidate, RTCSessionDescription } from './descriptions.js';
import { RTCPeerConnectionIceEvent, RTCTrackEvent } from './events.js';
import { RTCPeerConnection } from './RTCPeerConnection.js';
import { RTCRtpReceiver } from './receiver.js';
import { RTCRtpSender } from './sender.js';
import { stackAvailable } from './load-stack.js';
import { chooseStack, toStackName, type WebRTCStackName } from './select.js';
import { RTCRtpTransceiver } from './transceiver.js';

export type { WebRTCStackName };
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
 * when the stack is installed and the global has no RTCPeerConnection. `stack` (installGlobals'
 * `webrtc` option) chooses the stack of the connections made from then on, in the whole process.
 */
export function installWebRTC(global: Record<string, unknown>, define: (name: string, value: unknown) => void, stack?: WebRTCStackName): void {
  if (stack !== undefined) chooseStack(toStackName(stack, "installGlobals: option 'webrtc'"));
  if (typeof global.RTCPeerConnection === 'function' || !stackAvailable()) return;
  for (const [name, value] of Object.entries(WEBRTC_INTERFACES)) define(name, value);
}
