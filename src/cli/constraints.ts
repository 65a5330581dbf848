/**
 * `mediacapture constraints '<MediaStreamConstraints JSON>'`: the constraint exerciser. For each
 * kind asked for and each device of that kind, what SelectSettings did (constraint-trace.ts);
 * which device getUserMedia prefers; then what getUserMedia actually returned, or the error it
 * rejected with. The exit status is getUserMedia's outcome (0, or the status of its error).
 */
import type { ProvidedDevice } from '../backends/device-manager.js';
import { CONSTRAINABLE_PROPERTIES, normalizeConstraints, type MediaTrackConstraints, type NormalizedConstraintSet } from '../algorithms/constraints/index.js';
import { mediaDevicesInternals } from '../interfaces/MediaDevices.js';
import type { AudioMode, VideoMode } from '../media/modes.js';
import { converters } from '../webidl/index.js';
import type { ParsedArgs } from './args.js';
import { exposeDeviceInfo } from './capture.js';
import { describeConstraint, traceSelectSettings, type CandidateTrace, type DeviceTrace } from './constraint-trace.js';
import { CliError, EXIT, badJson, fromMediaError, usageError } from './exit.js';
import { formatNumber, formatValue, table } from './format.js';
import type { CliIo } from './io.js';
import type { CliScope } from './scope.js';

/** The SelectSettings trace of one device, in the report. */
export interface DeviceReport extends DeviceTrace {
  readonly deviceId: string;
  readonly label: string;
  readonly isDefault: boolean;
}

/** One kind (audio or video) in the report. */
export interface KindReport {
  readonly kind: 'audio' | 'video';
  /** The converted MediaTrackConstraints of this kind (`{}` for `true`). */
  readonly constraints: MediaTrackConstraints;
  readonly devices: readonly DeviceReport[];
  /** The device getUserMedia prefers (smallest fitness distance, the default device on ties), if any qualifies. */
  readonly pick: string | null;
}

/** What getUserMedia did with the constraints. */
export type GetUserMediaOutcome =
  | { readonly tracks: readonly { kind: string; label: string; settings: Record<string, unknown> }[] }
  | { readonly error: { name: string; message: string; constraint?: string } };

/** The output of `mediacapture constraints --json`. */
export interface ConstraintsReport {
  /** The constraints as given. */
  readonly constraints: unknown;
  readonly kinds: readonly KindReport[];
  readonly getUserMedia: GetUserMediaOutcome;
}

/** The members of MediaTrackConstraints that a device track takes: constraints given without `video`/`audio` around them. */
const TRACK_CONSTRAINT_NAMES = new Set<string>([...CONSTRAINABLE_PROPERTIES.filter((p) => p.device !== null).map((p) => p.name), 'advanced']);

/** Parses and converts the constraints argument; a usage or bad-constraints error when it is not valid. */
export function parseStreamConstraints(text: string): { raw: unknown; audio: false | MediaTrackConstraints; video: false | MediaTrackConstraints } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw badJson('The constraints argument', text, e, `mediacapture constraints '{"video":{"width":{"ideal":1280}}}'`);
  }
  let converted;
  try {
    converted = converters.MediaStreamConstraints(raw, 'constraints');
  } catch (e) {
    throw fromMediaError(e);
  }
  if (converted.audio === false && converted.video === false) {
    const keys = typeof raw === 'object' && raw !== null ? Object.keys(raw) : [];
    const hint = keys.some((k) => TRACK_CONSTRAINT_NAMES.has(k))
      ? ` These look like track constraints: wrap them, e.g. {"video":${text.trim()}}.`
      : ' Give {"video": ...}, {"audio": ...} or both.';
    throw new CliError(EXIT.badConstraints, `The constraints ask for neither audio nor video (getUserMedia would reject them with a TypeError).${hint}`);
  }
  return { raw, audio: converted.audio as false | MediaTrackConstraints, video: converted.video as false | MediaTrackConstraints };
}

/** Builds the report: SelectSettings traced for every device, then a real getUserMedia call. */
export async function exerciseConstraints(scope: CliScope, text: string): Promise<ConstraintsReport> {
  const { raw, audio, video } = parseStreamConstraints(text);
  const state = mediaDevicesInternals.state(scope.mediaDevices);
  const list = await state.manager.list();
  const kinds: KindReport[] = [];
  for (const [kind, constraints, deviceKind] of [
    ['audio', audio, 'audioinput'],
    ['video', video, 'videoinput'],
  ] as const) {
    if (constraints === false) continue;
    const devices = list
      .filter((d) => d.descriptor.kind === deviceKind)
      .map((device: ProvidedDevice): DeviceReport => {
        const ids = { deviceId: state.deviceIdOf(device), groupId: state.groupIdOf(device) };
        const trace = traceSelectSettings(device.descriptor, ids, constraints);
        return { deviceId: ids.deviceId, label: device.descriptor.label, isDefault: !!device.descriptor.isDefault, ...trace };
      });
    // getUserMedia step 11.9: the smallest fitness distance, the system default first on ties.
    const ranked = devices
      .map((d, order) => ({ d, order }))
      .filter(({ d }) => !('failed' in d.result))
      .sort((a, b) => distanceOf(a.d) - distanceOf(b.d) || Number(b.d.isDefault) - Number(a.d.isDefault) || a.order - b.order);
    kinds.push({ kind, constraints, devices, pick: ranked[0]?.d.deviceId ?? null });
  }
  // As a page that already has permission: its OverconstrainedError names the constraint.
  await exposeDeviceInfo(scope, kinds.map((k) => k.kind));
  let outcome: GetUserMediaOutcome;
  try {
    const stream = await scope.mediaDevices.getUserMedia(raw as Parameters<CliScope['mediaDevices']['getUserMedia']>[0]);
    outcome = { tracks: stream.getTracks().map((t) => ({ kind: t.kind, label: t.label, settings: { ...t.getSettings() } })) };
    for (const t of stream.getTracks()) t.stop();
  } catch (e) {
    const error = e as DOMException & { constraint?: string };
    outcome = { error: { name: error.name, message: error.message, ...(error.name === 'OverconstrainedError' ? { constraint: error.constraint ?? '' } : {}) } };
  }
  return { constraints: raw, kinds, getUserMedia: outcome };
}

function distanceOf(d: DeviceReport): number {
  return 'failed' in d.result ? Infinity : d.result.distance;
}

function modeText(mode: VideoMode | AudioMode): string {
  return 'width' in mode ? `${mode.width}x${mode.height}@${formatNumber(mode.frameRate)}` : `${mode.sampleRate} Hz ${mode.channelCount} ch ${mode.sampleSize}-bit`;
}

function candidateText(c: CandidateTrace): string {
  if (c.switches) {
    const onOff = (b: boolean) => (b ? 'on' : 'off');
    return `${modeText(c.mode)} ec ${onOff(c.switches.echoCancellation)} agc ${onOff(c.switches.autoGainControl)} ns ${onOff(c.switches.noiseSuppression)}`;
  }
  if (c.resizeMode !== 'crop-and-scale') return `${modeText(c.mode)} native`;
  const s = c.settings;
  if (s && typeof s.width === 'number' && typeof s.height === 'number' && typeof s.frameRate === 'number') {
    return `${s.width}x${s.height}@${formatNumber(s.frameRate)} crop-and-scale of ${modeText(c.mode)}`;
  }
  return `crop-and-scale of ${modeText(c.mode)}`;
}

/**
 * Audio candidates in runs that differ only in their processing switches and fare the same (one
 * row each instead of eight); the chosen candidate keeps a row of its own. Video candidates as they are.
 */
function groupCandidates(candidates: readonly CandidateTrace[], basic: NormalizedConstraintSet): CandidateTrace[][] {
  const groups: CandidateTrace[][] = [];
  let key = '';
  for (const c of candidates) {
    const k = c.switches && !c.chosen ? `${modeText(c.mode)}|${c.distance}|${whyText(c, basic)}` : '';
    const last = groups[groups.length - 1];
    if (k !== '' && k === key && last) last.push(c);
    else groups.push([c]);
    key = k;
  }
  return groups;
}

/** "ec on/off agc on ns off": the values each switch takes in a group. */
function switchesSummary(group: readonly CandidateTrace[]): string {
  const values = (name: 'echoCancellation' | 'autoGainControl' | 'noiseSuppression') => {
    const set = new Set(group.map((c) => (c.switches![name] ? 'on' : 'off')));
    return [...set].sort().reverse().join('/');
  };
  return `ec ${values('echoCancellation')} agc ${values('autoGainControl')} ns ${values('noiseSuppression')}`;
}

function whyText(c: CandidateTrace, basic: NormalizedConstraintSet): string {
  if (c.rejected === 'basic') {
    if (c.failed.length === 0) return 'fails the required constraints taken together';
    return `fails ${c.failed.map((name) => describeConstraint(basic.find((b) => b.name === name)!)).join(', ')}`;
  }
  if (typeof c.rejected === 'number') return `dropped by advanced[${c.rejected}]`;
  const parts = Object.entries(c.distances ?? {}).map(([name, d]) => `${name} ${formatNumber(d)}`);
  return parts.length === 0 ? 'meets every ideal' : parts.join(', ');
}

/** The report as text. */
export function reportLines(report: ConstraintsReport): string[] {
  const out: string[] = [];
  for (const k of report.kinds) {
    out.push(`${k.kind}: ${JSON.stringify(k.constraints)}`);
    const { basic } = normalizeConstraints(k.constraints);
    if (k.devices.length === 0) out.push(`  no ${k.kind === 'video' ? 'camera' : 'microphone'}`);
    for (const d of k.devices) {
      out.push('');
      out.push(`  ${d.label} [${d.deviceId.slice(0, 8)}]${d.isDefault ? ' (default)' : ''}${k.pick === d.deviceId ? '  ← getUserMedia picks this device' : ''}`);
      const rows = [['', 'CANDIDATE', 'DISTANCE', 'WHY']];
      for (const group of groupCandidates(d.candidates, basic)) {
        const c = group[0]!;
        const text = group.length === 1 ? candidateText(c) : `${modeText(c.mode)} ${switchesSummary(group)} (${group.length} combinations)`;
        rows.push([c.chosen ? '✓' : c.rejected !== undefined ? '✗' : ' ', text, c.distance === undefined ? '-' : formatNumber(c.distance), whyText(c, basic)]);
      }
      for (const line of table(rows)) out.push(`    ${line}`);
      d.advanced.forEach((kept, i) => out.push(`    advanced[${i}] ${kept ? 'kept' : 'ignored: no candidate satisfies it'}`));
      if ('failed' in d.result) {
        out.push(`    → no settings: ${d.result.failed ? `"${d.result.failed}" fails on every candidate` : 'no candidate meets the required constraints together'}`);
      } else {
        out.push(`    → ${settingsText(d.result.settings)} (fitness distance ${formatNumber(d.result.distance)})`);
      }
    }
    out.push('');
  }
  const g = report.getUserMedia;
  if ('error' in g) {
    const constraint = g.error.constraint !== undefined ? ` (constraint "${g.error.constraint}")` : '';
    out.push(`getUserMedia rejected: ${g.error.name}${constraint}: ${g.error.message}`);
  } else {
    out.push('getUserMedia resolved:');
    for (const t of g.tracks) out.push(`  ${t.kind} "${t.label}": ${settingsText(t.settings)}`);
  }
  return out;
}

/** Settings without the ids: `width 1280 · height 720 · ...`. */
function settingsText(settings: object): string {
  return Object.entries(settings)
    .filter(([name, v]) => name !== 'deviceId' && name !== 'groupId' && v !== undefined)
    .map(([name, v]) => `${name} ${formatValue(v)}`)
    .join(' · ');
}

export async function constraintsCommand(args: ParsedArgs, scope: CliScope, io: CliIo): Promise<void> {
  if (args.positionals.length !== 1) {
    throw usageError(`'mediacapture constraints' takes one argument, the MediaStreamConstraints as JSON, e.g. '{"video":{"width":{"min":640}}}' (got ${args.positionals.length}).`);
  }
  const report = await exerciseConstraints(scope, args.positionals[0]!);
  if (args.options.has('json')) io.out(JSON.stringify(report, null, 2));
  else for (const line of reportLines(report)) io.out(line);
  const g = report.getUserMedia;
  if ('error' in g) {
    const error = Object.assign(new Error(g.error.message), { name: g.error.name }, g.error.constraint !== undefined ? { constraint: g.error.constraint } : {});
    const kinds = report.kinds.map((k) => k.kind);
    throw fromMediaError(error, { video: kinds.includes('video'), audio: kinds.includes('audio') });
  }
}
