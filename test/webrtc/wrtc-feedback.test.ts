// The wrtc stack's encoder follows its peer: a picture-loss indication (PLI) brings a key frame,
// and a receiver estimate (REMB) caps the bitrate (libwebrtc's congestion control does both). The peer is werift itself (not our
// RTCPeerConnection), which can send both RTCP messages when told to; the wrtc side's getStats()
// shows what libwebrtc's encoder did.
import { afterAll, describe, expect, it } from 'vitest';
import * as werift from 'werift';
import { RTCPeerConnection } from '../../src/webrtc/index.js';
import { openTab } from '../core/harness.js';
import { until } from '../helpers/wait.js';
import { connection, missing } from './wrtc-helpers.js';

process.env.MEDIACAPTURE_ICE_ADDRESSES = '127.0.0.1';

/** The wrtc side's outbound video stats. */
async function outbound(pc: RTCPeerConnection): Promise<Record<string, number>> {
  const report = await pc.getStats();
  return ([...report.values()] as Record<string, unknown>[]).find((s) => s.type === 'outbound-rtp' && s.kind === 'video') as Record<string, number>;
}

describe.skipIf(missing)('the wrtc encoder and its peer', () => {
  const tab = openTab();
  const peer = new werift.RTCPeerConnection({
    codecs: { video: [new werift.RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'goog-remb' }] })], audio: [] },
    iceUseIpv6: false,
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
  let pc: RTCPeerConnection | undefined;
  afterAll(async () => {
    pc?.close();
    if (pc) await RTCPeerConnection.closed(pc);
    await peer.close();
    tab.handle.uninstall();
  });

  it('a PLI brings a key frame; a REMB of 60 kbit/s brings what it sends under it', async () => {
    const stream = (await tab.mediaDevices.getUserMedia({ video: { width: 640, height: 360 } })) as unknown as MediaStream;
    pc = connection('wrtc');
    pc.addTrack(stream.getVideoTracks()[0] as never, stream as never);
    const track = new Promise<werift.RTCTrackEvent>((resolve) => (peer.ontrack = resolve));
    pc.onicecandidate = (e) => e.candidate && void peer.addIceCandidate(e.candidate.toJSON() as never);
    await pc.setLocalDescription(await pc.createOffer());
    await peer.setRemoteDescription(pc.localDescription!.toJSON() as never);
    await peer.setLocalDescription(await peer.createAnswer());
    peer.onIceCandidate.subscribe((c) => c && void pc!.addIceCandidate(c.toJSON()));
    await pc.setRemoteDescription(peer.localDescription as never);
    const { receiver, track: remote } = await track;
    const ssrc = await new Promise<number>((resolve) => remote.onReceiveRtp.once((p) => resolve(p.header.ssrc)));

    // Key frames: the first one, then one per PLI.
    const first = await until(async () => {
      const s = await outbound(pc!);
      return (s?.framesEncoded ?? 0) > 30 && s;
    }, { what: 'frames encoded', pollMs: 100 });
    const before = first.keyFramesEncoded!;
    await receiver.sendRtcpPLI(ssrc);
    const after = await until(async () => {
      const s = await outbound(pc!);
      return s.pliCount! >= 1 && s.keyFramesEncoded! > before && s;
    }, { what: 'a key frame after the PLI', pollMs: 100 });
    expect(after.pliCount).toBe(1);

    // Bitrate: what the encoder sends follows the receiver's estimate down.
    const rate = async (ms: number) => {
      const a = await outbound(pc!);
      await new Promise((resolve) => setTimeout(resolve, ms));
      const b = await outbound(pc!);
      return ((b.bytesSent! - a.bytesSent!) * 8 * 1000) / ms;
    };
    // Measured here: 200 kbit/s rising past 400 in the first seconds; then, under a REMB of
    // 60 kbit/s every 250 ms, about 35 within two seconds.
    await until(async () => (await rate(1000)) > 150_000, { what: 'the bitrate to ramp up past 150 kbit/s', timeoutMs: 20_000 });
    const remb = () =>
      receiver.dtlsTransport.sendRtcp([
        new werift.RtcpPayloadSpecificFeedback({ feedback: new werift.ReceiverEstimatedMaxBitrate({ senderSsrc: receiver.rtcpSsrc, mediaSsrc: 0, ssrcNum: 1, brExp: 0, brMantissa: 60_000, ssrcFeedbacks: [ssrc] }) }),
      ]);
    const timer = setInterval(() => void remb(), 250);
    try {
      await until(async () => (await rate(1000)) < 70_000, { what: 'the bitrate to fall under the REMB', timeoutMs: 15_000 });
    } finally {
      clearInterval(timer);
    }
    for (const t of stream.getTracks()) t.stop();
  });
});
