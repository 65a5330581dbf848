/**
 * The machine-readable frame number in the test pattern, and its decoder.
 *
 * The code is 2 rows × 16 blocks, black (0) or white (1), in a band near the top of the picture
 * (`FRAME_CODE_REGION`, fractions of the frame), framed by a mid-grey quiet zone:
 *
 * ```
 *   row 0:  B W d0  … d13        B, W: guard blocks, black and white; a decoder measures them
 *   row 1:  W B d14 … d27        to set its black/white threshold, per row
 * ```
 *
 * `d0…d19` are the frame number modulo 2^20, most significant bit first; `d20…d27` are a CRC-8
 * (polynomial 0x07, xor-out 0x55) of those 20 bits, so a decoder can tell a real code from chance.
 * The blocks are large (at 160×120 each is about 7×10 pixels), and the band lies inside the
 * central 70 % of the width and starts 15 % down, so it survives downscaling by area averaging,
 * lossy VP8/H.264 encoding at ordinary bitrates, and a centred 16:9 ↔ 4:3 crop ("crop-and-scale").
 */

/** How many bits of the frame number the code carries: numbers wrap modulo 2^20. */
export const FRAME_CODE_BITS = 20;
/** Frame numbers are encoded modulo this (1 048 576: 9.7 hours at 30 fps). */
export const FRAME_CODE_MODULUS = 2 ** FRAME_CODE_BITS;
/** Blocks per row, guards included. */
export const FRAME_CODE_COLUMNS = 16;
/** Rows of blocks. */
export const FRAME_CODE_ROWS = 2;
/** Where the blocks are, in fractions of the frame's width and height. */
export const FRAME_CODE_REGION = { left: 0.15, top: 0.15, right: 0.85, bottom: 0.31 } as const;
/** The mid-grey margin around the blocks, in fractions of the frame's width and height. */
export const FRAME_CODE_QUIET_ZONE = { x: 0.02, y: 0.02 } as const;

const CRC_BITS = 8;
const DATA_BITS = FRAME_CODE_BITS + CRC_BITS;

/** CRC-8 (poly 0x07, init 0, xor-out 0x55) of the 20-bit value, as 3 bytes, high first. */
function crc8(value: number): number {
  let crc = 0;
  for (let k = 2; k >= 0; k--) {
    crc ^= (value >>> (8 * k)) & (k === 2 ? 0x0f : 0xff);
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc ^ 0x55;
}

/** Whether block (row, column) is a guard, and which colour (1 white, 0 black); undefined for data. */
function guardValue(row: number, column: number): number | undefined {
  if (column > 1) return undefined;
  return (row + column) & 1; // row 0: B W; row 1: W B
}

/**
 * The 32 block values (1 = white) for a frame number, row-major. Negative or fractional numbers
 * are a RangeError; numbers ≥ 2^20 wrap.
 */
export function frameCodeBlocks(frameNumber: number): Uint8Array {
  return writeFrameCodeBlocks(frameNumber, new Uint8Array(FRAME_CODE_ROWS * FRAME_CODE_COLUMNS));
}

/**
 * {@link frameCodeBlocks} written into `blocks` (at least 32 bytes), which it returns: the test
 * pattern draws a frame with no allocation.
 */
export function writeFrameCodeBlocks(frameNumber: number, blocks: Uint8Array): Uint8Array {
  if (!Number.isSafeInteger(frameNumber) || frameNumber < 0) {
    throw new RangeError(`frame number must be a non-negative integer, got ${frameNumber}`);
  }
  const value = frameNumber % FRAME_CODE_MODULUS;
  const crc = crc8(value);
  let d = 0;
  for (let row = 0; row < FRAME_CODE_ROWS; row++) {
    for (let col = 0; col < FRAME_CODE_COLUMNS; col++) {
      const guard = guardValue(row, col);
      let bit: number;
      if (guard !== undefined) bit = guard;
      else if (d < FRAME_CODE_BITS) bit = (value >>> (FRAME_CODE_BITS - 1 - d++)) & 1;
      else bit = (crc >>> (DATA_BITS - 1 - d++)) & 1;
      blocks[row * FRAME_CODE_COLUMNS + col] = bit;
    }
  }
  return blocks;
}

/** Pixel formats whose first plane is 8-bit luma, one byte per pixel (WebCodecs names). */
export type LumaFirstFormat = 'I420' | 'I420A' | 'I422' | 'I444' | 'NV12';
/** 8-bit RGB formats, 4 bytes per pixel (WebCodecs names). */
export type RgbFormat = 'RGBA' | 'RGBX' | 'BGRA' | 'BGRX';

/** A frame to decode: its bytes, size and format. */
export interface FrameCodeImage {
  format: LumaFirstFormat | RgbFormat;
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
  /** Bytes from one row's start to the next, in the first plane. Default: tightly packed. */
  stride?: number;
  /** Where the first plane starts in `data` (default 0). */
  offset?: number;
}

/** A frame to decode given by its luma plane alone. */
export interface FrameCodeLumaPlane {
  y: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** Default: `width`. */
  stride?: number;
}

/** Options of {@link decodeFrameNumber}. */
export interface DecodeFrameNumberOptions {
  /**
   * The aspect ratios (width / height) the picture may have had before a centred crop
   * ("crop-and-scale" to another aspect). The frame is first read as uncropped, then as a centre
   * crop of each of these. Default `[16 / 9, 4 / 3]`; `[]` reads it only as uncropped.
   */
  sourceAspectRatios?: readonly number[];
  /** The least luma difference between the white and black guards (0-255; default 40). */
  minContrast?: number;
}

type LumaReader = (x: number, y: number) => number;

/**
 * Reads the frame number from a test-pattern frame: `frameNumber mod 2^20`, or null when the frame
 * holds no valid code (another picture, a black frame, or one damaged beyond reading).
 *
 * Each block is read as the mean luma of its central part (half its width and height, at least one
 * pixel), compared with the midpoint of its row's black and white guards; the CRC must match.
 * This holds after area-averaging downscales (down to about 160×120) and lossy encoding.
 */
export function decodeFrameNumber(
  frame: FrameCodeImage | FrameCodeLumaPlane,
  options: DecodeFrameNumberOptions = {},
): number | null {
  const { width, height } = frame;
  if (!(width > 0 && height > 0)) return null;
  const luma = lumaReader(frame);
  const minContrast = options.minContrast ?? 40;
  const frameAspect = width / height;
  const hypotheses = [frameAspect];
  for (const a of options.sourceAspectRatios ?? [16 / 9, 4 / 3]) {
    if (Math.abs(a / frameAspect - 1) > 0.01) hypotheses.push(a);
  }
  for (const sourceAspect of hypotheses) {
    const value = decodeAs(luma, width, height, sourceAspect, minContrast);
    if (value !== null) return value;
  }
  return null;
}

/** Decodes assuming the frame is a centred crop of a picture with aspect `sourceAspect`. */
function decodeAs(luma: LumaReader, width: number, height: number, sourceAspect: number, minContrast: number): number | null {
  // Visible fraction of the source picture along each axis, and the mapping of source fractions.
  const frameAspect = width / height;
  const fx = sourceAspect > frameAspect ? frameAspect / sourceAspect : 1;
  const fy = sourceAspect < frameAspect ? sourceAspect / frameAspect : 1;
  const toX = (u: number) => ((u - (1 - fx) / 2) / fx) * width;
  const toY = (v: number) => ((v - (1 - fy) / 2) / fy) * height;
  const r = FRAME_CODE_REGION;
  if (toX(r.left) < 0 || toX(r.right) > width || toY(r.top) < 0 || toY(r.bottom) > height) return null;
  const cellW = (r.right - r.left) / FRAME_CODE_COLUMNS;
  const cellH = (r.bottom - r.top) / FRAME_CODE_ROWS;

  let value = 0;
  let crc = 0;
  let d = 0;
  for (let row = 0; row < FRAME_CODE_ROWS; row++) {
    const y0 = toY(r.top + row * cellH);
    const y1 = toY(r.top + (row + 1) * cellH);
    const means = new Array<number>(FRAME_CODE_COLUMNS);
    for (let col = 0; col < FRAME_CODE_COLUMNS; col++) {
      means[col] = blockMean(luma, width, height, toX(r.left + col * cellW), toX(r.left + (col + 1) * cellW), y0, y1);
    }
    const white = row === 0 ? means[1]! : means[0]!;
    const black = row === 0 ? means[0]! : means[1]!;
    if (white - black < minContrast) return null;
    const threshold = (white + black) / 2;
    for (let col = 2; col < FRAME_CODE_COLUMNS; col++, d++) {
      const bit = means[col]! > threshold ? 1 : 0;
      if (d < FRAME_CODE_BITS) value = value * 2 + bit;
      else crc = crc * 2 + bit;
    }
  }
  return crc8(value) === crc ? value : null;
}

/** Mean luma of the central half (each way) of the block [x0, x1) × [y0, y1), in pixel units. */
function blockMean(luma: LumaReader, width: number, height: number, x0: number, x1: number, y0: number, y1: number): number {
  const [px0, px1] = innerPixels(x0, x1, width);
  const [py0, py1] = innerPixels(y0, y1, height);
  let sum = 0;
  for (let y = py0; y <= py1; y++) for (let x = px0; x <= px1; x++) sum += luma(x, y);
  return sum / ((px1 - px0 + 1) * (py1 - py0 + 1));
}

/** The pixels whose centres lie in the middle half of [a, b): at least the pixel at the centre. */
function innerPixels(a: number, b: number, size: number): [number, number] {
  const c = (a + b) / 2;
  const r = (b - a) / 4;
  let p0 = Math.ceil(c - r - 0.5);
  let p1 = Math.floor(c + r - 0.5);
  if (p1 < p0) p0 = p1 = Math.floor(c);
  return [Math.max(0, Math.min(size - 1, p0)), Math.max(0, Math.min(size - 1, p1))];
}

function lumaReader(frame: FrameCodeImage | FrameCodeLumaPlane): LumaReader {
  if ('y' in frame) {
    const { y: plane, width } = frame;
    const stride = frame.stride ?? width;
    checkSize(plane.length, stride * (frame.height - 1) + width);
    return (x, y) => plane[y * stride + x]!;
  }
  const { data, width, height } = frame;
  const offset = frame.offset ?? 0;
  switch (frame.format) {
    case 'I420':
    case 'I420A':
    case 'I422':
    case 'I444':
    case 'NV12': {
      const stride = frame.stride ?? width;
      checkSize(data.length, offset + stride * (height - 1) + width);
      return (x, y) => data[offset + y * stride + x]!;
    }
    case 'RGBA':
    case 'RGBX':
    case 'BGRA':
    case 'BGRX': {
      const stride = frame.stride ?? width * 4;
      checkSize(data.length, offset + stride * (height - 1) + width * 4);
      const [ri, bi] = frame.format.startsWith('RGB') ? [0, 2] : [2, 0];
      // BT.601 luma weights, in 1/256ths.
      return (x, y) => {
        const i = offset + y * stride + x * 4;
        return (77 * data[i + ri]! + 150 * data[i + 1]! + 29 * data[i + bi]!) >> 8;
      };
    }
    default:
      throw new TypeError(`decodeFrameNumber: unsupported pixel format ${String((frame as FrameCodeImage).format)}`);
  }
}

function checkSize(have: number, need: number): void {
  if (have < need) throw new RangeError(`decodeFrameNumber: the frame needs ${need} bytes, got ${have}`);
}
