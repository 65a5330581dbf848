// Choosing the WebRTC stack: installGlobals' `webrtc` option and MEDIACAPTURE_WEBRTC; a wrong
// name is a TypeError that lists the stacks. Over wrtc, a connection is a host process of its
// own, gone after close().
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installGlobals } from '../../src/install.js';
import { RTCPeerConnection } from '../../src/webrtc/index.js';
import { chooseStack, selectedStack } from '../../src/webrtc/select.js';
import { hostPids, missing } from './wrtc-helpers.js';

process.env.MEDIACAPTURE_ICE_ADDRESSES = '127.0.0.1';

describe('choosing the WebRTC stack', () => {
  const original = process.env.MEDIACAPTURE_WEBRTC;
  beforeEach(() => void delete process.env.MEDIACAPTURE_WEBRTC);
  afterEach(() => {
    chooseStack(null);
    if (original === undefined) delete process.env.MEDIACAPTURE_WEBRTC;
    else process.env.MEDIACAPTURE_WEBRTC = original;
  });

  it('is werift by default, and the variable or the option chooses (the option first)', () => {
    expect(selectedStack()).toBe('werift');
    process.env.MEDIACAPTURE_WEBRTC = 'wrtc';
    expect(selectedStack()).toBe('wrtc');
    const handle = installGlobals({}, { webrtc: 'werift' });
    expect(selectedStack()).toBe('werift');
    handle.uninstall();
  });

  it('a wrong name is a TypeError that lists the stacks: from the option at installGlobals, from the variable at construction', () => {
    expect(() => installGlobals({}, { webrtc: 'libwebrtc' as never })).toThrow(new TypeError("installGlobals: option 'webrtc': 'libwebrtc' is not a WebRTC stack; use one of: werift, wrtc."));
    process.env.MEDIACAPTURE_WEBRTC = 'chrome';
    const g: Record<string, any> = {};
    const handle = installGlobals(g);
    expect(typeof g.RTCPeerConnection).toBe('function');
    expect(() => new g.RTCPeerConnection()).toThrow(new TypeError("MEDIACAPTURE_WEBRTC: 'chrome' is not a WebRTC stack; use one of: werift, wrtc."));
    handle.uninstall();
  });

  it.skipIf(missing)("installGlobals(g, { webrtc: 'wrtc' }): each connection is a host process, ended by close()", async () => {
    const g: Record<string, any> = {};
    const handle = installGlobals(g, { webrtc: 'wrtc' });
    const before = new Set(hostPids());
    const pc = new g.RTCPeerConnection() as RTCPeerConnection;
    expect(pc).toBeInstanceOf(RTCPeerConnection);
    expect(hostPids().filter((p) => !before.has(p))).toHaveLength(1);
    pc.addTransceiver('audio');
    const offer = await pc.createOffer();
    // libwebrtc's offer: Opus among its audio codecs.
    expect(offer.sdp).toMatch(/a=rtpmap:\d+ opus\/48000\/2/);
    pc.close();
    await RTCPeerConnection.closed(pc);
    expect(hostPids().filter((p) => !before.has(p))).toEqual([]);
    handle.uninstall();
  });
});
