/**
 * Which WebRTC stack our RTCPeerConnection runs over:
 * - `werift` (the default): werift in our process, with ffmpeg encoding and decoding (stack.ts).
 * - `wrtc`: @roamhq/wrtc (libwebrtc) in a host process per connection (wrtc/).
 *
 * Chosen, for the connections made from then on, by `installGlobals(g, { webrtc })`, else by the
 * environment variable {@link STACK_VARIABLE}, else werift.
 */
import { notSupported } from '../platform/errors.js';
import { loadWerift, tryLoadWerift, type Werift } from './stack.js';
import { resolveWrtc, WRTC_PACKAGE, wrtcStack } from './wrtc/index.js';
import { RAW_MEDIA } from './wrtc/transceiver.js';

/** The stacks. */
export type WebRTCStackName = 'werift' | 'wrtc';
const NAMES: readonly WebRTCStackName[] = ['werift', 'wrtc'];

/** The environment variable that chooses the stack: `werift` or `wrtc`. */
export const STACK_VARIABLE = 'MEDIACAPTURE_WEBRTC';

let chosen: WebRTCStackName | null = null;
const stacks = new Map<string, Werift>();

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

/**
 * Whether the selected stack can be loaded. True for a wrong MEDIACAPTURE_WEBRTC, so that the
 * class is installed and its constructor says what is wrong.
 */
export function stackAvailable(): boolean {
  let name: WebRTCStackName;
  try {
    name = selectedStack();
  } catch {
    return true;
  }
  return name === 'wrtc' ? resolveWrtc() !== null : tryLoadWerift() !== null;
}

/** The selected stack, or a NotSupportedError that says what to install. */
export function loadStack(): Werift {
  if (selectedStack() === 'werift') return loadWerift();
  const path = resolveWrtc();
  if (path === null) throw notSupported(`RTCPeerConnection over wrtc needs the optional package ${WRTC_PACKAGE}, which is not installed. Install it with: npm install ${WRTC_PACKAGE} (or leave ${STACK_VARIABLE} unset for werift).`);
  let stack = stacks.get(path);
  if (!stack) stacks.set(path, (stack = wrtcStack(path)));
  return stack;
}

/** Whether `stack` moves frames rather than RTP (wrtc: libwebrtc encodes and decodes). */
export function isRawMediaStack(stack: Werift): boolean {
  return RAW_MEDIA in stack;
}
