/**
 * The pixels behind a canvas: `@napi-rs/canvas`, an optional peer dependency (prebuilt Skia, no
 * install script). Loaded on first use only, so a page that never draws pays nothing, and a
 * missing package is an error that says what to install, never a failed import.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { notSupported } from '../../platform/errors.js';

/** The part of `@napi-rs/canvas` this package uses. */
export type NapiCanvasModule = typeof import('@napi-rs/canvas');
/** A canvas of `@napi-rs/canvas`: the bitmap of one HTMLCanvasElement or OffscreenCanvas. */
export type NapiCanvas = import('@napi-rs/canvas').Canvas;
/** Its 2D context. */
export type NapiContext = import('@napi-rs/canvas').SKRSContext2D;

export const CANVAS_PACKAGE = '@napi-rs/canvas';
const INSTALL_HINT = `Canvas pixels need the optional package ${CANVAS_PACKAGE}: npm install ${CANVAS_PACKAGE}`;

// This module's URL. The CommonJS build (scripts/build-cjs.mjs) compiles this line too, where
// TypeScript rejects `import.meta` (TS1343); it rewrites it to `__filename`'s URL.
// biome-ignore lint/suspicious/noTsIgnore: the error exists in the CommonJS build only, so @ts-expect-error would fail the ESM one.
// @ts-ignore TS1343
const MODULE_URL: string = import.meta.url;
const requireHere = createRequire(MODULE_URL);
let loaded: NapiCanvasModule | null | undefined;

/** Whether the package can be found (without loading its native code). */
export function canvasBackendInstalled(): boolean {
  if (loaded !== undefined) return loaded !== null;
  try {
    requireHere.resolve(CANVAS_PACKAGE);
    return true;
  } catch {
    return false;
  }
}

/** The package, loaded at the first call; null when it is absent or its native part fails to load. */
export function loadCanvasBackend(): NapiCanvasModule | null {
  if (loaded === undefined) {
    try {
      loaded = requireHere(CANVAS_PACKAGE) as NapiCanvasModule;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/** The package, or a NotSupportedError naming it. */
export function requireCanvasBackend(what: string): NapiCanvasModule {
  const backend = loadCanvasBackend();
  if (backend === null) throw notSupported(`${what}: ${INSTALL_HINT}`);
  return backend;
}

/**
 * Whether jsdom would find its own canvas backend (the `canvas` package, which jsdom requires from
 * its own folder; looked for from the project's folder and from this package's).
 */
export function jsdomHasCanvasPackage(): boolean {
  for (const from of [join(process.cwd(), 'index.js'), MODULE_URL]) {
    try {
      createRequire(from).resolve('canvas');
      return true;
    } catch {
      // not there
    }
  }
  return false;
}
