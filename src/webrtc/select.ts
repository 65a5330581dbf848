/**
 * Which WebRTC stack our RTCPeerConnection runs over:
 * - `werift` (the default): werift in our process, with ffmpeg encoding and decoding (stack.ts).
 * - `wrtc`: @roamhq/wrtc (libwebrtc) in a host process per connection (wrtc/).
 *
 * Chosen, for the connections made from then on, by `installGlobals(g, { webrtc })`, else by the
 * environment variable {@link STACK_VARIABLE}, else werift. Loading the chosen one is
 * load-stack.ts's (this module names no werift type, so the published types, which name
 * {@link WebRTCStackName}, do not reach werift's).
 */

/** The stacks. */
export type WebRTCStackName = 'werift' | 'wrtc';
const NAMES: readonly WebRTCStackName[] = ['werift', 'wrtc'];

/** The environment variable that chooses the stack: `werift` or `wrtc`. */
export const STACK_VARIABLE = 'MEDIACAPTURE_WEBRTC';

let chosen: WebRTCStackName | null = null;

/** Converts a stack name (TypeError naming the choices otherwise). */
export function toStackName(value: unknown, context: string): WebRTCStackName {
  const name = String(value).trim().toLowerCase();
  if (!(NAMES as readonly string[]).includes(name)) throw new TypeError(`${context}: '${String(value)}' is not a WebRTC stack; use one of: ${NAMES.join(', ')}.`);
  return name as WebRTCStackName;
}

/** Chooses the stack of the connections made from now on (null: back to the environment's). */
export function chooseStack(name: WebRTCStackName | null): void {
  chosen = name;
}

/** The stack new connections use. */
export function selectedStack(): WebRTCStackName {
  if (chosen) return chosen;
  const value = process.env[STACK_VARIABLE];
  return value?.trim() ? toStackName(value, STACK_VARIABLE) : 'werift';
}
