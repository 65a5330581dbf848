/**
 * Command-line parsing for `mediacapture`. Options are `--name`, `--name=value` or `--name value`;
 * an option whose value is optional (`--video[=constraints]`) takes one only with `=`, so that
 * `--video out.webm` reads `out.webm` as the output file. `--` ends the options.
 */
import { usageError } from './exit.js';

/** How an option takes its value. */
export type OptionArity = 'flag' | 'value' | 'optional';

export interface OptionSpec {
  readonly arity: OptionArity;
  /** One-letter alias, e.g. "h" for "--help". */
  readonly short?: string;
}

export interface ParsedArgs {
  /** Options given: `true` for a flag or an optional value left out, else the text. Repeated options: the last wins. */
  readonly options: ReadonlyMap<string, string | true>;
  readonly positionals: readonly string[];
}

/** Parses `argv` (without the command name) against `spec`. Unknown options are a usage error. */
export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, OptionSpec>>, command: string): ParsedArgs {
  const options = new Map<string, string | true>();
  const positionals: string[] = [];
  const shorts = new Map(Object.entries(spec).flatMap(([name, s]) => (s.short ? [[s.short, name] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
    } else if (/^-[a-zA-Z]$/.test(arg)) {
      const long = shorts.get(arg.slice(1));
      if (!long) throw usageError(`'mediacapture ${command}' has no option ${arg}.`);
      name = long;
    } else {
      positionals.push(arg);
      continue;
    }
    const option = spec[name];
    if (!option) throw usageError(`'mediacapture ${command}' has no option --${name}.`);
    if (option.arity === 'flag') {
      if (inline !== undefined) throw usageError(`--${name} takes no value (got --${name}=${inline}).`);
      options.set(name, true);
    } else if (option.arity === 'optional') {
      options.set(name, inline ?? true);
    } else if (inline !== undefined) {
      options.set(name, inline);
    } else {
      const next = argv[i + 1];
      if (next === undefined) throw usageError(`--${name} needs a value.`);
      options.set(name, next);
      i++;
    }
  }
  return { options, positionals };
}

/** The text of an option that takes a value, or undefined when it was not given. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return value === true ? undefined : value;
}

/** A positive whole number option (`--width 640`). */
export function positiveIntegerOption(args: ParsedArgs, name: string): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n <= 0) throw usageError(`--${name} must be a positive whole number (got "${text}").`);
  return n;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * A duration in milliseconds: "10s", "1.5m", "500ms", "1h", "90" (seconds), or "1:30" (minutes
 * and seconds) and "1:02:03".
 */
export function parseDuration(text: string, option = '--duration'): number {
  const t = text.trim();
  const clock = /^(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(t);
  if (clock) return Math.round(((Number(clock[1] ?? 0) * 60 + Number(clock[2])) * 60 + Number(clock[3])) * 1000);
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|min|h)?$/.exec(t);
  if (!m || Number(m[1]) <= 0) throw usageError(`${option} must be a positive duration such as 10s, 1.5m, 500ms or 1:30 (got "${text}").`);
  return Math.round(Number(m[1]) * DURATION_UNITS[m[2] ?? 's']!);
}
