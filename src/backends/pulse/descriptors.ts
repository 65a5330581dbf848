/**
 * From PulseAudio's sources and sinks to DeviceDescriptors. Pure: the inputs are what
 * `pactl list sources`, `pactl list sinks` and `pactl info` print, parsed by pactl-text.ts.
 */
import { groupKeyOfSysfsPath } from '../common/sysfs.js';
import type { AudioMode, DeviceDescriptor } from '../../media/modes.js';
import { parseSampleSpec, type PactlObject, type SampleSpec } from './pactl-text.js';

/** The latency (ms) the capture stream asks for: parec --latency-msec. */
export const REQUESTED_LATENCY_MS = 10;

/**
 * Sources whose latency is fixed by their driver, whatever a client asks for, in seconds.
 * module-sine-source posts 2 s blocks and sets a fixed latency of 2 s (BLOCK_USEC in its source):
 * a capture stream gets fragsize = 2 s and the first 2 s of samples at once. Shown by
 * test/pulse/capture.test.ts "module-sine-source grants 2 s latency".
 */
const FIXED_LATENCY_BY_DRIVER: Readonly<Record<string, number>> = {
  'module-sine-source.c': 2,
};

/**
 * The latency a capture from this device will have, in seconds. pactl cannot tell a source with
 * dynamic latency from one with a fixed latency (it does not print the DYNAMIC_LATENCY flag), and
 * the latency it reports for an idle source is the server's default maximum, not what a new
 * stream gets. So: the driver's fixed latency where it is known, otherwise the latency the
 * capture stream requests (which sources with dynamic latency, such as ALSA devices with timer
 * scheduling and null-sink monitors, grant). The granted value, once a stream runs, is
 * {@link PulseSource.grantedLatency}.
 */
export function expectedLatency(device: PactlObject): number {
  const driver = device.fields['Driver'] ?? '';
  return FIXED_LATENCY_BY_DRIVER[driver] ?? REQUESTED_LATENCY_MS / 1000;
}

/** The device's one native mode: its sample spec. */
function audioMode(device: PactlObject, spec: SampleSpec): AudioMode {
  return {
    sampleRate: spec.rate,
    channelCount: spec.channels,
    sampleSize: spec.bits,
    latency: expectedLatency(device),
  };
}

function label(device: PactlObject): string {
  const description = device.fields['Description'];
  return description && description !== '(null)' ? description : (device.fields['Name'] ?? `#${device.index}`);
}

/**
 * The key that ties one product's devices together (hashed per origin into groupId): the
 * sound card's bus path, else its sysfs path, else its ALSA card number; a sink's monitor
 * belongs to its sink; a device with none of these is a group of its own.
 */
export function groupKeyOf(device: PactlObject, sinksByName: ReadonlyMap<string, PactlObject>): string {
  const p = device.properties;
  // The sysfs path first: its USB device's key is the one V4L2 gives the same webcam's camera.
  if (p['sysfs.path']) return groupKeyOfSysfsPath(p['sysfs.path']);
  if (p['device.bus_path']) return `bus:${p['device.bus_path']}`;
  if (p['alsa.card']) return `alsa-card:${p['alsa.card']}`;
  const monitored = device.fields['Monitor of Sink'];
  if (monitored && monitored !== 'n/a') {
    const sink = sinksByName.get(monitored);
    return sink ? groupKeyOf(sink, sinksByName) : `pulse:${monitored}`;
  }
  return `pulse:${device.fields['Name']}`;
}

/** Whether the source always runs with echo cancellation (module-echo-cancel's sources). */
function echoCancelled(device: PactlObject): boolean {
  return (
    device.fields['Driver'] === 'module-echo-cancel.c' ||
    (device.properties['device.intended_roles'] ?? '').split(/\s+/).includes('phone')
  );
}

export interface PulseInventory {
  readonly sources: readonly PactlObject[];
  readonly sinks: readonly PactlObject[];
  /** `pactl info` fields; "Default Source" and "Default Sink" are used. */
  readonly info: Readonly<Record<string, string>>;
}

/**
 * The devices, in the order enumerateDevices lists them: for each kind, the default device
 * first, then the other devices in the server's order, then (inputs) the monitors of sinks, as
 * browsers on Linux list "Monitor of …" after the microphones. Devices whose sample spec cannot
 * be read are left out.
 */
export function pulseDevices(inventory: PulseInventory): DeviceDescriptor[] {
  const sinksByName = new Map(inventory.sinks.map((s) => [s.fields['Name'] ?? '', s] as const));
  const defaultSource = inventory.info['Default Source'];
  const defaultSink = inventory.info['Default Sink'];

  const describe = (device: PactlObject, kind: 'audioinput' | 'audiooutput', isDefault: boolean): DeviceDescriptor | undefined => {
    const spec = parseSampleSpec(device.fields['Sample Specification'] ?? '');
    const name = device.fields['Name'];
    if (!spec || !name) return undefined;
    const descriptor: DeviceDescriptor = {
      rawId: name,
      kind,
      label: label(device),
      groupKey: groupKeyOf(device, sinksByName),
      audioModes: [audioMode(device, spec)],
      isDefault,
      ...(kind === 'audioinput'
        ? { echoCancellation: [echoCancelled(device)], autoGainControl: [false], noiseSuppression: [false] }
        : {}),
    };
    return descriptor;
  };

  const isMonitor = (s: PactlObject) => (s.fields['Monitor of Sink'] ?? 'n/a') !== 'n/a';
  const order = (list: readonly PactlObject[], defaultName: string | undefined) => {
    const rank = (o: PactlObject) => (o.fields['Name'] === defaultName ? 0 : isMonitor(o) ? 2 : 1);
    return [...list].sort((a, b) => rank(a) - rank(b) || a.index - b.index);
  };

  const inputs = order(inventory.sources, defaultSource).map((s) =>
    describe(s, 'audioinput', s.fields['Name'] === defaultSource),
  );
  const outputs = order(inventory.sinks, defaultSink).map((s) =>
    describe(s, 'audiooutput', s.fields['Name'] === defaultSink),
  );
  return [...inputs, ...outputs].filter((d): d is DeviceDescriptor => d !== undefined);
}
