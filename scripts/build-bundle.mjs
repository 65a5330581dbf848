#!/usr/bin/env node
// @ts-check
/**
 * The bundled ESM build: dist/bundle/, what `import 'mediacapture'` (and `/global`, `/vitest`,
 * `/jest`) load, through the "import" conditions of package.json's "exports". Made from the ESM
 * build in dist/ (tsc's output, one file per source file) by esbuild.
 *
 * Why: Node's ES module loader pays for every file it loads (resolve, stat, read, compile, link),
 * and the package is some 240 files by the time `mediacapture/global` is installed: about 110 ms
 * of a process's start-up, for every process and every test file that imports it. Bundled, the
 * entry points are a few files.
 *
 * How:
 * - One output per entry point, with code splitting: the entry points share their modules
 *   through common chunks, so a program that imports both `mediacapture` and
 *   `mediacapture/global` gets one copy of every class and of the device registry.
 * - Dependencies (werift, node-web-audio-api, @napi-rs/canvas, …) stay external: they are
 *   loaded from node_modules when used, as before.
 * - `keepNames`: the interface classes keep their names (`MediaStream.name`), which renaming to
 *   avoid clashes between modules would otherwise change.
 * - Files a module finds beside itself by `new URL('./x.js', import.meta.url)` are entry points
 *   of their own, beside the chunks: the scaling worker (`scale-worker.js`) and the wrtc host
 *   process (`host.js`).
 * The per-file dist/ stays: the CommonJS build, the CLI and the benchmarks use it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const out = join(dist, 'bundle');

/** Output name → the built module it starts from. */
const entryPoints = {
  index: 'index.js',
  global: 'global.js',
  vitest: 'vitest.js',
  jest: 'jest.js',
  // Found beside the chunks by URL (src/media/adapt/scaler-thread.ts, src/webrtc/wrtc/host-process.ts).
  'scale-worker': 'media/adapt/scale-worker.js',
  host: 'webrtc/wrtc/host.js',
};

rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: Object.fromEntries(Object.entries(entryPoints).map(([name, file]) => [name, join(dist, file)])),
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  keepNames: true,
  sourcemap: 'linked',
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
});
