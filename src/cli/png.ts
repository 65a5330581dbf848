/**
 * A small PNG encoder (PNG 3rd edition, W3C): 8-bit truecolour without alpha (colour type 2), one
 * IDAT chunk, each row filtered with the filter that gives the smallest sum of absolute values
 * (the heuristic the PNG specification suggests, §12.7), compressed with node:zlib.
 */
import { deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG (and zlib) define it. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Encodes `rgba` (width × height pixels, 4 bytes each, rows packed) as a PNG. The alpha channel is
 * dropped: a camera or screen frame is opaque.
 */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) throw new RangeError(`PNG size must be positive whole numbers (got ${width}x${height}).`);
  if (rgba.length < width * height * 4) throw new RangeError(`PNG: ${width}x${height} RGBA needs ${width * height * 4} bytes, got ${rgba.length}.`);
  const bpp = 3;
  const stride = width * bpp;
  const filtered = Buffer.alloc((stride + 1) * height);
  let previous = new Uint8Array(stride);
  let current = new Uint8Array(stride);
  const candidates = Array.from({ length: 5 }, () => new Uint8Array(stride));
  for (let y = 0; y < height; y++) {
    const row = y * width * 4;
    for (let x = 0; x < width; x++) {
      current[x * 3] = rgba[row + x * 4]!;
      current[x * 3 + 1] = rgba[row + x * 4 + 1]!;
      current[x * 3 + 2] = rgba[row + x * 4 + 2]!;
    }
    // The five filters (None, Sub, Up, Average, Paeth), scored by the sum of the bytes as signed values.
    let best = 0;
    let bestScore = Infinity;
    for (let f = 0; f < 5; f++) {
      const out = candidates[f]!;
      let score = 0;
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? current[i - bpp]! : 0;
        const b = previous[i]!;
        const c = i >= bpp ? previous[i - bpp]! : 0;
        const x = current[i]!;
        const v = (f === 0 ? x : f === 1 ? x - a : f === 2 ? x - b : f === 3 ? x - ((a + b) >> 1) : x - paeth(a, b, c)) & 0xff;
        out[i] = v;
        score += v < 128 ? v : 256 - v;
      }
      if (score < bestScore) {
        bestScore = score;
        best = f;
      }
    }
    const at = y * (stride + 1);
    filtered[at] = best;
    filtered.set(candidates[best]!, at + 1);
    [previous, current] = [current, previous];
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: truecolour
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(filtered)), chunk('IEND', new Uint8Array(0))]);
}
