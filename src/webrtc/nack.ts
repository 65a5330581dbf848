/**
 * A workaround for werift's NACK loop (werift 0.24.4, `NackHandler` in
 * lib/webrtc/src/media/receiver/nack.js), applied to each receiver we make.
 *
 * When a packet is missing, the receiver starts a 5 ms interval that sends a NACK (RFC 4585
 * §6.2.1) for the missing sequence numbers, and stops it once, after a NACK has gone out, none
 * is missing. But `sendNack()` returns a promise that settles only when something is missing: when
 * the retransmission (which werift's sender answers NACKs with) fills the last gap between two
 * ticks, the next tick's promise never settles, the check that stops the interval never runs, and
 * the interval goes on every 5 ms for the life of the connection, each tick leaving a promise
 * that never settles (200 wake-ups and 200 unreleased closures a second). A NACK with nothing
 * missing is here a promise that settles at once, so the tick that finds nothing missing stops
 * the interval.
 */
import type { RTCRtpReceiver as WeriftReceiver } from 'werift';

/** The part of werift's NackHandler this uses (private in its types). */
interface NackHandler {
  readonly lostSeqNumbers: number[];
  sendNack: () => Promise<unknown>;
}

/** Makes `receiver`'s NACK loop stop once nothing is missing (see the module comment). */
export function stopIdleNackLoop(receiver: WeriftReceiver): void {
  const nack = (receiver as unknown as { nack?: NackHandler }).nack;
  if (!nack || typeof nack.sendNack !== 'function') return;
  const send = nack.sendNack;
  nack.sendNack = () => (nack.lostSeqNumbers.length > 0 ? send() : Promise.resolve());
}
