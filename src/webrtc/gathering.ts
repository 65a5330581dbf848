/**
 * Waiting for ICE gathering, for the signalling protocols that send one complete description
 * instead of trickling candidates (WHIP's and WHEP's POST, Janus's `jsep` with the candidates in
 * it). werift gathers host candidates in milliseconds; servers reached through STUN or TURN take
 * longer, so the wait is bounded and the description then carries what was gathered.
 */
import { clearTimeout, setTimeout } from '../platform/timers.js';
import type { RTCPeerConnection } from './RTCPeerConnection.js';

/** Resolves once `pc.iceGatheringState` is "complete", or after `timeoutMs`, whichever is first. */
export function iceGatheringComplete(pc: RTCPeerConnection, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = () => pc.iceGatheringState === 'complete' && done();
    const timer = setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/** Creates the offer, sets it as the local description and waits for gathering (see above). */
export async function completeOffer(pc: RTCPeerConnection): Promise<{ type: 'offer'; sdp: string }> {
  await pc.setLocalDescription(await pc.createOffer());
  await iceGatheringComplete(pc);
  return { type: 'offer', sdp: pc.localDescription!.sdp };
}

/** Sets `offer` as the remote description, answers it and waits for gathering. */
export async function completeAnswer(pc: RTCPeerConnection, offer: { type: 'offer'; sdp: string }): Promise<{ type: 'answer'; sdp: string }> {
  await pc.setRemoteDescription(offer);
  await pc.setLocalDescription(await pc.createAnswer());
  await iceGatheringComplete(pc);
  return { type: 'answer', sdp: pc.localDescription!.sdp };
}
