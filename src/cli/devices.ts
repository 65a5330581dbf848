/**
 * `mediacapture devices`: the devices as `enumerateDevices()` sees them once the page has
 * permission, with what each input can do (`InputDeviceInfo.getCapabilities()`).
 *
 * Labels and ids are only exposed after a successful getUserMedia of that kind (mediacapture-main
 * §9.2.4), so the command asks for each kind present, stops the tracks at once, and lists again,
 * as a web page does. Where permission is denied, that kind stays anonymous and a note says so.
 */
import { type ParsedArgs } from './args.js';
import { exposeDeviceInfo } from './capture.js';
import { fromMediaError } from './exit.js';
import { formatValue, table, wrap } from './format.js';
import type { CliIo } from './io.js';
import type { CliScope } from './scope.js';

/**
 * One device in `mediacapture devices --json`: the MediaDeviceInfo members (`toJSON()`), plus
 * `capabilities` (`getCapabilities()`) for inputs.
 */
export interface DeviceJson {
  readonly deviceId: string;
  readonly kind: 'audioinput' | 'videoinput' | 'audiooutput';
  readonly label: string;
  readonly groupId: string;
  /** audioinput and videoinput only: MediaTrackCapabilities, e.g. `{"width":{"min":1,"max":1920}, ...}`. */
  readonly capabilities?: Record<string, unknown>;
}

/** The output of `mediacapture devices --json`. */
export interface DevicesJson {
  readonly devices: DeviceJson[];
  /** Why some devices are listed without label and id (permission denied), one line each. */
  readonly notes: string[];
  /** The device backends listed from (MEDIACAPTURE_BACKENDS, "auto" expanded), e.g. ["pulse", "builtin (kinds without a real device)"]. */
  readonly backends: readonly string[];
}

/** Lists the devices, after asking for permission to see their labels. */
export async function listDevices(scope: CliScope): Promise<DevicesJson> {
  const md = scope.mediaDevices;
  const notes: string[] = [];
  const before = await md.enumerateDevices();
  const present = (['audio', 'video'] as const).filter((kind) => before.some((d) => d.kind === `${kind}input`));
  for (const [kind, error] of await exposeDeviceInfo(scope, present)) {
    // A device that fails to start is still exposed (exposure is set before it opens); only a
    // denied permission hides labels.
    if ((error as Error).name === 'NotAllowedError') {
      notes.push(`${kind === 'video' ? 'camera' : 'microphone'} labels are hidden: ${fromMediaError(error, { [kind]: true }).message}`);
    }
  }
  const devices = (await md.enumerateDevices()).map((info): DeviceJson => {
    const json = info.toJSON() as DeviceJson;
    const getCapabilities = (info as { getCapabilities?: () => Record<string, unknown> }).getCapabilities;
    return getCapabilities && info.kind !== 'audiooutput' ? { ...json, capabilities: getCapabilities.call(info) } : { ...json };
  });
  return { devices, notes, backends: scope.backends };
}

/** The shortest prefix length (at least 8) that tells the ids apart. */
function shortIdLength(ids: readonly string[]): number {
  const distinct = [...new Set(ids.filter((id) => id.length > 8))];
  for (let n = 8; n < 64; n++) if (new Set(distinct.map((id) => id.slice(0, n))).size === distinct.length) return n;
  return 64;
}

/** The readable table: kind, short id (any unique prefix works as `--device`), label, then capabilities. */
export function devicesTable(result: DevicesJson, width: number): string[] {
  if (result.devices.length === 0) return ['No devices.'];
  const n = shortIdLength(result.devices.map((d) => d.deviceId));
  const rows = [['KIND', 'ID', 'LABEL'], ...result.devices.map((d) => [d.kind, d.deviceId.slice(0, n) || '-', d.label || '(hidden)'])];
  const lines = table(rows);
  const indent = ' '.repeat(lines[0]!.indexOf('ID'));
  const out = [lines[0]!];
  result.devices.forEach((d, i) => {
    out.push(lines[i + 1]!);
    const caps = Object.entries(d.capabilities ?? {})
      .filter(([name]) => name !== 'deviceId' && name !== 'groupId')
      .map(([name, value]) => `${name} ${formatValue(value)}`);
    for (const line of wrap(caps, Math.max(40, width - indent.length))) out.push(indent + line);
  });
  return out;
}

export async function devicesCommand(args: ParsedArgs, scope: CliScope, io: CliIo): Promise<void> {
  const result = await listDevices(scope);
  if (args.options.has('json')) {
    io.out(JSON.stringify(result, null, 2));
    return;
  }
  for (const line of devicesTable(result, io.columns)) io.out(line);
  io.out(`\nBackends: ${result.backends.join(', ') || 'none'} (MEDIACAPTURE_BACKENDS)`);
  for (const note of result.notes) io.err(`note: ${note}`);
}
