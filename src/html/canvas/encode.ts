/**
 * "A serialization of the bitmap as a file" (https://html.spec.whatwg.org/multipage/canvas.html#a-serialisation-of-the-bitmap-as-a-file):
 * PNG, JPEG or WebP by napi-rs, for `toDataURL`, `toBlob` and `convertToBlob`.
 */
import type { CanvasBitmap } from './bitmap.js';

/** The window's Blob constructor (so that `blob instanceof Blob` holds in the page). */
export type BlobConstructor = new (...args: ConstructorParameters<typeof Blob>) => Blob;

type Format = { mime: 'image/png' | 'image/jpeg' | 'image/webp'; quality: number | undefined };

/** The type and quality used: an unsupported type is PNG; quality counts for JPEG and WebP when a number in 0..1. */
function formatOf(type: unknown, quality: unknown): Format {
  const mime = typeof type === 'string' ? type.toLowerCase() : 'image/png';
  if (mime !== 'image/jpeg' && mime !== 'image/webp') return { mime: 'image/png', quality: undefined };
  return { mime, quality: typeof quality === 'number' && quality >= 0 && quality <= 1 ? quality : undefined };
}

/** toDataURL(type, quality): "data:," for a bitmap without pixels. */
export function encodeDataURL(bitmap: CanvasBitmap, type: unknown, quality: unknown): string {
  bitmap.follow();
  if (bitmap.width === 0 || bitmap.height === 0) return 'data:,';
  const { mime, quality: q } = formatOf(type, quality);
  return bitmap.canvas.toDataURL(mime, q);
}

/** The file as a Blob, encoded off the main thread. */
export async function encode(bitmap: CanvasBitmap, type: unknown, quality: unknown, Blob: BlobConstructor): Promise<Blob> {
  bitmap.follow();
  const { mime, quality: q } = formatOf(type, quality);
  const format = mime.slice('image/'.length) as 'png' | 'jpeg' | 'webp';
  const bytes = format === 'png' ? await bitmap.canvas.encode('png') : await bitmap.canvas.encode(format, q === undefined ? undefined : Math.round(q * 100));
  return new Blob([new Uint8Array(bytes)], { type: mime });
}
