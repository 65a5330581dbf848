/**
 * Listing and watching the devices of the private PulseAudio server (scripts/services.sh).
 * Other test files use the same server at the same time: each test adds devices with names of its
 * own, and checks for what it added rather than for the exact list.
 */
import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { PulseProvider } from '../../src/backends/pulse/index.js';
import { OwnedProcess, killAll } from '../../src/backends/common/process.js';
import { pulseService } from '../helpers/services.js';
import { loadModule, loadSineSource, pactl, unloadModule, uniqueName } from '../helpers/pulse.js';
import { procState } from '../helpers/proc.js';
import { quiet, until } from '../helpers/wait.js';

const pulse = pulseService();

/** Whether the provider lists a device of that raw id now. */
async function listed(provider: PulseProvider, rawId: string): Promise<boolean> {
  return (await provider.enumerate()).some((d) => d.rawId === rawId);
}

describe.skipIf(pulse.skip)('PulseProvider on a real server', () => {
  let provider: PulseProvider;
  const modules: number[] = [];

  beforeAll(() => {
    pulse.require();
  });

  afterEach(async () => {
    provider?.close();
    for (const m of modules.splice(0)) await unloadModule(m).catch(() => {});
    await killAll();
  });

  it('supports() says yes when the server answers, no when it does not', async () => {
    expect(await PulseProvider.supports()).toBe(true);
    const elsewhere = () => ({ ...process.env, PULSE_SERVER: 'unix:/nonexistent/native' });
    expect(await PulseProvider.supports({ env: elsewhere })).toBe(false);
  });

  it('lists the virtual microphones and speaker with labels and native modes, defaults first', async () => {
    provider = new PulseProvider();
    const devices = await provider.enumerate();
    const inputs = devices.filter((d) => d.kind === 'audioinput');
    const outputs = devices.filter((d) => d.kind === 'audiooutput');
    expect(inputs[0]).toMatchObject({ rawId: 'mc_sine_440', label: 'Sine source at 440 Hz', isDefault: true });
    expect(outputs[0]).toMatchObject({ rawId: 'mc_null', label: 'Virtual Speaker', isDefault: true });
    expect(devices.find((d) => d.rawId === 'mc_sine_440')!.audioModes).toEqual([
      { sampleRate: 48000, channelCount: 1, sampleSize: 32, latency: 2 },
    ]);
    expect(devices.find((d) => d.rawId === 'mc_sine_1000')).toMatchObject({
      kind: 'audioinput',
      label: 'Sine source at 1000 Hz',
      isDefault: false,
      audioModes: [{ sampleRate: 44100, channelCount: 1, sampleSize: 32, latency: 2 }],
    });
    const monitor = devices.find((d) => d.rawId === 'mc_null.monitor')!;
    expect(monitor).toMatchObject({ kind: 'audioinput', label: 'Monitor of Virtual Speaker' });
    expect(monitor.groupKey).toBe(outputs[0]!.groupKey);
    // Monitors come after the microphones.
    expect(inputs.findIndex((d) => d.rawId === 'mc_null.monitor')).toBeGreaterThan(
      inputs.findIndex((d) => d.rawId === 'mc_sine_1000'),
    );
    // Everything is listed once.
    expect(new Set(devices.map((d) => `${d.kind}:${d.rawId}`)).size).toBe(devices.length);
  });

  it('pactl --format=json loses non-ASCII labels, the text format keeps them', async () => {
    // The quirk behind parsing pactl's text output (see src/backends/pulse/pactl-text.ts). When
    // this test fails on a newer pactl, JSON can be used instead.
    const name = uniqueName('umlaut');
    modules.push(
      await loadModule('module-sine-source', `source_name=${name}`, `source_properties='device.description="Mikrofon (Ü)"'`),
    );
    const stderr: string[] = [];
    const json = new OwnedProcess('pactl', ['--format=json', 'list', 'sources'], {
      env: { ...process.env, LC_ALL: 'C' },
      onStderrLine: (l) => stderr.push(l),
    });
    let out = '';
    json.stdout.on('data', (b: Buffer) => (out += b.toString()));
    await json.exited;
    const listed = (JSON.parse(out) as { name: string; description: string }[]).find((s) => s.name === name)!;
    expect(listed.description).toBe('(null)');
    expect(stderr).toContain('Invalid non-ASCII character: 0xffffffc3');

    provider = new PulseProvider();
    const device = (await provider.enumerate()).find((d) => d.rawId === name);
    expect(device?.label).toBe('Mikrofon (Ü)');
  });

  it('tells watch() listeners when a source is added and when it is removed', async () => {
    provider = new PulseProvider({ debounceMs: 50 });
    let calls = 0;
    provider.watch(() => calls++);
    await provider.watching();
    // (Other test files change the server too: a call may come from them, so each wait below is
    // for a call after which the change of this test shows.)
    calls = 0;

    const name = uniqueName('hotplug');
    const module = await loadSineSource(name, 770);
    modules.push(module);
    await until(async () => calls > 0 && (await listed(provider, name)), 'a call, and the new source listed');
    expect((await provider.enumerate()).find((d) => d.rawId === name)).toMatchObject({
      kind: 'audioinput',
      label: 'Sine source at 770 Hz',
      isDefault: false,
    });

    calls = 0;
    await unloadModule(module);
    modules.splice(modules.indexOf(module), 1);
    await until(async () => calls > 0 && !(await listed(provider, name)), 'a call, and the source gone from the list');
    expect(await listed(provider, name)).toBe(false);
  });

  it('keeps its device list while pactl subscribe vouches for it: no pactl per call, yet a source added or removed shows', async () => {
    let pactlRuns = 0;
    // The provider asks for the environment once per pactl it runs (and once for pactl subscribe).
    provider = new PulseProvider({ debounceMs: 50, env: () => (pactlRuns++, process.env) });
    const known = (rawId: string) => provider.knownDevices().then((list) => list.some((d) => d.rawId === rawId));

    // No watcher: every call lists.
    await provider.knownDevices();
    const before = pactlRuns;
    await provider.knownDevices();
    expect(pactlRuns).toBeGreaterThan(before);

    let calls = 0;
    const stop = provider.watch(() => calls++);
    await provider.watching();
    // Other test files change the server too, so wait for two calls in a row that ran no pactl
    // and gave the same list object.
    await until(async () => {
      const first = await provider.knownDevices();
      const runs = pactlRuns;
      return (await provider.knownDevices()) === first && pactlRuns === runs;
    }, 'a kept list');

    const name = uniqueName('kept');
    const module = await loadSineSource(name, 660);
    modules.push(module);
    // Not listed per call, the new source still shows once pactl subscribe has told of it.
    await until(() => known(name), 'the new source in the kept list');
    await until(async () => calls > 0, 'a watch() call');
    await unloadModule(module);
    modules.splice(modules.indexOf(module), 1);
    await until(async () => !(await known(name)), 'the source gone from the kept list');

    // The watcher stopped: lists per call again.
    stop();
    await provider.knownDevices();
    const after = pactlRuns;
    await provider.knownDevices();
    expect(pactlRuns).toBeGreaterThan(after);
  });

  it('debounces the burst of events one change makes into one call', async () => {
    const debounceMs = 150;
    provider = new PulseProvider({ debounceMs });
    let calls = 0;
    provider.watch(() => calls++);
    await provider.watching();
    calls = 0;
    // A null sink makes a sink and its monitor source ("new" on sink, "new" on source, "new" on
    // module): three events within a few milliseconds.
    const sink = uniqueName('burst');
    modules.push(await loadModule('module-null-sink', `sink_name=${sink}`));
    await until(() => calls > 0, 'the call');
    // A second call for the same burst would come one debounce interval after an event of it.
    await quiet(() => calls, 2 * debounceMs, 'the calls to stop');
    // Other test files may change the server meanwhile; a burst of our own is one call.
    expect(calls).toBeLessThanOrEqual(2);
  });

  it('tells listeners when the default source changes (the order of the list changes)', async () => {
    provider = new PulseProvider({ debounceMs: 20 });
    const name = uniqueName('default');
    modules.push(await loadSineSource(name, 880));
    let calls = 0;
    provider.watch(() => calls++);
    await provider.watching();
    calls = 0;
    await pactl('set-default-source', name);
    try {
      await until(async () => calls > 0 && (await provider.enumerate())[0]?.rawId === name, 'a call, and the new default first');
      expect((await provider.enumerate())[0]).toMatchObject({ rawId: name, isDefault: true });
    } finally {
      await pactl('set-default-source', 'mc_sine_440');
    }
  });

  it('runs one pactl subscribe for all listeners, and ends it when the last one leaves', async () => {
    provider = new PulseProvider();
    let callsB = 0;
    const stopA = provider.watch(() => {});
    const stopB = provider.watch(() => callsB++);
    await provider.watching();
    const pid = provider.watcherPid!;
    expect(procState(pid)).toBe('running');
    stopA();
    // The same pactl subscribe still tells the other listener of a change.
    const sink = uniqueName('still');
    modules.push(await loadModule('module-null-sink', `sink_name=${sink}`));
    await until(() => callsB > 0, 'a call to the remaining listener');
    expect(provider.watcherPid).toBe(pid);
    expect(procState(pid)).toBe('running');
    stopB();
    expect(provider.watcherPid).toBeUndefined();
    await until(() => procState(pid) === 'gone', 'pactl subscribe to be reaped');
  });
});
