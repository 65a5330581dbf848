#!/usr/bin/env node
// @ts-check
/**
 * The CommonJS build: dist/cjs/, what `require('mediacapture')` (and `require('mediacapture/global')`)
 * load, through the "require" condition of package.json's "exports".
 *
 * Why a second build, rather than telling CommonJS users to switch to ESM: Jest's default set-up
 * (no `--experimental-vm-modules`, no `"type": "module"`) loads every test file and every package
 * with its own `require`, which cannot load an ES module at all ("Must use import to load ES
 * Module"); Node 20 cannot `require()` one either. The same TypeScript compiled with
 * `module: commonjs` (tsconfig.cjs.json) works there unchanged, so CommonJS users need no config.
 *
 * Two things differ from the ESM build:
 * - dist/cjs/package.json says `"type": "commonjs"`, so Node reads those `.js` files as CommonJS
 *   although the package is `"type": "module"`.
 * - `import.meta.url` does not exist in CommonJS. The sources use it for one thing, the URL of a
 *   file beside the module (a worker); here it becomes the URL of `__filename`, which is the same.
 *   Any other use of `import.meta` fails the build, so that it is not shipped broken.
 *
 * One caveat, the "dual package hazard": a program that loads the package both ways gets two
 * copies (two sets of classes, two device registries). Use one module system per program.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'cjs');

execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.cjs.json')], { stdio: 'inherit' });
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);

const FILE_URL = "require('node:url').pathToFileURL(__filename).href";
const wrong = [];
for (const entry of readdirSync(out, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
  const path = join(entry.parentPath, entry.name);
  const text = readFileSync(path, 'utf8');
  if (!text.includes('import.meta')) continue;
  // Comments may mention it; code may use only `import.meta.url`.
  const lines = text.split('\n').map((line) => (line.trimStart().startsWith('//') ? line : line.replaceAll('import.meta.url', FILE_URL)));
  if (lines.some((line) => !line.trimStart().startsWith('//') && line.includes('import.meta'))) wrong.push(path);
  else writeFileSync(path, lines.join('\n'));
}
if (wrong.length > 0) {
  console.error(`build-cjs: import.meta other than import.meta.url has no CommonJS equivalent here:\n  ${wrong.join('\n  ')}`);
  process.exit(1);
}
