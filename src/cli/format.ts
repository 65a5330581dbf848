/** Text formatting for the command line: tables, numbers, durations, sizes and the level meter. */

/** Lays out rows as left-aligned columns separated by two spaces; the last column is not padded. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** Joins `parts` with `separator` into lines no longer than `width` (a part longer than that gets a line of its own). */
export function wrap(parts: readonly string[], width: number, separator = ' · '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    if (line === '') line = part;
    else if (line.length + separator.length + part.length <= width) line += separator + part;
    else {
      lines.push(line);
      line = part;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A number without float noise: 0.0009259259 → "0.000926", 48000 → "48000", 1.3333 → "1.333". */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(4)));
}

/** A capability or setting value: ranges as "min–max", lists as "a/b", others as JSON-ish text. */
export function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(formatValue).join('/');
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'object' && value !== null) {
    const { min, max } = value as { min?: number; max?: number };
    if (typeof min === 'number' && typeof max === 'number') return min === max ? formatNumber(min) : `${formatNumber(min)}–${formatNumber(max)}`;
    return JSON.stringify(value);
  }
  return String(value);
}

/** Bytes in B, KiB, MiB or GiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let n = bytes;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${n.toFixed(n < 10 ? 1 : 0)} ${units[u]}`;
}

/** Milliseconds as m:ss.t (or h:mm:ss.t). */
export function formatClock(ms: number): string {
  const tenths = Math.floor(ms / 100);
  const t = tenths % 10;
  const s = Math.floor(tenths / 10) % 60;
  const m = Math.floor(tenths / 600) % 60;
  const h = Math.floor(tenths / 36000);
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}.${t}`;
}

/** The quietest level the meter shows, dBFS. */
const METER_FLOOR_DB = -60;

/** An amplitude (0..1) in dBFS, floored. */
export function toDecibels(amplitude: number): number {
  if (!(amplitude > 0)) return -Infinity;
  return 20 * Math.log10(amplitude);
}

/**
 * A level meter for a peak amplitude: a bar of `width` cells from -60 dBFS to 0 dBFS, in eighths
 * of a cell, and the level in dB: `▕█████▍    ▏ -12 dB`.
 */
export function levelMeter(peak: number, width = 10): string {
  const db = toDecibels(peak);
  const fraction = Math.min(1, Math.max(0, (db - METER_FLOOR_DB) / -METER_FLOOR_DB));
  const eighths = Math.round(fraction * width * 8);
  const partials = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
  const bar = ('█'.repeat(Math.floor(eighths / 8)) + partials[eighths % 8]!).padEnd(width);
  const text = db === -Infinity || db < METER_FLOOR_DB ? '-inf dB' : `${Math.round(db)} dB`;
  return `▕${bar}▏${text.padStart(8)}`;
}
