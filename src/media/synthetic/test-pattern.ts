/**
 * The built-in camera's picture: a test pattern with a moving box, drawn into I420 buffers.
 *
 * ```
 *  ┌──────────────────────────────────────────┐
 *  │ 75 % colour bars (static)                │
 *  │     ┌──────────────────────────────┐     │  frame code: 2 × 16 black/white blocks
 *  │     │ ▀▄▄▀▀▄▀▄▄▀▀▀▄▄▀▄  (grey zone)│     │  (see frame-code.ts)
 *  │     └──────────────────────────────┘     │
 *  │══════════════════════════════════════════│  a white bar with a black centre line,
 *  │                                          │  moving down and up with the frame number
 *  ├──────────────────────────────────────────┤
 *  │ grey ramp (static)                       │
 *  │        ┌───────────────────┐             │  caption, white on black:
 *  │        │ FRAME 123         │             │  the frame number and
 *  │        │ 00:00:04.100      │             │  the timestamp (h:m:s.ms)
 *  │        └───────────────────┘             │
 *  └──────────────────────────────────────────┘
 * ```
 *
 * The static background (bars, ramp, the caption's black box, the code's grey zone) is made once
 * per size. Only the bar, the caption's characters and the code's blocks change from frame to
 * frame, so a buffer that already holds a frame this pattern drew (a pooled buffer coming back)
 * gets only what differs from the frame it holds: the bar's rows that differ (those it leaves or
 * enters, and those its black line leaves or enters), then the caption's characters and the
 * code's blocks that differ (one run of columns per line of text or row of blocks, a `set` per
 * screen row). Any other buffer first gets the whole background, the bar, and every character
 * and block. Either way the bytes are the same (a test compares them with the previous renderer
 * over many frames and buffer reuse patterns). From one frame to the next at 720p that is ~70 KB
 * written instead of the ~390 KB of redrawing the caption's and the code's bands and the whole
 * bar: the frames lie on a SharedArrayBuffer (the kernels' memory), which V8 copies to with a
 * relaxed-atomic memmove, and the rows are cold in the cache 33 ms after the last frame, so the
 * bytes and rows touched are the cost; `set` (a CodeStubAssembler builtin) is used throughout,
 * where `fill` and `copyWithin` call into C++. The buffer must not be written by anyone else
 * between two renders (the pools' buffers are read only once drawn).
 */
import { writeFrameCodeBlocks, FRAME_CODE_COLUMNS, FRAME_CODE_QUIET_ZONE, FRAME_CODE_REGION, FRAME_CODE_ROWS } from './frame-code.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from './font.js';

/** Where the planes of a tightly packed I420 frame lie. */
export interface I420Layout {
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
export function i420Layout(width: number, height: number): I420Layout {
  const chromaWidth = Math.ceil(width / 2);
  const chromaHeight = Math.ceil(height / 2);
  const uOffset = width * height;
  const vOffset = uOffset + chromaWidth * chromaHeight;
  return { width, height, chromaWidth, chromaHeight, uOffset, vOffset, byteLength: vOffset + chromaWidth * chromaHeight };
}

/** A rectangle in luma pixels: [x, x + width) × [y, y + height). May reach outside the frame. */
export interface PixelRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The caption's two lines for a frame: `FRAME <n>` and the timestamp as `hh:mm:ss.mmm`. */
export function testPatternCaption(frameNumber: number, timestampMicros: number): [string, string] {
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

const SPACE = 0x20;
const ZERO = 0x30;
const COLON = 0x3a;
const DOT = 0x2e;
/** "FRAME " */
const FRAME_PREFIX = [0x46, 0x52, 0x41, 0x4d, 0x45, 0x20];
/** Below this the caption's first line is `FRAME <n>` in CAPTION_CHARS characters. */
const FAST_FRAME_LIMIT = 10 ** (CAPTION_CHARS - FRAME_PREFIX.length);
/** 100 hours in ms: below this the second line is `hh:mm:ss.mmm`. */
const FAST_TIME_LIMIT = 100 * 3_600_000;

/**
 * The character codes of the caption's two lines as drawn ({@link testPatternCaption}, each line
 * padded with spaces or cut to CAPTION_CHARS) into `out[0, 2 × CAPTION_CHARS)`, without making
 * strings in the usual case (a frame number below 10^7, a timestamp in [0, 100 h)).
 */
function writeCaptionCodes(frameNumber: number, timestampMicros: number, out: Uint8Array): void {
  const ms = Math.floor(timestampMicros / 1000);
  if (!(frameNumber < FAST_FRAME_LIMIT && ms >= 0 && ms < FAST_TIME_LIMIT)) {
    const lines = testPatternCaption(frameNumber, timestampMicros);
    for (let line = 0; line < 2; line++) {
      const text = lines[line]!;
      for (let k = 0; k < CAPTION_CHARS; k++) out[line * CAPTION_CHARS + k] = k < text.length ? text.charCodeAt(k) : SPACE;
    }
    return;
  }
  for (let k = 0; k < FRAME_PREFIX.length; k++) out[k] = FRAME_PREFIX[k]!;
  let digits = 1;
  for (let n = frameNumber; n >= 10; n = Math.floor(n / 10)) digits++;
  let n = frameNumber;
  for (let k = FRAME_PREFIX.length + digits - 1; k >= FRAME_PREFIX.length; k--) {
    out[k] = ZERO + (n % 10);
    n = Math.floor(n / 10);
  }
  for (let k = FRAME_PREFIX.length + digits; k < CAPTION_CHARS; k++) out[k] = SPACE;
  const t = CAPTION_CHARS;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor(ms / 60_000) % 60;
  const seconds = Math.floor(ms / 1000) % 60;
  const millis = ms % 1000;
  out[t] = ZERO + Math.floor(hours / 10);
  out[t + 1] = ZERO + (hours % 10);
  out[t + 2] = COLON;
  out[t + 3] = ZERO + Math.floor(minutes / 10);
  out[t + 4] = ZERO + (minutes % 10);
  out[t + 5] = COLON;
  out[t + 6] = ZERO + Math.floor(seconds / 10);
  out[t + 7] = ZERO + (seconds % 10);
  out[t + 8] = DOT;
  out[t + 9] = ZERO + Math.floor(millis / 100);
  out[t + 10] = ZERO + (Math.floor(millis / 10) % 10);
  out[t + 11] = ZERO + (millis % 10);
  out[t + 12] = SPACE;
}

/** What a buffer holds of the moving parts: the frame this pattern last drew into it. */
class Drawn {
  /** The bar's first row (NaN: none, the background's rows). */
  barY = Number.NaN;
  /** The caption's character codes (0: not known, to be drawn). */
  readonly text = new Uint8Array(2 * CAPTION_CHARS);
  /** The code's blocks (2: not known, to be drawn). */
  readonly blocks = new Uint8Array(FRAME_CODE_ROWS * FRAME_CODE_COLUMNS).fill(2);

  /** The caption and the code must be drawn whole (the bar went over them). */
  forgetCaptionAndCode(): void {
    this.text.fill(0);
    this.blocks.fill(2);
  }
}
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
export class TestPattern {
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
  /** Buffers this pattern drew into, and what each holds of the moving parts. */
  readonly #drawn = new WeakMap<Uint8Array, Drawn>();
  readonly #scale: number; // caption: screen pixels per font pixel
  readonly #quiet: PixelRect;
  readonly #cellX: Int32Array; // FRAME_CODE_COLUMNS + 1 block edges
  readonly #cellY: Int32Array; // FRAME_CODE_ROWS + 1 block edges
  readonly #captionClip: Clip; // the caption's columns inside the frame
  readonly #lineTops: Int32Array; // each caption line's first row
  readonly #lineImages: Uint8Array[]; // each caption line, GLYPH_HEIGHT rows of the caption's width
  readonly #imageText = new Uint8Array(2 * CAPTION_CHARS).fill(SPACE); // what #lineImages show
  readonly #lineSpans: Map<number, Uint8Array[]>[]; // per line: see #spanRows
  readonly #codeRows: Uint8Array[]; // one row of pixels per row of blocks, the code's width
  readonly #codeBlocks: Uint8Array; // what #codeRows show (2: nothing yet)
  readonly #codeClip: Clip; // the code's columns inside the frame
  readonly #codeSpans: Map<number, Uint8Array[]>[]; // per row of blocks: see #spanRows
  readonly #barLuma: Uint8Array; // the bar's luma rows, whole
  readonly #barLine: number; // the bar's black line: its height in rows
  readonly #barLineTop: number; // and its first row in the bar
  readonly #views = new Map<Uint8Array, Map<number, Uint8Array>>(); // see #view
  readonly #barChroma: Uint8Array; // its chroma rows (one plane)
  /** The bar's rows may cross the caption's or the code's: where it moves, they are redrawn whole. */
  readonly #barCrosses: boolean;
  /** The caption and the code overlap (tiny frames): both are redrawn whole every frame. */
  readonly #overlap: boolean;
  readonly #strips: (Uint8Array[] | undefined)[] = []; // see #glyphStrips
  // Scratch for each frame's caption codes and code blocks (render allocates nothing).
  readonly #text = new Uint8Array(2 * CAPTION_CHARS);
  readonly #blocks = new Uint8Array(FRAME_CODE_ROWS * FRAME_CODE_COLUMNS);

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
    this.#barLine = 2 * Math.max(1, Math.round(this.#barHeight / 6));
    this.#barLineTop = (this.#barHeight - this.#barLine) / 2;

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
    this.#captionClip = clip(boxX, boxW, width);
    this.#lineTops = Int32Array.from([0, 1], (line) => this.glyphOrigin(line, 0).y);
    this.#lineImages = [0, 1].map(() => new Uint8Array(GLYPH_HEIGHT * boxW).fill(BLACK));
    this.#lineSpans = [0, 1].map(() => new Map());
    const code = this.codeRect;
    this.#codeRows = Array.from({ length: FRAME_CODE_ROWS }, () => new Uint8Array(code.width));
    this.#codeBlocks = new Uint8Array(FRAME_CODE_ROWS * FRAME_CODE_COLUMNS).fill(2);
    this.#codeClip = clip(code.x, code.width, width);
    this.#codeSpans = this.#codeRows.map(() => new Map());
    this.#background = this.#drawBackground();
    const barPicture = new Uint8Array(this.layout.byteLength);
    this.#drawBar(barPicture, 0);
    this.#barLuma = barPicture.slice(0, this.#barHeight * width);
    this.#barChroma = barPicture.slice(this.layout.uOffset, this.layout.uOffset + (this.#barHeight / 2) * this.layout.chromaWidth);
    const barEnd = this.#barTop + this.#barTravel * this.step + this.#barHeight;
    const crossesRows = (r: PixelRect) => r.y < barEnd && r.y + r.height > this.#barTop;
    this.#barCrosses = crossesRows(this.captionRect) || crossesRows(code);
    const caption = this.captionRect;
    this.#overlap =
      caption.x < code.x + code.width && caption.x + caption.width > code.x && caption.y < code.y + code.height && caption.y + caption.height > code.y;
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

  /** The moving bar in frame `frameNumber`: full width; it goes down `step` rows a frame, then back up. */
  barRect(frameNumber: number): PixelRect {
    return { x: 0, y: this.#barY(frameNumber), width: this.width, height: this.#barHeight };
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
    const blocks = writeFrameCodeBlocks(frameNumber, this.#blocks); // validates frameNumber
    writeCaptionCodes(frameNumber, timestampMicros, this.#text);
    const barY = this.#barY(frameNumber);
    let drawn = this.#drawn.get(buf);
    if (drawn === undefined) {
      buf.set(this.#background);
      drawn = new Drawn();
      this.#drawn.set(buf, drawn);
    }
    if (drawn.barY !== barY) {
      if (Number.isNaN(drawn.barY)) this.#placeBar(buf, barY);
      else this.#moveBar(buf, drawn.barY, barY);
      if (this.#barCrosses) drawn.forgetCaptionAndCode();
      drawn.barY = barY;
    }
    // The caption is drawn before the code: where they overlap, the code is on top.
    if (this.#overlap) drawn.forgetCaptionAndCode();
    this.#drawCaption(buf, drawn.text);
    this.#drawCode(buf, blocks, drawn.blocks);
    return buf;
  }

  /** The bar's first row in frame `frameNumber` (barRect's y). */
  #barY(frameNumber: number): number {
    const travel = this.#barTravel;
    let k = 0;
    if (travel > 0) {
      const p = frameNumber % (2 * travel);
      k = p <= travel ? p : 2 * travel - p;
    }
    return this.#barTop + k * this.step;
  }

  /** The bar at rows [y, y + height): white, with a black line through the middle. */
  #drawBar(buf: Uint8Array, y: number): void {
    const { width: w, height: h, layout } = this;
    const y0 = Math.min(h, y);
    const y1 = Math.min(h, y + this.#barHeight);
    buf.fill(WHITE, y0 * w, y1 * w);
    const line = this.#barLine;
    const l0 = Math.min(h, y + this.#barLineTop);
    buf.fill(BLACK, l0 * w, Math.min(h, l0 + line) * w);
    const cw = layout.chromaWidth;
    const c0 = (y0 >> 1) * cw;
    const c1 = ((y1 + 1) >> 1) * cw;
    buf.fill(NEUTRAL, layout.uOffset + c0, layout.uOffset + c1);
    buf.fill(NEUTRAL, layout.vOffset + c0, layout.vOffset + c1);
  }

  /**
   * #drawBar, by copying the bar's picture (drawn once at row 0): the bar lies in the frame (it
   * ends by 56 % of the height) from an even row, so its rows are one run of bytes per plane.
   */
  #placeBar(buf: Uint8Array, y: number): void {
    const { width: w, layout } = this;
    buf.set(this.#barLuma, y * w);
    const c = (y >> 1) * layout.chromaWidth;
    buf.set(this.#barChroma, layout.uOffset + c);
    buf.set(this.#barChroma, layout.vOffset + c);
  }

  /**
   * Moves the bar from rows [from, from + height) to [to, to + height): only the rows that
   * differ are written (those the bar leaves or enters, and those its black line leaves or
   * enters: at 720p 16 of the 44 luma rows of restoring the old bar and drawing the new), from
   * the background or the bar's picture. The pixels lie on a SharedArrayBuffer (the scaling
   * thread reads them), which V8 copies to with a slower, relaxed-atomic memmove: bytes count.
   */
  #moveBar(buf: Uint8Array, from: number, to: number): void {
    const { width: w, layout } = this;
    const height = this.#barHeight;
    const lo = Math.min(from, to);
    const hi = Math.max(from, to) + height;
    // Luma: runs of rows to write, each from one picture.
    let start = -1;
    let startBar = false;
    for (let y = lo; y <= hi; y++) {
      const want = y < hi ? this.#barRowKind(y - to) : -1;
      const write = y < hi && want !== this.#barRowKind(y - from);
      const bar = want >= 0;
      if (start >= 0 && (!write || bar !== startBar)) {
        if (startBar) buf.set(this.#view(this.#barLuma, (start - to) * w, (y - to) * w), start * w);
        else buf.set(this.#view(this.#background, start * w, y * w), start * w);
        start = -1;
      }
      if (write && start < 0) {
        start = y;
        startBar = bar;
      }
    }
    // Chroma (the bar's rows are even, its chroma all neutral): the rows it leaves and enters.
    const cw = layout.chromaWidth;
    for (let c = lo >> 1; c <= hi >> 1; c++) {
      const y = 2 * c;
      const want = y < hi && y >= to && y < to + height;
      const write = y < hi && want !== (y >= from && y < from + height);
      if (start >= 0 && (!write || want !== startBar)) {
        const n = (c - start) * cw;
        const u = layout.uOffset + start * cw;
        const v = layout.vOffset + start * cw;
        if (startBar) {
          const neutral = this.#view(this.#barChroma, 0, n);
          buf.set(neutral, u);
          buf.set(neutral, v);
        } else {
          buf.set(this.#view(this.#background, u, u + n), u);
          buf.set(this.#view(this.#background, v, v + n), v);
        }
        start = -1;
      }
      if (write && start < 0) {
        start = c;
        startBar = want;
      }
    }
  }

  /** Row `r` of the bar: -1 outside it, 0 white, 1 the black line (as #drawBar draws them). */
  #barRowKind(r: number): number {
    if (r < 0 || r >= this.#barHeight) return -1;
    return r >= this.#barLineTop && r < this.#barLineTop + this.#barLine ? 1 : 0;
  }

  /** `picture.subarray(begin, end)`, made once (the bar moves through a few dozen positions). */
  #view(picture: Uint8Array, begin: number, end: number): Uint8Array {
    let views = this.#views.get(picture);
    if (views === undefined) this.#views.set(picture, (views = new Map()));
    // begin, end < 2^26 (a frame under 64 MiB; larger ones make their views anew)
    const key = begin * 2 ** 26 + end;
    let view = views.get(key);
    if (view === undefined) {
      view = picture.subarray(begin, end);
      if (end < 2 ** 26) views.set(key, view);
    }
    return view;
  }

  /**
   * Draws the caption's characters that differ from `had` (what `buf` shows; updated). The box's
   * black (padding, line gap) is in the background: only the text rows are drawn, from a picture
   * of each line at one screen row per font row, kept from the last frame drawn (in which only the
   * characters that changed are redrawn).
   */
  #drawCaption(buf: Uint8Array, had: Uint8Array): void {
    const text = this.#text;
    const image = this.#imageText;
    const s = this.#scale;
    const bw = this.captionRect.width;
    const c = this.#captionClip;
    for (let line = 0; line < 2; line++) {
      const at = line * CAPTION_CHARS;
      const lineImage = this.#lineImages[line]!;
      let first = -1;
      let last = -1;
      for (let k = 0; k < CAPTION_CHARS; k++) {
        const code = text[at + k]!;
        if (code !== image[at + k]) {
          const strips = this.#glyphStrips(code);
          const x = (PAD + k * ADVANCE) * s;
          for (let gy = 0; gy < GLYPH_HEIGHT; gy++) lineImage.set(strips[gy]!, gy * bw + x);
          image[at + k] = code;
        }
        if (code !== had[at + k]) {
          if (first < 0) first = k;
          last = k;
          had[at + k] = code;
        }
      }
      if (first < 0) continue;
      // The columns from the first changed character to the last; at the line's ends, the
      // padding too (black in the picture as in the box): a buffer drawn whole gets whole rows.
      const from = first === 0 ? 0 : (PAD + first * ADVANCE) * s;
      const to = last === CAPTION_CHARS - 1 ? bw : (PAD + last * ADVANCE + GLYPH_WIDTH) * s;
      const rows = this.#spanRows(this.#lineSpans[line]!, lineImage, GLYPH_HEIGHT, bw, c, from, to);
      if (rows !== undefined) this.#drawRows(buf, rows, c.offset + Math.max(from, c.from) - c.from, this.#lineTops[line]!, s);
    }
  }

  /**
   * The rows of a picture (`count` rows of `width` bytes), columns [from, to) cut to those in the
   * frame (`c`), as views made once per run of columns (a caption line changes in a few runs: its
   * last digits); undefined when none of those columns is in the frame.
   */
  #spanRows(cache: Map<number, Uint8Array[]>, picture: Uint8Array, count: number, width: number, c: Clip, from: number, to: number): Uint8Array[] | undefined {
    const key = from * 2 ** 26 + to; // both under 2^26
    let rows = cache.get(key);
    if (rows === undefined) {
      const a = Math.max(from, c.from);
      const b = Math.min(to, c.to);
      if (b <= a) return undefined;
      rows = Array.from({ length: count }, (_, r) => picture.subarray(r * width + a, r * width + b));
      cache.set(key, rows);
    }
    return rows;
  }

  /** Draws `rows[r]` at column `x` of luma rows [top + r × scale, top + (r + 1) × scale), cut to the frame. */
  #drawRows(buf: Uint8Array, rows: readonly Uint8Array[], x: number, top: number, scale: number): void {
    const w = this.width;
    const h = this.height;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const y0 = Math.max(0, top + r * scale);
      const y1 = Math.min(h, top + (r + 1) * scale);
      for (let y = y0; y < y1; y++) buf.set(row, y * w + x);
    }
  }

  /** A character's glyph rows at the caption's scale: GLYPH_HEIGHT strips of GLYPH_WIDTH × scale bytes. */
  #glyphStrips(code: number): Uint8Array[] {
    let strips = this.#strips[code];
    if (strips === undefined) {
      const s = this.#scale;
      const rows = glyphRows(String.fromCharCode(code));
      strips = [];
      for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
        const strip = new Uint8Array(GLYPH_WIDTH * s).fill(BLACK);
        for (let b = 0; b < GLYPH_WIDTH; b++) if (rows[gy]! & (1 << (GLYPH_WIDTH - 1 - b))) strip.fill(WHITE, b * s, (b + 1) * s);
        strips.push(strip);
      }
      this.#strips[code] = strips;
    }
    return strips;
  }

  /**
   * Draws the code's blocks that differ from `had` (what `buf` shows; updated). The grey quiet
   * zone is in the background: only the blocks are drawn, from one row of pixels per row of
   * blocks, kept from the last frame (only changed blocks are refilled).
   */
  #drawCode(buf: Uint8Array, blocks: Uint8Array, had: Uint8Array): void {
    const cx = this.#cellX;
    const cy = this.#cellY;
    const x0 = cx[0]!;
    const last = this.#codeBlocks;
    const c = this.#codeClip;
    for (let r = 0; r < FRAME_CODE_ROWS; r++) {
      const row = this.#codeRows[r]!;
      let first = -1;
      let end = -1;
      for (let col = 0; col < FRAME_CODE_COLUMNS; col++) {
        const i = r * FRAME_CODE_COLUMNS + col;
        const block = blocks[i]!;
        if (block !== last[i]) {
          row.fill(block ? WHITE : BLACK, cx[col]! - x0, cx[col + 1]! - x0);
          last[i] = block;
        }
        if (block !== had[i]) {
          if (first < 0) first = col;
          end = col + 1;
          had[i] = block;
        }
      }
      if (first < 0) continue;
      const from = cx[first]! - x0;
      const to = cx[end]! - x0;
      const rows = this.#spanRows(this.#codeSpans[r]!, row, 1, row.length, c, from, to);
      if (rows !== undefined) this.#drawRows(buf, rows, c.offset + Math.max(from, c.from) - c.from, cy[r]!, cy[r + 1]! - cy[r]!);
    }
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

/** The columns [from, to) of a row of pixels drawn at column `x` that lie in the frame, and where `from` goes. */
interface Clip {
  readonly from: number;
  readonly to: number;
  readonly offset: number;
}

function clip(x: number, length: number, frameWidth: number): Clip {
  const from = Math.min(length, Math.max(0, -x));
  const to = Math.max(from, Math.min(length, frameWidth - x));
  return { from, to, offset: x + from };
}

function rect(x0: number, y0: number, x1: number, y1: number): PixelRect {
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
