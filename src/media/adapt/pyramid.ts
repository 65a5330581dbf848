/**
 * Half-, quarter-, eighth-… size copies of a source frame, made at most once per frame and shared
 * by every route that downscales that frame by 2 or more. Area averaging from the smallest level
 * that still has the target's resolution reads a quarter (or a sixteenth…) of the pixels that
 * averaging the full frame reads: ten tracks of different sizes from one 1080p camera went from
 * about 100 ms to about 45 ms of scaling per frame (bench/README.md, "Media pipeline").
 *
 * A level is made from the one above by an exact 2:1 average (the scaler's fast path), and has an
 * even width and height, so level k maps to the source by exactly 1/2^k, chroma included.
 */
import { i420Image, i420Size, type I420Image } from '../convert/image.js';
import { cropAndScaleI420 } from '../convert/scale.js';
import { residentBytes } from '../kernels/wasm.js';

/** A rectangle in source pixels; edges may be fractional. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The levels of the frame seen last: [0] is the frame itself. Routes adapt one frame after another, so one entry suffices. */
let current: { key: object; levels: I420Image[] } | undefined;
/** Level buffers, reused from frame to frame (by index). */
const buffers: Uint8Array[] = [];

/**
 * What to crop-and-scale `crop` of `source` to `width` × `height` from: `source` itself, or the
 * smallest pyramid level with at least that many pixels across the crop, with the crop in that
 * level's pixels. `key` identifies the source frame (its media resource): levels are reused for
 * as long as the same frame is being adapted.
 */
export function scaleFrom(key: object, source: I420Image, crop: Region, width: number, height: number): { image: I420Image; crop: Region } {
  // An exact 2:1, 3:1 or 4:1 of a crop at whole, even pixels has a kernel that reads the frame
  // once (1080p → 360p is 3:1): from a half-size level it would read the frame and then the level.
  const ratio = crop.width / width;
  if ((ratio === 2 || ratio === 3 || ratio === 4) && crop.height === ratio * height && crop.x % 2 === 0 && crop.y % 2 === 0) {
    return { image: source, crop };
  }
  let k = 0;
  while (crop.width / 2 ** (k + 1) >= width && crop.height / 2 ** (k + 1) >= height) k++;
  if (k === 0) return { image: source, crop };
  if (current?.key !== key || !sameImage(current.levels[0]!, source)) current = { key, levels: [source] };
  const levels = current.levels;
  while (levels.length <= k) {
    const above = levels[levels.length - 1]!;
    // Levels of even width and height only: their chroma planes are exactly half their luma.
    if (above.width % 4 !== 0 || above.height % 4 !== 0) break;
    const index = levels.length;
    const w = above.width / 2;
    const h = above.height / 2;
    // In the kernels' memory where it has room: halved into in place, and read in place.
    if (buffers[index]?.length !== i420Size(w, h)) buffers[index] = residentBytes(i420Size(w, h)) ?? new Uint8Array(i420Size(w, h));
    const level = i420Image(buffers[index]!, w, h);
    cropAndScaleI420(above, level, { x: 0, y: 0, width: above.width, height: above.height });
    levels.push(level);
  }
  const depth = Math.min(k, levels.length - 1);
  const s = 2 ** depth;
  return { image: levels[depth]!, crop: { x: crop.x / s, y: crop.y / s, width: crop.width / s, height: crop.height / s } };
}

function sameImage(a: I420Image, b: I420Image): boolean {
  return a.width === b.width && a.height === b.height && a.y.data === b.y.data && a.y.offset === b.y.offset && a.y.stride === b.y.stride && a.u.offset === b.u.offset && a.v.offset === b.v.offset;
}
