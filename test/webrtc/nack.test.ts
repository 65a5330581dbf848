// werift's NACK loop (src/webrtc/nack.ts): a gap filled by a retransmission leaves werift's 5 ms
// NACK interval running for good; with stopIdleNackLoop it stops at the next tick. Driven on a
// real werift receiver whose RTCP goes to a stand-in transport (nothing is connected).
import { describe, expect, it } from 'vitest';
import { stopIdleNackLoop } from '../../src/webrtc/nack.js';
import { loadWerift } from '../../src/webrtc/stack.js';
import { until } from '../helpers/wait.js';

/** werift's NackHandler, as far as the test uses it (private in werift's types). */
interface NackHandler {
  nackLoop: unknown;
  lostSeqNumbers: number[];
  addPacket(packet: { header: { sequenceNumber: number; ssrc: number } }): void;
  sendNack: () => Promise<unknown>;
  close(): void;
}

/** A werift receiver with a gap (packet 3 of 1..4) that a retransmission then fills; counts the loop's ticks. */
async function receiverAfterRetransmission(fix: boolean) {
  const werift = loadWerift();
  const pc = new werift.RTCPeerConnection();
  const receiver = pc.addTransceiver('video', { direction: 'recvonly' }).receiver;
  const nacks: unknown[] = [];
  (receiver as unknown as { dtlsTransport: unknown }).dtlsTransport = { sendRtcp: async (packets: unknown[]) => void nacks.push(packets) };
  const nack = (receiver as unknown as { nack: NackHandler }).nack;
  let ticks = 0;
  const send = nack.sendNack;
  nack.sendNack = () => {
    ticks++;
    return send();
  };
  if (fix) stopIdleNackLoop(receiver);
  const packet = (sequenceNumber: number) => ({ header: { sequenceNumber, ssrc: 42 } });
  for (const n of [1, 2, 4]) nack.addPacket(packet(n));
  expect(nack.lostSeqNumbers).toEqual([3]);
  await until(() => nacks.length > 0);
  // The retransmission of packet 3 arrives: nothing is missing any more.
  nack.addPacket(packet(3));
  expect(nack.lostSeqNumbers).toEqual([]);
  return {
    nack,
    ticks: () => ticks,
    // The receiver's stop() ends its NACK handler (the connection never started anything).
    close: () => receiver.stop(),
  };
}

describe("werift's NACK loop after a retransmission", () => {
  it('werift alone: the 5 ms loop goes on with nothing missing', async () => {
    const r = await receiverAfterRetransmission(false);
    const start = r.ticks();
    await until(() => r.ticks() >= start + 20);
    expect(r.nack.nackLoop).not.toBeUndefined();
    r.close();
  });

  it('with stopIdleNackLoop: the loop stops at its next tick', async () => {
    const r = await receiverAfterRetransmission(true);
    await until(() => r.nack.nackLoop === undefined);
    const ticks = r.ticks();
    r.close();
    expect(ticks).toBeLessThan(20);
  });
});
