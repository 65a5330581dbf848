/**
 * A workaround for werift's DTLS retransmission after close (werift 0.24.4, `Flight.transmit` in
 * lib/dtls/src/flight/flight.js), applied by RTCPeerConnection's close to each DTLS transport.
 *
 * A handshake flight that expects an answer (ClientHello, ServerHello…, the client's Finished) is
 * sent, then resent after 0.5 s, 1 s, 1.5 s… up to ten times (33 s in all) until the handshake
 * context's `flight` reaches the flight of the answer. Each wait is a timer from
 * `timers/promises` that nothing cancels, and stopping the transport does not end the loop: a
 * close() during the handshake (say, the client's ClientHello, sent 100 ms after ICE connects,
 * with nobody left to answer it) kept Node running 33 s after everything else had gone.
 *
 * The loop checks `flight >= nextFlight` after each wait and then ends without error. Once the
 * transport is stopped nothing of the handshake can happen any more (its ICE connection's socket
 * is closed, so no record arrives, and werift's `start()` refuses a stopped transport), so the
 * context's `flight` is pinned to the flight werift marks a finished handshake with (7, which
 * `client.js` sets on the server's Finished): it is at least every flight a retransmission waits
 * for (3, 5, 6, 7). The pin is a getter, and writes are ignored, because a flight that begins
 * after the close (the client's first, 100 ms after ICE connects) sets `flight` to its own number
 * before it sends. Each loop then ends at its next wake-up: at most the wait it is in (0.5 s for
 * a flight begun after the close).
 */
import type { RTCDtlsTransport } from 'werift';

/** The flight werift's DTLS client sets once the handshake is done, above every one awaited. */
const FINISHED_FLIGHT = 7;

/** The part of werift's DTLS handshake context this uses (internal: not in its types). */
interface HandshakeContext {
  flight: number;
}

/**
 * Ends `transport`'s handshake retransmissions at their next wake-up (see the module comment).
 * Only for a transport that is stopped already.
 */
export function endHandshakeRetransmission(transport: RTCDtlsTransport): void {
  const context = (transport as unknown as { dtls?: { dtls?: HandshakeContext } }).dtls?.dtls;
  if (!context || typeof context.flight !== 'number') return;
  Object.defineProperty(context, 'flight', {
    configurable: true,
    enumerable: true,
    get: () => FINISHED_FLIGHT,
    set: () => {},
  });
}
