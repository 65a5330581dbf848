/**
 * Parsers for what `pactl` prints (PulseAudio 16.1, run with LC_ALL=C). Pure functions, tested
 * against output captured from a real server (test/pulse/fixtures/).
 *
 * Why the text format and not `pactl --format=json` (which 16.1 has): pactl's JSON writer refuses
 * any non-ASCII byte. It prints "Invalid non-ASCII character: 0xffffffc3" on stderr and replaces
 * the whole string with "(null)", in `description` and in `properties` alike, so a microphone
 * called "Mikrofon (Ü)" or a localized "Monitor of …" loses its label. The text format prints
 * the bytes as they are. test/pulse/pactl.test.ts "pactl --format=json loses non-ASCII labels"
 * shows this on the running server; when it starts failing, JSON can be used instead.
 *
 * Other things to know about the output:
 *  - Sources print "Monitor of Sink: <sink name>" ("n/a" when not a monitor); in JSON the same
 *    value is under the misleading key "monitor_source".
 *  - "Latency: X usec, configured Y usec" is the latency now, not what a new capture stream would
 *    get: an idle source reports the server's default maximum (2 s) as configured latency.
 *  - Flags do not include DYNAMIC_LATENCY (pactl does not print it), so whether a source can run
 *    at low latency cannot be read here.
 *  - Property values are in double quotes with `"` escaped as `\"`, but `\` is not escaped.
 */

/** One "Source #N" or "Sink #N" block. */
export interface PactlObject {
  /** "Source", "Sink", "Card", … as in the block's header. */
  readonly type: string;
  /** The server's index ("#N"), unique for the server's lifetime (never reused). */
  readonly index: number;
  /** First-level fields: "Name", "Description", "Sample Specification", "Monitor of Sink", … */
  readonly fields: Readonly<Record<string, string>>;
  /** The "Properties:" section, values unquoted. */
  readonly properties: Readonly<Record<string, string>>;
}

const HEADER = /^([A-Z][A-Za-z ]*) #(\d+)$/;
const FIELD = /^\t([A-Z][A-Za-z ]*):(?: (.*))?$/;
const PROPERTY = /^\t\t([^\s=]+) = "(.*)"$/;

/** Parses the output of `pactl list sources`, `pactl list sinks` (or any `pactl list …`). */
export function parsePactlList(text: string): PactlObject[] {
  const objects: PactlObject[] = [];
  let current: { type: string; index: number; fields: Record<string, string>; properties: Record<string, string> } | undefined;
  let section: string | undefined;
  for (const line of text.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      current = { type: header[1]!, index: Number(header[2]), fields: {}, properties: {} };
      objects.push(current);
      section = undefined;
      continue;
    }
    if (!current) continue;
    const field = FIELD.exec(line);
    if (field) {
      const [, key, value] = field;
      if (value === undefined || value === '') {
        section = key; // "Properties:", "Ports:", "Formats:" open a section
      } else {
        current.fields[key!] = value;
        section = undefined;
      }
      continue;
    }
    if (section === 'Properties') {
      const prop = PROPERTY.exec(line);
      if (prop) current.properties[prop[1]!] = prop[2]!.replace(/\\"/g, '"');
    }
    // Anything else: continuation lines ("        balance 0.00"), ports, formats.
  }
  return objects;
}

/** Parses `pactl info` into its "Key: value" pairs. */
export function parsePactlInfo(text: string): Record<string, string> {
  const info: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(': ');
    if (i > 0 && !line.startsWith('\t')) info[line.slice(0, i)] = line.slice(i + 2);
  }
  return info;
}

/** A PulseAudio sample specification, e.g. "float32le 1ch 48000Hz". */
export interface SampleSpec {
  /** PulseAudio's format name: "s16le", "float32le", "s24-32le", … */
  readonly format: string;
  readonly channels: number;
  readonly rate: number;
  /** Significant bits per sample: s16le → 16, float32le → 32, s24-32le → 24. */
  readonly bits: number;
}

const FORMAT_BITS: Readonly<Record<string, number>> = {
  u8: 8,
  aLaw: 8,
  uLaw: 8,
  s16le: 16,
  s16be: 16,
  s24le: 24,
  s24be: 24,
  's24-32le': 24,
  's24-32be': 24,
  s32le: 32,
  s32be: 32,
  float32le: 32,
  float32be: 32,
};

/** Parses "float32le 1ch 48000Hz"; undefined for anything else. */
export function parseSampleSpec(text: string): SampleSpec | undefined {
  const m = /^(\S+) (\d+)ch (\d+)Hz$/.exec(text.trim());
  if (!m) return undefined;
  const bits = FORMAT_BITS[m[1]!];
  if (bits === undefined) return undefined;
  return { format: m[1]!, channels: Number(m[2]), rate: Number(m[3]), bits };
}

/** One line of `pactl subscribe`: "Event 'remove' on source #3". */
export interface PulseEvent {
  readonly type: 'new' | 'change' | 'remove';
  /** "source", "sink", "server", "card", "client", "module", "source-output", "sink-input", … */
  readonly facility: string;
  /** The object's index; 4294967295 (PA_INVALID_INDEX) for "server". */
  readonly index: number;
}

const EVENT = /^Event '(new|change|remove)' on ([a-z-]+) #(\d+)$/;

/** Parses one line of `pactl subscribe`; undefined for anything else. */
export function parseSubscribeLine(line: string): PulseEvent | undefined {
  const m = EVENT.exec(line.trim());
  if (!m) return undefined;
  return { type: m[1] as PulseEvent['type'], facility: m[2]!, index: Number(m[3]) };
}
