// Every WebAssembly kernel against its scalar JavaScript reference, on random sizes (odd widths
// and heights), padded strides, planes at offsets and visible rects inside larger frames: the
// bytes must be identical (the kernels use the references' fixed-point formulas exactly).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { i420ToRGBA, nv12ToRGBA, rgbaToI420, type YUVMatrix } from '../../src/media/convert/color.js';
import type { I420Image, NV12Image, PackedImage, Plane } from '../../src/media/convert/image.js';
import { cropAndScaleI420, cropAndScaleNV12, cropAndScaleRGBA, scalePlane } from '../../src/media/convert/scale.js';
import { activeKernels, freeResident, residentBytes, setKernels, wasmUnavailableReason } from '../../src/media/kernels/wasm.js';

/** A deterministic pseudo-random generator of integers in [0, n). */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}

/** A buffer of random bytes. */
function noise(length: number, next: (n: number) => number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = next(256);
  return out;
}

/** A plane of `rowBytes` × `rows` random bytes, at a random offset with a random row padding. */
function randomPlane(rowBytes: number, rows: number, next: (n: number) => number): Plane {
  const offset = next(40);
  const stride = rowBytes + (next(2) ? next(37) : 0);
  return { data: noise(offset + stride * rows + next(9), next), offset, stride };
}

/** A copy of `plane` with its own buffer (so two runs write into identical, separate outputs). */
function clonePlane(plane: Plane): Plane {
  return { ...plane, data: plane.data.slice() };
}

function cloneI420(image: I420Image): I420Image {
  // Planes may share one buffer: clone each buffer once.
  const copies = new Map<Uint8Array, Uint8Array>();
  const copy = (p: Plane): Plane => {
    if (!copies.has(p.data)) copies.set(p.data, p.data.slice());
    return { ...p, data: copies.get(p.data)! };
  };
  return { ...image, y: copy(image.y), u: copy(image.u), v: copy(image.v) };
}

function randomI420(width: number, height: number, next: (n: number) => number): I420Image {
  const cw = (width + 1) >> 1;
  const ch = (height + 1) >> 1;
  return { width, height, y: randomPlane(width, height, next), u: randomPlane(cw, ch, next), v: randomPlane(cw, ch, next) };
}

/** Expects identical bytes; on a difference, names the first differing byte and both values. */
function expectSame(actual: Uint8Array, expected: Uint8Array, what = ''): void {
  let at = -1;
  if (actual.length !== expected.length) at = Math.min(actual.length, expected.length);
  else for (let i = 0; i < actual.length && at < 0; i++) if (actual[i] !== expected[i]) at = i;
  expect(at < 0 ? 'same' : `byte ${at}: wasm ${actual[at]}, js ${expected[at]}`, what).toBe('same');
}

/** Runs `fn` with the JavaScript kernels, then with the WebAssembly ones. */
function both<T>(make: () => T, fn: (arg: T) => void): [T, T] {
  const js = make();
  const wasm = make();
  setKernels('js');
  fn(js);
  setKernels('wasm');
  fn(wasm);
  return [js, wasm];
}

const matrices: YUVMatrix[] = ['bt601', 'bt709', 'bt2020'];

beforeAll(() => {
  setKernels('wasm');
  // WebAssembly SIMD is in every Node this package supports (20+): the kernels must load here.
  expect(activeKernels(), wasmUnavailableReason()).toBe('wasm');
});
afterEach(() => {
  setKernels('wasm');
});

describe('WebAssembly kernels give the JavaScript reference\'s bytes', () => {
  it('RGBA/BGRA → I420, every matrix and range, random sizes, strides and offsets', () => {
    const next = random(1);
    for (let n = 0; n < 60; n++) {
      const width = 1 + next(n < 30 ? 40 : 300);
      const height = 1 + next(n < 30 ? 12 : 50);
      const src: PackedImage = { width, height, plane: randomPlane(width * 4, height, next) };
      const dst = randomI420(width, height, next);
      const options = { matrix: matrices[n % 3]!, fullRange: n % 2 === 1, order: next(2) ? ('BGRA' as const) : ('RGBA' as const) };
      const [js, wasm] = both(() => cloneI420(dst), (out) => rgbaToI420(src, out, options));
      expectSame(wasm.y.data, js.y.data, `${width}x${height} ${JSON.stringify(options)}`);
      expectSame(wasm.u.data, js.u.data);
      expectSame(wasm.v.data, js.v.data);
    }
  });

  it('RGBA → I420 of a visible rect inside a larger frame (the plane starts mid-row)', () => {
    const next = random(2);
    const [fw, fh] = [97, 61];
    const frame = noise(fw * fh * 4, next);
    for (let n = 0; n < 20; n++) {
      const x = next(40);
      const y = next(30);
      const width = 1 + next(fw - x);
      const height = 1 + next(fh - y);
      const src: PackedImage = { width, height, plane: { data: frame, offset: (y * fw + x) * 4, stride: fw * 4 } };
      const [js, wasm] = both(() => randomI420(width, height, random(n)), (out) => rgbaToI420(src, out));
      expectSame(wasm.y.data, js.y.data);
      expectSame(wasm.u.data, js.u.data);
      expectSame(wasm.v.data, js.v.data);
    }
  });

  it('I420 and NV12 → RGBA/BGRA, every matrix and range, random sizes, strides and offsets', () => {
    const next = random(3);
    for (let n = 0; n < 60; n++) {
      const width = 1 + next(n < 30 ? 40 : 300);
      const height = 1 + next(n < 30 ? 12 : 50);
      const options = { matrix: matrices[n % 3]!, fullRange: n % 2 === 1, order: next(2) ? ('BGRA' as const) : ('RGBA' as const) };
      const dst = randomPlane(width * 4, height, next);
      const i420 = randomI420(width, height, next);
      const [js, wasm] = both(() => clonePlane(dst), (out) => i420ToRGBA(i420, out, options));
      expectSame(wasm.data, js.data, `I420 ${width}x${height} ${JSON.stringify(options)}`);
      const cw = (width + 1) >> 1;
      const nv12: NV12Image = { width, height, y: randomPlane(width, height, next), uv: randomPlane(cw * 2, (height + 1) >> 1, next) };
      const [js12, wasm12] = both(() => clonePlane(dst), (out) => nv12ToRGBA(nv12, out, options));
      expectSame(wasm12.data, js12.data, `NV12 ${width}x${height}`);
    }
  });

  it('I420 crop-and-scale: exact 2:1, 3:1 and 4:1, area at other ratios, bilinear up, random crops', () => {
    const next = random(4);
    const cases: [number, number, number, number][] = [
      [1920 / 8, 1080 / 8, 640 / 8, 360 / 8], // 3:1
      [193, 111, 64, 37], // 3:1 with odd sizes (the chroma planes are not quite 3:1)
      [1280 / 4, 720 / 4, 320 / 4, 180 / 4], // 4:1
      [259, 149, 64, 37], // 4:1 of a centred crop, odd sizes
      [4 * 67, 4 * 35, 67, 35], // 4:1, luma rows not a multiple of 16
      [96, 54, 48, 27], // 2:1
      [97, 55, 48, 27], // 2:1 of a centred crop
      [160, 90, 128, 72], // 5:4
      [50, 30, 120, 80], // enlarging
      [33, 17, 7, 5],
      [640, 360, 17, 9],
    ];
    for (let n = 0; n < 40; n++) cases.push([1 + next(200), 1 + next(120), 1 + next(120), 1 + next(80)]);
    for (const [sw, sh, dw, dh] of cases) {
      const src = randomI420(sw, sh, next);
      const dst = randomI420(dw, dh, next);
      const [js, wasm] = both(() => cloneI420(dst), (out) => cropAndScaleI420(src, out));
      expectSame(wasm.y.data, js.y.data, `${sw}x${sh} → ${dw}x${dh}`);
      expectSame(wasm.u.data, js.u.data);
      expectSame(wasm.v.data, js.v.data);
      // An explicit crop somewhere inside the frame.
      const x = next(sw >> 1) & ~1;
      const y = next(sh >> 1) & ~1;
      const crop = { x, y, width: 1 + next(sw - x), height: 1 + next(sh - y) };
      const [jsCrop, wasmCrop] = both(() => cloneI420(dst), (out) => cropAndScaleI420(src, out, crop));
      expectSame(wasmCrop.y.data, jsCrop.y.data, `${JSON.stringify(crop)} of ${sw}x${sh} → ${dw}x${dh}`);
      expectSame(wasmCrop.u.data, jsCrop.u.data);
    }
  });

  it('RGBA and NV12 crop-and-scale (four and two interleaved channels)', () => {
    const next = random(5);
    for (let n = 0; n < 20; n++) {
      const [sw, sh, dw, dh] = [1 + next(120), 1 + next(80), 1 + next(90), 1 + next(60)];
      const src: PackedImage = { width: sw, height: sh, plane: randomPlane(sw * 4, sh, next) };
      const dst = randomPlane(dw * 4, dh, next);
      const [js, wasm] = both(() => clonePlane(dst), (out) => cropAndScaleRGBA(src, { width: dw, height: dh, plane: out }));
      expectSame(wasm.data, js.data, `RGBA ${sw}x${sh} → ${dw}x${dh}`);
      const nv12: NV12Image = { width: sw, height: sh, y: randomPlane(sw, sh, next), uv: randomPlane(((sw + 1) >> 1) * 2, (sh + 1) >> 1, next) };
      const out12 = { y: randomPlane(dw, dh, next), uv: randomPlane(((dw + 1) >> 1) * 2, (dh + 1) >> 1, next) };
      const [js12, wasm12] = both(
        () => ({ width: dw, height: dh, y: clonePlane(out12.y), uv: clonePlane(out12.uv) }),
        (out) => cropAndScaleNV12(nv12, out),
      );
      expectSame(wasm12.y.data, js12.y.data);
      expectSame(wasm12.uv.data, js12.uv.data);
    }
  });

  it('scalePlane at fractional chroma regions, as odd luma crops make them', () => {
    const next = random(6);
    for (let n = 0; n < 20; n++) {
      const [sw, sh] = [2 + next(100), 2 + next(60)];
      const src = randomPlane(sw, sh, next);
      const region = { x: next(sw >> 1) / 2, y: next(sh >> 1) / 2, width: 0, height: 0 };
      region.width = Math.max(0.5, (sw - region.x) * (0.3 + next(70) / 100));
      region.height = Math.max(0.5, (sh - region.y) * (0.3 + next(70) / 100));
      const [dw, dh] = [1 + next(60), 1 + next(40)];
      const dst = randomPlane(dw, dh, next);
      const [js, wasm] = both(() => clonePlane(dst), (out) => scalePlane(src, sw, sh, region, out, dw, dh));
      expectSame(wasm.data, js.data, `${JSON.stringify(region)} of ${sw}x${sh} → ${dw}x${dh}`);
    }
  });

  it('exact 3:1 is the rounded mean of each 3×3 block, for every possible block sum', () => {
    // One output per sum 0..2295 (9·255): the WebAssembly kernel divides by 9 with a q15 multiply.
    const dw = 9 * 255 + 1;
    const rowBytes = 3 * dw;
    const data = new Uint8Array(rowBytes * 3);
    for (let sum = 0; sum < dw; sum++) {
      for (let j = 0; j < 9; j++) {
        const share = Math.floor(sum / 9) + (j < sum % 9 ? 1 : 0);
        data[(j % 3) * rowBytes + 3 * sum + Math.floor(j / 3)] = share;
      }
    }
    const expected = Uint8Array.from({ length: dw }, (_, sum) => Math.floor((sum + 4) / 9));
    const [js, wasm] = both(
      () => ({ data: new Uint8Array(dw), offset: 0, stride: dw }),
      (out) => scalePlane({ data, offset: 0, stride: rowBytes }, rowBytes, 3, { x: 0, y: 0, width: rowBytes, height: 3 }, out, dw, 1),
    );
    expectSame(js.data, expected, 'js');
    expectSame(wasm.data, expected, 'wasm');
  });

  it('exact 4:1 is the rounded mean of each 4×4 block, at every luma size from 1 to 40 outputs wide', () => {
    const next = random(7);
    for (let dw = 1; dw <= 40; dw++) {
      const dh = 1 + next(5);
      const src = randomPlane(4 * dw, 4 * dh, next);
      const dst = randomPlane(dw, dh, next);
      const [js, wasm] = both(() => clonePlane(dst), (out) => scalePlane(src, 4 * dw, 4 * dh, { x: 0, y: 0, width: 4 * dw, height: 4 * dh }, out, dw, dh));
      // The reference is the definition: floor((sum + 8) / 16) of each block.
      for (let y = 0; y < dh; y++) {
        for (let x = 0; x < dw; x++) {
          let sum = 0;
          for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) sum += src.data[src.offset + (4 * y + r) * src.stride + 4 * x + c]!;
          expect(js.data[dst.offset + y * dst.stride + x], `${dw}x${dh} at ${x},${y}`).toBe(Math.floor((sum + 8) / 16));
        }
      }
      expectSame(wasm.data, js.data, `4:1 to ${dw}x${dh}`);
    }
  });

  it('planes in the kernels\' memory (resident buffers) are converted and scaled in place, to the same bytes', () => {
    const next = random(8);
    /** `plane`'s bytes in a resident buffer, same offset and stride. */
    const resident = (plane: Plane): Plane => {
      const data = residentBytes(plane.data.length)!;
      expect(data.buffer).toBeInstanceOf(SharedArrayBuffer);
      data.set(plane.data);
      return { ...plane, data };
    };
    const residentI420 = (image: I420Image): I420Image => ({ ...image, y: resident(image.y), u: resident(image.u), v: resident(image.v) });
    const cases: [number, number, number, number][] = [
      [1920 / 4, 1080 / 4, 640 / 4, 360 / 4], // 3:1
      [4 * 41, 4 * 23, 41, 23], // 4:1
      [98, 54, 49, 27], // 2:1
      [161, 91, 100, 57], // area
    ];
    for (let n = 0; n < 12; n++) cases.push([1 + next(150), 1 + next(90), 1 + next(80), 1 + next(60)]);
    for (const [sw, sh, dw, dh] of cases) {
      const src = randomI420(sw, sh, next);
      const dst = randomI420(dw, dh, next);
      setKernels('js');
      const js = cloneI420(dst);
      cropAndScaleI420(src, js);
      setKernels('wasm');
      // Source and destination resident, each alone resident, and neither (copied in and out).
      for (const [inside, outside] of [[true, true], [true, false], [false, true]]) {
        const out = outside ? residentI420(cloneI420(dst)) : cloneI420(dst);
        cropAndScaleI420(inside ? residentI420(src) : src, out);
        for (const p of ['y', 'u', 'v'] as const) expectSame(out[p].data.slice(), js[p].data, `${sw}x${sh} → ${dw}x${dh} ${p} (${inside}, ${outside})`);
      }
      // RGBA ↔ I420 with both sides resident.
      const rgba: PackedImage = { width: sw, height: sh, plane: randomPlane(sw * 4, sh, next) };
      const i420 = randomI420(sw, sh, next);
      const [jsI420] = both(() => cloneI420(i420), (out) => rgbaToI420(rgba, out));
      const wasmI420 = residentI420(i420);
      rgbaToI420({ ...rgba, plane: resident(rgba.plane) }, wasmI420);
      for (const p of ['y', 'u', 'v'] as const) expectSame(wasmI420[p].data.slice(), jsI420[p].data, `RGBA → I420 ${sw}x${sh} ${p}`);
      setKernels('js');
      const jsRGBA = clonePlane(rgba.plane);
      i420ToRGBA(src, jsRGBA, { matrix: 'bt709', fullRange: true });
      setKernels('wasm');
      const wasmRGBA = resident(rgba.plane);
      i420ToRGBA(residentI420(src), wasmRGBA, { matrix: 'bt709', fullRange: true });
      expectSame(wasmRGBA.data.slice(), jsRGBA.data, `I420 → RGBA ${sw}x${sh}`);
    }
  });

  it('a resident buffer stays valid while the memory grows, and a freed one is reused', () => {
    const first = residentBytes(1000)!;
    first.fill(7);
    // Enough to grow the memory several times over.
    const more = Array.from({ length: 8 }, () => residentBytes(4 << 20)!);
    expect(first.length).toBe(1000);
    expect(first.every((b) => b === 7)).toBe(true);
    const at = more[3]!.byteOffset;
    freeResident(more[3]!);
    expect(residentBytes(4 << 20)!.byteOffset).toBe(at);
    for (const m of more) freeResident(m);
  });

  it('MEDIACAPTURE_KERNELS=js (setKernels) runs the JavaScript kernels', () => {
    setKernels('js');
    expect(activeKernels()).toBe('js');
    setKernels('wasm');
    expect(activeKernels()).toBe('wasm');
  });
});
