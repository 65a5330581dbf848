/**
 * The test pattern's renderer as it was before it drew only what changed (commit 3d278cf of
 * src/media/synthetic/test-pattern.ts, unchanged but for its name and imports): the reference that
 * test-pattern-incremental.test.ts compares today's renderer with, byte for byte.
 */
import { frameCodeBlocks, FRAME_CODE_COLUMNS, FRAME_CODE_QUIET_ZONE, FRAME_CODE_REGION, FRAME_CODE_ROWS } from '../../src/media/synthetic/frame-code.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from '../../src/media/synthetic/font.js';

/** Where the planes of a tightly packed I420 frame lie. */
interface I420Layout {
  readonly width: number;
  readonly height: number;
  /** ceil(width / 2) */
  readonly chromaWidth: number;
  /** ceil(height / 2) */
  readonly chromaHeight: number;
  /** Offset of the U plane (the Y plane starts at 0, stride `width`). */
  readonly uOffset: number;
  /** Offset of the V plane. */
  readonly vOffset: number;
  /** Bytes in all: width × height + 2 × chromaWidth × chromaHeight. */
  readonly byteLength: number;
}

/** The plane layout of a tightly packed I420 frame of this size. */
function i420Layout(width: number, height: number): I420Layout {
  const chromaWidth = Math.ceil(width / 2);
  const chromaHeight = Math.ceil(height / 2);
  const uOffset = width * height;
  const vOffset = uOffset + chromaWidth * chromaHeight;
  return { width, height, chromaWidth, chromaHeight, uOffset, vOffset, byteLength: vOffset + chromaWidth * chromaHeight };
}

/** A rectangle in luma pixels: [x, x + width) × [y, y + height). May reach outside the frame. */
interface PixelRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The caption's two lines for a frame: `FRAME <n>` and the timestamp as `hh:mm:ss.mmm`. */
function testPatternCaption(frameNumber: number, timestampMicros: number): [string, string] {
  let name = `FRAME ${frameNumber}`;
  if (name.length > CAPTION_CHARS) name = `F${frameNumber}`;
  const sign = timestampMicros < 0 ? '-' : '';
  const ms = Math.floor(Math.abs(timestampMicros) / 1000);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const time = `${sign}${pad(Math.floor(ms / 3_600_000), 2)}:${pad(Math.floor(ms / 60_000) % 60, 2)}:${pad(Math.floor(ms / 1000) % 60, 2)}.${pad(ms % 1000, 3)}`;
  return [name, time];
}

/** The caption box is sized for this many characters per line. */
const CAPTION_CHARS = 13;
// Caption metrics in font pixels: character advance, line advance, padding around the text.
const ADVANCE = GLYPH_WIDTH + 1;
const LINE = GLYPH_HEIGHT + 2;
const PAD = 2;

const BLACK = 16;
const WHITE = 235;
const GREY = 128;
const NEUTRAL = 128;

/** BT.601 limited-range Y, Cb, Cr of an RGB colour with components in [0, 1]. */
function yuv601(r: number, g: number, b: number): [number, number, number] {
  return [
    Math.round(16 + 65.481 * r + 128.553 * g + 24.966 * b),
    Math.round(128 - 37.797 * r - 74.203 * g + 112 * b),
    Math.round(128 + 112 * r - 93.786 * g - 18.214 * b),
  ];
}

// 75 % colour bars: white, yellow, cyan, green, magenta, red, blue.
const BARS = ([[1, 1, 1], [1, 1, 0], [0, 1, 1], [0, 1, 0], [1, 0, 1], [1, 0, 0], [0, 0, 1]] as const).map(([r, g, b]) =>
  yuv601(0.75 * r, 0.75 * g, 0.75 * b),
);

/**
 * Draws the moving test pattern at one size. Make one per size (the constructor precomputes the
 * backgrounds and the layout), then call `render` for each frame.
 */
export class ReferenceTestPattern {
  /** Frame width in pixels. */
  readonly width: number;
  /** Frame height in pixels. */
  readonly height: number;
  /** Where the planes lie in the buffers `render` fills. */
  readonly layout: I420Layout;
  /** The caption box (black, with white text). */
  readonly captionRect: PixelRect;
  /** The frame code's blocks, quiet zone excluded. */
  readonly codeRect: PixelRect;
  /** Luma rows the bar moves by per frame (even, so chroma moves with luma). */
  readonly step: number;

  readonly #split: number; // first luma row of the ramp (even)
  readonly #background: Uint8Array; // the static picture, a whole I420 frame
  readonly #barTop: number; // the moving bar's highest first row (even)
  readonly #barHeight: number; // its height in luma rows (even)
  readonly #barTravel: number; // the bar goes down barTravel steps of `step`, then back up
  /** Buffers this pattern drew into, and the bar's first row in the frame each holds. */
  readonly #drawn = new WeakMap<Uint8Array, number>();
  readonly #scale: number; // caption: screen pixels per font pixel
  readonly #quiet: PixelRect;
  readonly #cellX: Int32Array; // FRAME_CODE_COLUMNS + 1 block edges
  readonly #cellY: Int32Array; // FRAME_CODE_ROWS + 1 block edges
  readonly #captionView: { view: Uint8Array; offset: number }; // the caption's columns inside the frame
  readonly #lineImages: Uint8Array[]; // each caption line, GLYPH_HEIGHT rows of the caption's width
  readonly #lineTexts: string[]; // what #lineImages show
  readonly #lineViews: Uint8Array[][]; // their rows' parts inside the frame
  readonly #codeRows: Uint8Array[]; // one row of pixels per row of blocks, the code's width
  readonly #codeBlocks: Uint8Array; // what #codeRows show (2: nothing yet)
  readonly #codeViews: Uint8Array[]; // their parts inside the frame
  readonly #codeOffset: number; // where those go in a row
  readonly #lineCopy: boolean[][]; // per caption line and font row: see #drawBand
  readonly #codeCopy: boolean[]; // per row of code blocks
  readonly #strips = new Map<string, Uint8Array[]>(); // see #glyphStrips

  /**
   * @param width frame width in pixels: an integer ≥ 16 (odd sizes are fine)
   * @param height frame height in pixels: an integer ≥ 16
   */
  constructor(width: number, height: number) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16) {
      throw new RangeError(`test pattern size must be integers >= 16, got ${width}x${height}`);
    }
    this.width = width;
    this.height = height;
    this.layout = i420Layout(width, height);
    this.step = 2 * Math.max(1, Math.round(height / 360));
    this.#split = 2 * Math.round((height * 0.66) / 2);
    // The bar moves over the colour bars between the code's grey zone (which ends at 33 %) and
    // the caption (from about 60 %): from 36 % to 56 %.
    this.#barTop = 2 * Math.round((height * 0.36) / 2);
    this.#barHeight = Math.max(2, 2 * Math.round((height * 0.03) / 2));
    this.#barTravel = Math.max(0, Math.floor((Math.round(height * 0.56) - this.#barTop - this.#barHeight) / this.step));

    // Frame code geometry: block edges from the shared fractions.
    const r = FRAME_CODE_REGION;
    this.#cellX = Int32Array.from({ length: FRAME_CODE_COLUMNS + 1 }, (_, i) =>
      Math.round((r.left + ((r.right - r.left) * i) / FRAME_CODE_COLUMNS) * width),
    );
    this.#cellY = Int32Array.from({ length: FRAME_CODE_ROWS + 1 }, (_, i) =>
      Math.round((r.top + ((r.bottom - r.top) * i) / FRAME_CODE_ROWS) * height),
    );
    const cx = this.#cellX;
    const cy = this.#cellY;
    this.codeRect = rect(cx[0]!, cy[0]!, cx[FRAME_CODE_COLUMNS]!, cy[FRAME_CODE_ROWS]!);
    const q = FRAME_CODE_QUIET_ZONE;
    this.#quiet = rect(
      Math.round((r.left - q.x) * width),
      Math.round((r.top - q.y) * height),
      Math.round((r.right + q.x) * width),
      Math.round((r.bottom + q.y) * height),
    );

    // Caption: at most 60 % of the width and 25 % of the height, centred at 72 % down.
    const boxUnitsW = 2 * PAD + CAPTION_CHARS * ADVANCE - 1;
    const boxUnitsH = 2 * PAD + 2 * LINE - 2;
    const s = (this.#scale = Math.max(1, Math.floor(Math.min((width * 0.6) / boxUnitsW, (height * 0.25) / boxUnitsH))));
    const boxW = boxUnitsW * s;
    const boxH = boxUnitsH * s;
    const boxX = Math.floor((width - boxW) / 2);
    const boxY = Math.round(height * 0.72 - boxH / 2);
    this.captionRect = { x: boxX, y: boxY, width: boxW, height: boxH };
    this.#captionView = this.#clippedView(new Uint8Array(boxW), boxX, boxW);
    this.#lineImages = [0, 1].map(() => new Uint8Array(GLYPH_HEIGHT * boxW).fill(BLACK));
    this.#lineTexts = [0, 1].map(() => ' '.repeat(CAPTION_CHARS));
    this.#lineViews = this.#lineImages.map((image) =>
      Array.from({ length: GLYPH_HEIGHT }, (_, gy) => this.#clippedView(image.subarray(gy * boxW, (gy + 1) * boxW), boxX, boxW).view),
    );
    const code = this.codeRect;
    this.#codeRows = Array.from({ length: FRAME_CODE_ROWS }, () => new Uint8Array(code.width));
    this.#codeBlocks = new Uint8Array(FRAME_CODE_ROWS * FRAME_CODE_COLUMNS).fill(2);
    this.#codeViews = this.#codeRows.map((row) => this.#clippedView(row, code.x, code.width).view);
    this.#codeOffset = this.#clippedView(this.#codeRows[0]!, code.x, code.width).offset;
    this.#background = this.#drawBackground();
    this.#lineCopy = [0, 1].map((line) => {
      const top = this.glyphOrigin(line, 0).y;
      return Array.from({ length: GLYPH_HEIGHT }, (_, gy) => this.#bandCopyable(top + gy * s, top + (gy + 1) * s));
    });
    this.#codeCopy = Array.from({ length: FRAME_CODE_ROWS }, (_, r) => this.#bandCopyable(this.#cellY[r]!, this.#cellY[r + 1]!));
  }

  /** The static picture: bars above the split, a ramp below, the caption's box and the code's zone. */
  #drawBackground(): Uint8Array {
    const { width: w, height: h, layout } = this;
    const cw = layout.chromaWidth;
    const ch = layout.chromaHeight;
    const buf = new Uint8Array(layout.byteLength);
    const bars = new Uint8Array(w);
    const ramp = new Uint8Array(w);
    for (let x = 0; x < w; x++) {
      bars[x] = BARS[Math.floor((x * BARS.length) / w)]![0];
      ramp[x] = BLACK + Math.round(((WHITE - BLACK) * x) / Math.max(1, w - 1));
    }
    const u = new Uint8Array(cw);
    const v = new Uint8Array(cw);
    for (let j = 0; j < cw; j++) {
      const bar = BARS[Math.floor((2 * j * BARS.length) / w)]!;
      u[j] = bar[1];
      v[j] = bar[2];
    }
    for (let y = 0; y < h; y++) buf.set(y < this.#split ? bars : ramp, y * w);
    const splitC = this.#split / 2;
    for (let y = 0; y < ch; y++) {
      const at = y * cw;
      if (y < splitC) {
        buf.set(u, layout.uOffset + at);
        buf.set(v, layout.vOffset + at);
      } else {
        buf.fill(NEUTRAL, layout.uOffset + at, layout.uOffset + at + cw);
        buf.fill(NEUTRAL, layout.vOffset + at, layout.vOffset + at + cw);
      }
    }
    this.#fillRect(buf, this.captionRect, BLACK);
    this.#fillRect(buf, this.#quiet, GREY);
    return buf;
  }

  /**
   * Whether the band of luma rows [y0, y1) that #drawBand draws (a caption font row × scale, a
   * row of code blocks) lies in the frame, clear of the bar's rows and of the other element (code
   * or caption), on background rows that are all alike: then its first row, copied whole, is
   * right for its other rows.
   */
  #bandCopyable(y0: number, y1: number): boolean {
    const { width: w, height: h } = this;
    if (y0 < 0 || y1 > h) return false;
    const barEnd = this.#barTop + this.#barTravel * this.step + this.#barHeight;
    if (y0 < barEnd && y1 > this.#barTop) return false;
    const code = this.codeRect;
    const caption = this.captionRect;
    const inCode = y0 >= code.y && y1 <= code.y + code.height;
    const other = inCode ? caption : code;
    if (y0 < other.y + other.height && y1 > other.y) return false;
    const bg = this.#background;
    const first = bg.subarray(y0 * w, (y0 + 1) * w);
    for (let y = y0 + 1; y < y1; y++) if (Buffer.compare(first, bg.subarray(y * w, (y + 1) * w)) !== 0) return false;
    return true;
  }

  /** The moving bar in frame `frameNumber`: full width; it goes down `step` rows a frame, then back up. */
  barRect(frameNumber: number): PixelRect {
    const travel = this.#barTravel;
    let k = 0;
    if (travel > 0) {
      const p = frameNumber % (2 * travel);
      k = p <= travel ? p : 2 * travel - p;
    }
    return { x: 0, y: this.#barTop + k * this.step, width: this.width, height: this.#barHeight };
  }

  /** The caption's scale: screen pixels per font pixel (the 5×7 glyphs are 5s × 7s). */
  get captionScale(): number {
    return this.#scale;
  }

  /** Where the caption's line `line` (0 or 1), character `index` starts, in luma pixels. */
  glyphOrigin(line: number, index: number): { x: number; y: number } {
    const s = this.#scale;
    return { x: this.captionRect.x + (PAD + index * ADVANCE) * s, y: this.captionRect.y + (PAD + line * LINE) * s };
  }

  /**
   * Draws frame `frameNumber` (a non-negative integer; the code carries it modulo 2^20) with the
   * caption's timestamp `timestampMicros` into `out`, a tightly packed I420 buffer of at least
   * `layout.byteLength` bytes (a new one when omitted), and returns it. Every byte of the frame
   * is written; the result depends only on the arguments.
   */
  render(frameNumber: number, timestampMicros: number, out?: Uint8Array): Uint8Array {
    const { width: w, height: h, layout } = this;
    const buf = out ?? new Uint8Array(layout.byteLength);
    if (buf.length < layout.byteLength) {
      throw new RangeError(`an I420 ${w}x${h} frame needs ${layout.byteLength} bytes, the buffer has ${buf.length}`);
    }
    const blocks = frameCodeBlocks(frameNumber); // validates frameNumber
    const barY = this.barRect(frameNumber).y;
    const previous = this.#drawn.get(buf);
    if (previous === undefined) buf.set(this.#background);
    else if (previous !== barY) this.#restoreRows(buf, previous, previous + this.#barHeight);
    if (previous !== barY) this.#drawBar(buf, barY);
    this.#drawCaption(buf, testPatternCaption(frameNumber, timestampMicros));
    this.#drawCode(buf, blocks);
    this.#drawn.set(buf, barY);
    return buf;
  }

  /** The bar at rows [y, y + height): white, with a black line through the middle. */
  #drawBar(buf: Uint8Array, y: number): void {
    const { width: w, height: h, layout } = this;
    const y0 = Math.min(h, y);
    const y1 = Math.min(h, y + this.#barHeight);
    buf.fill(WHITE, y0 * w, y1 * w);
    const line = 2 * Math.max(1, Math.round(this.#barHeight / 6));
    const l0 = Math.min(h, y + (this.#barHeight - line) / 2);
    buf.fill(BLACK, l0 * w, Math.min(h, l0 + line) * w);
    const cw = layout.chromaWidth;
    const c0 = (y0 >> 1) * cw;
    const c1 = ((y1 + 1) >> 1) * cw;
    buf.fill(NEUTRAL, layout.uOffset + c0, layout.uOffset + c1);
    buf.fill(NEUTRAL, layout.vOffset + c0, layout.vOffset + c1);
  }

  /** Copies the background's rows [y0, y1) (y0 even) back into `buf`, luma and chroma. */
  #restoreRows(buf: Uint8Array, y0: number, y1: number): void {
    const { width: w, height: h, layout } = this;
    const bg = this.#background;
    y0 = Math.min(h, y0);
    y1 = Math.min(h, y1);
    buf.set(bg.subarray(y0 * w, y1 * w), y0 * w);
    const cw = layout.chromaWidth;
    const u0 = layout.uOffset + (y0 >> 1) * cw;
    const u1 = layout.uOffset + ((y1 + 1) >> 1) * cw;
    buf.set(bg.subarray(u0, u1), u0);
    const v0 = layout.vOffset + (y0 >> 1) * cw;
    const v1 = layout.vOffset + ((y1 + 1) >> 1) * cw;
    buf.set(bg.subarray(v0, v1), v0);
  }

  #drawCaption(buf: Uint8Array, lines: readonly string[]): void {
    // The box's black (padding, line gap) is in the background: only the text rows are drawn,
    // from a picture of each line at one screen row per font row, kept from the last frame drawn,
    // in which only the characters that changed are redrawn.
    const s = this.#scale;
    for (let line = 0; line < 2; line++) {
      const text = (lines[line] ?? '').padEnd(CAPTION_CHARS).slice(0, CAPTION_CHARS);
      const image = this.#lineImages[line]!;
      const last = this.#lineTexts[line]!;
      if (text !== last) {
        const bw = this.captionRect.width;
        for (let k = 0; k < CAPTION_CHARS; k++) {
          if (text[k] === last[k]) continue;
          const strips = this.#glyphStrips(text[k]!);
          const x = (PAD + k * ADVANCE) * s;
          for (let gy = 0; gy < GLYPH_HEIGHT; gy++) image.set(strips[gy]!, gy * bw + x);
        }
        this.#lineTexts[line] = text;
      }
      const top = this.glyphOrigin(line, 0).y;
      const views = this.#lineViews[line]!;
      const copy = this.#lineCopy[line]!;
      for (let gy = 0; gy < GLYPH_HEIGHT; gy++) this.#drawBand(buf, views[gy]!, this.#captionView.offset, top + gy * s, top + (gy + 1) * s, copy[gy]!);
    }
  }

  /**
   * Draws `view` at column `x` of luma rows [y0, y1) (clipped to the frame). With `copy` (the
   * band's background rows are alike outside what is drawn: #bandCopyable, checked once per
   * size), the first row is drawn and copied down the band, doubling: a few calls for the band.
   */
  #drawBand(buf: Uint8Array, view: Uint8Array, x: number, y0: number, y1: number, copy: boolean): void {
    const w = this.width;
    y0 = Math.max(0, y0);
    y1 = Math.min(this.height, y1);
    if (y1 <= y0) return;
    if (copy) {
      buf.set(view, y0 * w + x);
      const n = y1 - y0;
      for (let k = 1; k < n; k *= 2) buf.copyWithin((y0 + k) * w, y0 * w, (y0 + Math.min(2 * k, n) - k) * w);
    } else {
      for (let y = y0; y < y1; y++) buf.set(view, y * w + x);
    }
  }

  /** A character's glyph rows at the caption's scale: GLYPH_HEIGHT strips of GLYPH_WIDTH × scale bytes. */
  #glyphStrips(ch: string): Uint8Array[] {
    let strips = this.#strips.get(ch);
    if (strips === undefined) {
      const s = this.#scale;
      const rows = glyphRows(ch);
      strips = [];
      for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
        const strip = new Uint8Array(GLYPH_WIDTH * s).fill(BLACK);
        for (let b = 0; b < GLYPH_WIDTH; b++) if (rows[gy]! & (1 << (GLYPH_WIDTH - 1 - b))) strip.fill(WHITE, b * s, (b + 1) * s);
        strips.push(strip);
      }
      this.#strips.set(ch, strips);
    }
    return strips;
  }

  #drawCode(buf: Uint8Array, blocks: Uint8Array): void {
    // The grey quiet zone is in the background: only the blocks are drawn, from one row of
    // pixels per row of blocks, kept from the last frame (only changed blocks are refilled).
    const cx = this.#cellX;
    const cy = this.#cellY;
    const x0 = cx[0]!;
    const last = this.#codeBlocks;
    for (let r = 0; r < FRAME_CODE_ROWS; r++) {
      const row = this.#codeRows[r]!;
      for (let c = 0; c < FRAME_CODE_COLUMNS; c++) {
        const i = r * FRAME_CODE_COLUMNS + c;
        if (blocks[i] === last[i]) continue;
        row.fill(blocks[i] ? WHITE : BLACK, cx[c]! - x0, cx[c + 1]! - x0);
        last[i] = blocks[i]!;
      }
      this.#drawBand(buf, this.#codeViews[r]!, this.#codeOffset, cy[r]!, cy[r + 1]!, this.#codeCopy[r]!);
    }
  }

  /** The part of a row of `length` pixels drawn at column `x` that lies in the frame, and where it goes. */
  #clippedView(row: Uint8Array, x: number, length: number): { view: Uint8Array; offset: number } {
    const from = Math.min(length, Math.max(0, -x));
    const to = Math.max(from, Math.min(length, this.width - x));
    return { view: row.subarray(from, to), offset: x + from };
  }

  /** Fills a luma rectangle with `luma` and its chroma with neutral grey, clipped to the frame. */
  #fillRect(buf: Uint8Array, r: PixelRect, luma: number): void {
    const { width: w, height: h, layout } = this;
    const x0 = Math.max(0, r.x);
    const x1 = Math.min(w, r.x + r.width);
    const y0 = Math.max(0, r.y);
    const y1 = Math.min(h, r.y + r.height);
    if (x1 <= x0 || y1 <= y0) return;
    for (let y = y0; y < y1; y++) buf.fill(luma, y * w + x0, y * w + x1);
    const cw = layout.chromaWidth;
    const cx0 = x0 >> 1;
    const cx1 = (x1 + 1) >> 1;
    for (let y = y0 >> 1; y < (y1 + 1) >> 1; y++) {
      buf.fill(NEUTRAL, layout.uOffset + y * cw + cx0, layout.uOffset + y * cw + cx1);
      buf.fill(NEUTRAL, layout.vOffset + y * cw + cx0, layout.vOffset + y * cw + cx1);
    }
  }
}

function rect(x0: number, y0: number, x1: number, y1: number): PixelRect {
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
