/**
 * The units of the streamed file ffmpeg writes: its header, then clusters (WebM/Matroska),
 * fragments (a moof and its mdat, MP4) or pages (Ogg), each written whole by the muxer. Reading
 * the pipe gives chunks of any length; this splits them back into units, so that the recorder can
 * tell when media (not only the header) has come out, and cut each timeslice's Blob where it
 * holds some (an empty Blob, or one with the header alone, carries nothing of its slice).
 *
 * Only the container's own framing is read (element and box sizes, page headers), never the
 * media. Anything it cannot follow (a size it does not expect) ends the splitting: the rest is
 * passed on as it comes, counted as media.
 */
import type { Container } from '../encoder.js';

/** One unit of the output: its bytes and whether it holds media. */
export interface OutputUnit {
  readonly bytes: Uint8Array;
  readonly media: boolean;
}

/** How far a splitter got in its buffer: a unit of `length` bytes, or null (need more bytes). */
type Framing = (buf: Uint8Array) => { length: number; media: boolean } | null;

/** Splits a stream of chunks into units. */
export class OutputSplitter {
  readonly #frame: Framing;
  #pending: Uint8Array = new Uint8Array(0);
  /** Set when the framing could not be followed: chunks pass through as they are. */
  #lost = false;

  constructor(container: Container) {
    this.#frame = container === 'mp4' ? mp4Box() : container === 'ogg' ? oggPage : matroskaElement();
  }

  /** The complete units in what has come so far (the rest is kept for the next chunk). */
  push(chunk: Uint8Array): OutputUnit[] {
    if (this.#lost) return [{ bytes: chunk, media: true }];
    const buf = this.#pending.length === 0 ? chunk : concat(this.#pending, chunk);
    const units: OutputUnit[] = [];
    let offset = 0;
    for (;;) {
      let unit: { length: number; media: boolean } | null;
      try {
        unit = this.#frame(buf.subarray(offset));
      } catch {
        this.#lost = true;
        units.push({ bytes: buf.subarray(offset), media: true });
        this.#pending = new Uint8Array(0);
        return units;
      }
      if (unit === null) break;
      units.push({ bytes: buf.subarray(offset, offset + unit.length), media: unit.media });
      offset += unit.length;
    }
    // Keep the rest (a copy: the chunk's buffer may be reused).
    this.#pending = buf.slice(offset);
    return units;
  }

  /** What is left at the end (a unit cut short when the encoder died). */
  flush(): OutputUnit | null {
    const rest = this.#pending;
    this.#pending = new Uint8Array(0);
    return rest.length > 0 ? { bytes: rest, media: true } : null;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

class Unframeable extends Error {}

/** An EBML variable-size integer at `at`: its value (null: all ones, "unknown") and length, or undefined if cut off. */
function readVint(buf: Uint8Array, at: number, keepMarker: boolean): { value: number | null; length: number } | undefined {
  if (at >= buf.length) return undefined;
  const first = buf[at]!;
  let length = 1;
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
  if (length > 8) throw new Unframeable('bad EBML integer');
  if (at + length > buf.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = (first & (0xff >> length)) === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const b = buf[at + i]!;
    value = value * 256 + b;
    if (b !== 0xff) allOnes = false;
  }
  return { value: !keepMarker && allOnes ? null : value, length };
}

const SEGMENT = 0x18538067;
const CLUSTER = 0x1f43b675;

/**
 * WebM/Matroska as ffmpeg streams it: the EBML header, the Segment's start (unknown size), its
 * Info and Tracks, then Clusters, each with its size (a pipe is not seekable, so the muxer writes
 * a cluster once it is complete). The header is one unit (up to the first Cluster); each Cluster
 * is one.
 */
function matroskaElement(): Framing {
  let header = true;
  return (buf) => {
    let at = 0;
    for (;;) {
      const id = readVint(buf, at, true);
      if (!id) return null;
      const size = readVint(buf, at + id.length, false);
      if (!size) return null;
      const start = at + id.length + size.length;
      if (header && id.value === SEGMENT) {
        // Entered, not skipped: its children follow.
        at = start;
        continue;
      }
      if (header && id.value === CLUSTER) {
        // The first Cluster ends the header unit.
        header = false;
        if (at > 0) return { length: at, media: false };
      }
      if (size.value === null) throw new Unframeable('element of unknown size');
      if (start + size.value > buf.length) return null;
      if (!header) return { length: start + size.value, media: id.value === CLUSTER };
      at = start + size.value;
    }
  };
}

/**
 * Fragmented MP4: boxes (32-bit size, or 1 and a 64-bit size). `ftyp` and the empty `moov` are
 * the header; a `moof` with the `mdat` after it is one unit of media.
 */
function mp4Box(): Framing {
  const boxAt = (buf: Uint8Array, at: number): { type: string; length: number } | undefined => {
    if (at + 8 > buf.length) return undefined;
    const view = new DataView(buf.buffer, buf.byteOffset + at);
    let length = view.getUint32(0);
    const type = String.fromCharCode(buf[at + 4]!, buf[at + 5]!, buf[at + 6]!, buf[at + 7]!);
    if (length === 1) {
      if (at + 16 > buf.length) return undefined;
      length = Number(view.getBigUint64(8));
    }
    if (length < 8) throw new Unframeable(`box ${type} of size ${length}`);
    return { type, length };
  };
  return (buf) => {
    const box = boxAt(buf, 0);
    if (!box || box.length > buf.length) return null;
    if (box.type !== 'moof') return { length: box.length, media: box.type === 'mdat' };
    const data = boxAt(buf, box.length);
    if (!data) return null;
    if (data.type !== 'mdat') return { length: box.length, media: true };
    const end = box.length + data.length;
    return end > buf.length ? null : { length: end, media: true };
  };
}

/** Ogg: pages ("OggS", 27 bytes of header, a segment table). Pages with a granule position hold media. */
const oggPage: Framing = (buf) => {
  if (buf.length < 27) return null;
  if (buf[0] !== 0x4f || buf[1] !== 0x67 || buf[2] !== 0x67 || buf[3] !== 0x53) throw new Unframeable('not an Ogg page');
  const segments = buf[26]!;
  if (buf.length < 27 + segments) return null;
  let length = 27 + segments;
  for (let i = 0; i < segments; i++) length += buf[27 + i]!;
  if (length > buf.length) return null;
  const granule = new DataView(buf.buffer, buf.byteOffset + 6, 8).getBigInt64(0, true);
  return { length, media: granule > 0n };
};
