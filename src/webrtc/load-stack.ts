/**
 * Loading the WebRTC stack select.ts chose: werift itself, or wrtc in werift's shape.
 */
import { notSupported } from '../platform/errors.js';
import { selectedStack, STACK_VARIABLE, type WebRTCStackName } from './select.js';
import { loadWerift, weriftInstalled, type Werift } from './stack.js';
import { resolveWrtc, WRTC_PACKAGE, wrtcStack } from './wrtc/index.js';
import { RAW_MEDIA } from './wrtc/transceiver.js';

const stacks = new Map<string, Werift>();

/**
 * Whether the selected stack is installed (without loading it: the first RTCPeerConnection does).
 * True for a wrong MEDIACAPTURE_WEBRTC, so that the class is installed and its constructor says
 * what is wrong.
 */
export function stackAvailable(): boolean {
  let name: WebRTCStackName;
  try {
    name = selectedStack();
  } catch {
    return true;
  }
  return name === 'wrtc' ? resolveWrtc() !== null : weriftInstalled();
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
