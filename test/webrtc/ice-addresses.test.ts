// MEDIACAPTURE_ICE_ADDRESSES and the peer's candidates: the same ones are accepted whether they
// come one by one (addIceCandidate) or inside a remote description (setRemoteDescription), and
// they are the ones the allowed addresses can reach, which need not be the allowed addresses
// themselves (a media server's candidates are on the server, as in the Janus test's namespace).
import { afterEach, describe, expect, it } from 'vitest';
import { completeOffer } from '../../src/webrtc/gathering.js';
import { RTCPeerConnection } from '../../src/webrtc/index.js';
import { localCandidateAllowed, remoteCandidateAllowed } from '../../src/webrtc/stack.js';
import { until } from '../helpers/wait.js';

// Nothing beyond loopback.
process.env.MEDIACAPTURE_ICE_ADDRESSES = '127.0.0.1';

const line = (address: string, port: number) => `candidate:${port} 1 udp 2122260223 ${address} ${port} typ host`;

describe('which candidates MEDIACAPTURE_ICE_ADDRESSES lets through', () => {
  it('signals only our candidates on the allowed addresses', () => {
    expect(localCandidateAllowed(line('127.0.0.1', 5000), ['127.0.0.1'])).toBe(true);
    expect(localCandidateAllowed(line('192.0.2.7', 5000), ['127.0.0.1'])).toBe(false);
    expect(localCandidateAllowed('', ['127.0.0.1'])).toBe(true);
  });

  it('accepts the peer candidates the allowed addresses can reach', () => {
    // Loopback reaches loopback only.
    expect(remoteCandidateAllowed(line('127.0.0.1', 5000), ['127.0.0.1'])).toBe(true);
    expect(remoteCandidateAllowed(line('127.0.1.1', 5000), ['127.0.0.1'])).toBe(true);
    expect(remoteCandidateAllowed(line('192.0.2.7', 5000), ['127.0.0.1'])).toBe(false);
    // The Janus test: our end of the veth pair (10.77.0.2) reaches Janus's (10.77.0.1).
    expect(remoteCandidateAllowed(line('10.77.0.1', 5000), ['10.77.0.2'])).toBe(true);
    expect(remoteCandidateAllowed(line('127.0.0.1', 5000), ['10.77.0.2'])).toBe(false);
    expect(remoteCandidateAllowed(line('127.0.0.1', 5000), ['10.77.0.2', '127.0.0.1'])).toBe(true);
    // No IPv6 socket under the restriction, and a host name could lead anywhere.
    for (const allowed of [['127.0.0.1'], ['10.77.0.2']]) {
      expect(remoteCandidateAllowed(line('::1', 5000), allowed)).toBe(false);
      expect(remoteCandidateAllowed(line('2f1c2a7e-1d5b-4c3e-9d0a-6a1b2c3d4e5f.local', 5000), allowed)).toBe(false);
      expect(remoteCandidateAllowed('', allowed)).toBe(true);
    }
    // Without the restriction, everything.
    expect(remoteCandidateAllowed(line('::1', 5000), null)).toBe(true);
  });
});

describe('setRemoteDescription filters the candidates in the description as addIceCandidate does', () => {
  const pcs: RTCPeerConnection[] = [];
  const make = () => {
    const pc = new RTCPeerConnection();
    pcs.push(pc);
    return pc;
  };

  afterEach(async () => {
    for (const pc of pcs) pc.close();
    await Promise.all(pcs.map((pc) => RTCPeerConnection.closed(pc)));
    pcs.length = 0;
  });

  /** The addresses of werift's remote candidates, from getStats(), sorted. */
  async function remoteAddresses(pc: RTCPeerConnection): Promise<string[]> {
    const report = await pc.getStats();
    return [...report.values()]
      .filter((s) => (s as { type?: string }).type === 'remote-candidate')
      .map((s) => (s as { address: string }).address)
      .sort();
  }

  it('keeps the reachable ones (and connects on them) and leaves out the others', async () => {
    const pc1 = make();
    pc1.addTransceiver('audio');
    const offer = await completeOffer(pc1);
    const ours = offer.sdp.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
    expect(ours.length).toBeGreaterThan(0);
    // Candidates off loopback, as a browser on this machine would add: a LAN address, an mDNS
    // name, an IPv6 address. None is reachable from 127.0.0.1.
    const foreign = [line('192.0.2.7', 50000), line('2f1c2a7e-1d5b-4c3e-9d0a-6a1b2c3d4e5f.local', 50001), line('::1', 50002)];
    const withForeign = offer.sdp.replace(ours[0]!, [ours[0]!, ...foreign.map((c) => `a=${c}`)].join('\r\n'));
    expect(withForeign).toContain('192.0.2.7');

    // The SDP path.
    const pc2 = make();
    await pc2.setRemoteDescription({ type: 'offer', sdp: withForeign });
    // The trickle path: the same description without candidates, then each one alone.
    const pc3 = make();
    const bare = offer.sdp
      .split('\r\n')
      .filter((l) => !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates')
      .join('\r\n');
    await pc3.setRemoteDescription({ type: 'offer', sdp: bare });
    const mid = pc3.getTransceivers()[0]!.mid;
    for (const c of [...ours.map((l) => l.slice(2)), ...foreign]) await pc3.addIceCandidate({ candidate: c, sdpMid: mid, sdpMLineIndex: 0 });

    const viaSdp = await remoteAddresses(pc2);
    expect(viaSdp.length).toBeGreaterThan(0);
    expect(viaSdp.every((a) => a === '127.0.0.1')).toBe(true);
    expect(viaSdp).toEqual(await remoteAddresses(pc3));
    expect(pc2.remoteDescription!.sdp).not.toMatch(/192\.0\.2\.7|\.local|::1/);

    // The candidates kept are enough: pc1 and pc2 connect with no trickle at all.
    await pc2.setLocalDescription(await pc2.createAnswer());
    await until(() => pc2.iceGatheringState === 'complete', 'pc2 gathered');
    await pc1.setRemoteDescription(pc2.localDescription!);
    await until(() => pc1.connectionState === 'connected' && pc2.connectionState === 'connected', 'both connected');
  });
});
