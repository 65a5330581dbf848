/**
 * The device hub with PulseAudio: two installations capturing the same microphone (the
 * mc_sine_440 source of scripts/services.sh) share one parec, which ends with the last track.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deviceHub } from '../../src/backends/hub.js';
import type { PulseProvider } from '../../src/backends/pulse/index.js';
import { openTab, tasks, type Tab } from '../core/harness.js';
import { childrenNamed, procState } from '../helpers/proc.js';
import { pulseService } from '../helpers/services.js';
import { until } from '../helpers/wait.js';

const pulse = pulseService();

describe.skipIf(pulse.skip)('one PulseAudio microphone, two installations', () => {
  const tabs: Tab[] = [];
  beforeAll(() => pulse.require());
  afterEach(() => {
    for (const tab of tabs.splice(0)) tab.handle.uninstall();
  });

  /** The microphone's deviceId in `tab` (labels show once a microphone was granted). */
  async function sineId(tab: Tab): Promise<string> {
    const devices = await tab.mediaDevices.enumerateDevices();
    const sine = devices.find((d) => d.kind === 'audioinput' && d.label === 'Sine source at 440 Hz');
    if (!sine) throw new Error(`mc_sine_440 is not listed: ${devices.map((d) => d.label).join(', ')}`);
    return sine.deviceId;
  }

  it('runs one parec for both, and none once both tracks stop', async () => {
    const parecBefore = childrenNamed('parec').length;
    const a = openTab({ origin: 'https://a.example', backends: 'pulse' });
    const b = openTab({ origin: 'https://b.example', backends: 'pulse' });
    tabs.push(a, b);
    const provider = a.handle.manager.providers[0] as PulseProvider;
    expect(b.handle.manager.providers[0]).toBe(provider);

    // The first getUserMedia grants the microphone, so that the labels show.
    const first = await a.mediaDevices.getUserMedia({ audio: true });
    for (const t of first.getTracks()) t.stop();
    await b.mediaDevices.getUserMedia({ audio: true }).then((s) => s.getTracks().forEach((t) => t.stop()));
    const idA = await sineId(a);
    const idB = await sineId(b);
    expect(idA).not.toBe(idB);

    const constraints = (deviceId: string) => ({ audio: { deviceId: { exact: deviceId }, sampleRate: 48000, channelCount: 1 } });
    const [trackA] = (await a.mediaDevices.getUserMedia(constraints(idA))).getAudioTracks();
    const [trackB] = (await b.mediaDevices.getUserMedia(constraints(idB))).getAudioTracks();
    expect(provider.openSources.filter((s) => s.device.rawId === 'mc_sine_440')).toHaveLength(1);
    expect(deviceHub.openSources).toHaveLength(1);
    const parecs = childrenNamed('parec');
    expect(parecs).toHaveLength(parecBefore + 1);

    trackA!.stop();
    await tasks();
    expect(deviceHub.openSources).toHaveLength(1);
    expect(trackB!.readyState).toBe('live');

    trackB!.stop();
    await tasks();
    expect(deviceHub.openSources).toHaveLength(0);
    await until(() => parecs.every((pid) => procState(pid) === 'gone'), 'parec to be reaped');
    expect(childrenNamed('parec')).toHaveLength(parecBefore);
  });
});
