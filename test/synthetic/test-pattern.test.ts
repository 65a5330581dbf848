import { describe, expect, it } from 'vitest';
import { TestPattern, i420Layout, testPatternCaption } from '../../src/media/synthetic/test-pattern.js';
import { decodeFrameNumber, FRAME_CODE_MODULUS } from '../../src/media/synthetic/frame-code.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from '../../src/media/synthetic/font.js';
import { boxDownscaleI420, cropI420, i420ToRgba, prng } from './helpers.js';

const FONT_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ:.-#/ ';

/** Reads caption line `line` back from the luma plane by sampling each font pixel's centre. */
function readCaption(p: TestPattern, frame: Uint8Array, line: number): string {
  const s = p.captionScale;
  let text = '';
  for (let k = 0; k < 13; k++) {
    const o = p.glyphOrigin(line, k);
    const rows: number[] = [];
    for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
      let bits = 0;
      for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
        const x = o.x + gx * s + (s >> 1);
        const y = o.y + gy * s + (s >> 1);
        bits = (bits << 1) | (frame[y * p.width + x]! > 128 ? 1 : 0);
      }
      rows.push(bits);
    }
    const ch = [...FONT_CHARS].find((c) => glyphRows(c).every((r, i) => r === rows[i]));
    text += ch ?? '?';
  }
  return text.trimEnd();
}

function numbersToTry(count: number): number[] {
  const rand = prng(42);
  const list = [0, 1, 2, 3, 0x55555, 0xaaaaa, FRAME_CODE_MODULUS - 1];
  for (let b = 0; b < 20; b++) list.push(2 ** b);
  while (list.length < count) list.push(Math.floor(rand() * FRAME_CODE_MODULUS));
  return list;
}

describe('TestPattern', () => {
  it('lays out I420 planes with chroma at ceil(w/2) × ceil(h/2)', () => {
    expect(i420Layout(17, 9)).toEqual({
      width: 17, height: 9, chromaWidth: 9, chromaHeight: 5, uOffset: 153, vOffset: 198, byteLength: 243,
    });
    expect(new TestPattern(1920, 1080).layout.byteLength).toBe(1920 * 1080 * 1.5);
  });

  it('writes every byte of the frame, and the same arguments give the same frame', () => {
    for (const [w, h] of [[16, 16], [17, 23], [640, 480], [1281, 719]] as const) {
      const p = new TestPattern(w, h);
      const a = p.render(77, 1_234_567, new Uint8Array(p.layout.byteLength).fill(0x00));
      const b = p.render(77, 1_234_567, new Uint8Array(p.layout.byteLength + 8).fill(0xff));
      expect(Buffer.compare(a, b.subarray(0, p.layout.byteLength))).toBe(0);
      expect(b[p.layout.byteLength]).toBe(0xff); // nothing past the frame
    }
  });

  it('encodes the frame number so that it decodes exactly, at several sizes', () => {
    for (const [w, h] of [[160, 120], [176, 144], [321, 241], [640, 480], [1280, 720], [1920, 1080]] as const) {
      const p = new TestPattern(w, h);
      const buf = new Uint8Array(p.layout.byteLength);
      for (const n of numbersToTry(w < 1000 ? 300 : 60)) {
        p.render(n, n * 33_333, buf);
        expect(decodeFrameNumber({ format: 'I420', width: w, height: h, data: buf })).toBe(n);
      }
    }
  });

  it('wraps frame numbers modulo 2^20', () => {
    const p = new TestPattern(320, 240);
    const frame = p.render(FRAME_CODE_MODULUS * 3 + 12345, 0);
    expect(decodeFrameNumber({ format: 'I420', width: 320, height: 240, data: frame })).toBe(12345);
  });

  it('survives a 4× area-averaging downscale (1280×720 → 320×180, 640×480 → 160×120), as I420 and RGBA', () => {
    for (const [w, h] of [[1280, 720], [640, 480]] as const) {
      const p = new TestPattern(w, h);
      for (const n of numbersToTry(60)) {
        const small = boxDownscaleI420(p.render(n, 0), w, h, 4);
        expect(decodeFrameNumber({ format: 'I420', ...small })).toBe(n);
        const rgba = i420ToRgba(small.data, small.width, small.height);
        expect(decodeFrameNumber({ format: 'RGBA', width: small.width, height: small.height, data: rgba })).toBe(n);
      }
    }
  });

  it('survives a centred crop to another aspect ratio and a downscale (crop-and-scale)', () => {
    const wide = new TestPattern(1280, 720);
    const tall = new TestPattern(640, 480);
    for (const n of numbersToTry(40)) {
      // 16:9 → 4:3 (960×720 centre) → 160×120
      const c1 = cropI420(wide.render(n, 0), 1280, 720, 160, 0, 960, 720);
      expect(decodeFrameNumber({ format: 'I420', ...boxDownscaleI420(c1.data, 960, 720, 6) })).toBe(n);
      // 4:3 → 16:9 (640×360 centre) → 320×180
      const c2 = cropI420(tall.render(n, 0), 640, 480, 0, 60, 640, 360);
      expect(decodeFrameNumber({ format: 'I420', ...boxDownscaleI420(c2.data, 640, 360, 2) })).toBe(n);
    }
  });

  it('gives null for pictures without a valid code', () => {
    const w = 320;
    const h = 240;
    const size = i420Layout(w, h).byteLength;
    expect(decodeFrameNumber({ format: 'I420', width: w, height: h, data: new Uint8Array(size).fill(16) })).toBeNull();
    expect(decodeFrameNumber({ format: 'I420', width: w, height: h, data: new Uint8Array(size).fill(128) })).toBeNull();
    // One data block flipped: the CRC no longer matches.
    const p = new TestPattern(w, h);
    const frame = p.render(0x12345, 0);
    const r = p.codeRect;
    const bx = r.x + Math.floor((r.width * 7.5) / 16);
    const by = r.y + Math.floor(r.height / 4);
    const flipped = frame[by * w + bx]! > 128 ? 16 : 235;
    for (let y = r.y; y < r.y + r.height / 2; y++) {
      for (let x = r.x + Math.ceil((r.width * 7) / 16); x < r.x + Math.floor((r.width * 8) / 16); x++) frame[y * w + x] = flipped;
    }
    expect(decodeFrameNumber({ format: 'I420', width: w, height: h, data: frame })).toBeNull();
  });

  it('shows the frame number and timestamp as readable text', () => {
    for (const [w, h] of [[160, 120], [640, 480], [1920, 1080]] as const) {
      const p = new TestPattern(w, h);
      for (const [n, t] of [[123, 4_100_000], [98765, 3_723_456_789], [0, 0]] as const) {
        const frame = p.render(n, t);
        const [line0, line1] = testPatternCaption(n, t);
        expect(readCaption(p, frame, 0)).toBe(line0);
        expect(readCaption(p, frame, 1)).toBe(line1);
      }
    }
    expect(testPatternCaption(98765, 3_723_456_789)).toEqual(['FRAME 98765', '01:02:03.456']);
    const p = new TestPattern(640, 480);
    expect(readCaption(p, p.render(41, 1_366_666), 0)).not.toBe(readCaption(p, p.render(42, 1_400_000), 0));
  });

  it('moves a bar from frame to frame over a still background, and frames differ', () => {
    const p = new TestPattern(640, 480);
    const a = p.render(10, 0);
    const b = p.render(11, 0); // same timestamp: only the frame number differs
    expect(Buffer.compare(a, b)).not.toBe(0);
    const ra = p.barRect(10);
    const rb = p.barRect(11);
    expect(rb.y - ra.y).toBe(p.step);
    expect([ra.x, ra.width, ra.height]).toEqual([0, 640, rb.height]);
    // The bar's first row is white where it is, the colour bars where it was.
    const row = (f: Uint8Array, y: number) => f.subarray(y * 640, (y + 1) * 640);
    expect(row(b, rb.y).every((v) => v === 235)).toBe(true);
    expect(row(a, ra.y).every((v) => v === 235)).toBe(true);
    expect(Buffer.compare(row(b, ra.y), row(a, 5))).toBe(0);
    // It goes down, then comes back up, clear of the code and the caption.
    const ys = Array.from({ length: 400 }, (_, n) => p.barRect(n).y);
    expect(new Set(ys).size).toBeGreaterThan(20);
    expect(Math.min(...ys)).toBeGreaterThan(p.codeRect.y + p.codeRect.height);
    expect(Math.max(...ys) + ra.height).toBeLessThan(p.captionRect.y);
    // Away from the bar, the caption and the code, the picture stands still.
    for (const y of [5, 470]) expect(Buffer.compare(row(a, y), row(b, y))).toBe(0);
  });

  it('draws the same bytes into a buffer holding an older frame (a pooled buffer) as into a fresh one', () => {
    for (const [w, h] of [[16, 16], [17, 23], [160, 120], [321, 241], [1280, 720]] as const) {
      const p = new TestPattern(w, h);
      const pool = [new Uint8Array(p.layout.byteLength), new Uint8Array(p.layout.byteLength).fill(0xff), new Uint8Array(p.layout.byteLength)];
      const rand = prng(w);
      let n = 0;
      for (let i = 0; i < 60; i++) {
        // Mostly consecutive frames, sometimes a jump (dropped frames), sometimes the same frame.
        n += rand() < 0.2 ? Math.floor(rand() * 500) : rand() < 0.1 ? 0 : 1;
        const buf = pool[Math.floor(rand() * pool.length)]!;
        p.render(n, n * 33_333, buf);
        expect(Buffer.compare(buf, new TestPattern(w, h).render(n, n * 33_333))).toBe(0);
      }
      // Another pattern's frame of the same size, and a frame of this one's written over, are redrawn whole.
      const other = new TestPattern(w, h).render(7, 0);
      expect(Buffer.compare(p.render(9, 1, other), new TestPattern(w, h).render(9, 1))).toBe(0);
    }
  });

  it('rejects bad sizes, frame numbers and buffers', () => {
    expect(() => new TestPattern(15, 100)).toThrow(RangeError);
    expect(() => new TestPattern(100.5, 100)).toThrow(RangeError);
    const p = new TestPattern(64, 48);
    expect(() => p.render(-1, 0)).toThrow(RangeError);
    expect(() => p.render(1.5, 0)).toThrow(RangeError);
    expect(() => p.render(1, 0, new Uint8Array(100))).toThrow(RangeError);
  });
});
