#!/usr/bin/env node
// @ts-check
/**
 * The layering check: which folder of `src/` may import which.
 *
 * Rank, highest first; a module may import (at run time and as `import type` alike) only modules
 * of the same or a lower rank:
 *
 *   5  src/index.ts, src/global.ts, src/install.ts, src/vitest.ts, src/jest.ts, src/cli/
 *   4  src/interfaces/        IDL classes
 *      src/html/              HTML's media and canvas elements, around the IDL classes
 *      src/webaudio/          Web Audio's MediaStream nodes, around the IDL classes
 *      src/webrtc/            RTCPeerConnection over werift, with its media path (ffmpeg ↔ RTP)
 *   3  src/algorithms/, src/scope/, src/transfer/
 *   2  src/backends/
 *   1  src/media/, src/webcodecs/
 *   0  src/platform/, src/webidl/, src/realm/ (the realms objects are made in)
 *
 * Plus: a backend folder `src/backends/<name>/` never imports another backend folder, except the
 * shared pieces in `src/backends/common/` (the contracts are files directly under `src/backends/`).
 * A file of `src/` in no row of the table is reported too, so that a new folder gets a rank.
 *
 * Every `import ... from`, `import '...'`, `import type`, `export ... from`, `import('...')`
 * (including `typeof import('...')` in a type) and `new URL('./x.js', import.meta.url)` (a worker)
 * with a relative specifier is an edge. Package and `node:` imports are not looked at.
 *
 * Run alone: `node scripts/layers.mjs [root]` prints each wrong-way import as `file:line: ...`
 * and exits with status 1 when there is one. `test/architecture/layers.test.ts` runs the same.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The rank table: [path prefix under the root, rank, layer name]. A prefix ending in `/` is a
 * folder; the others are single files. The longest matching prefix wins.
 * @type {ReadonlyArray<readonly [string, number, string]>}
 */
export const RANKS = [
  ['src/index.ts', 5, 'entry'],
  ['src/global.ts', 5, 'entry'],
  ['src/install.ts', 5, 'entry'],
  ['src/vitest.ts', 5, 'entry'],
  ['src/jest.ts', 5, 'entry'],
  ['src/cli/', 5, 'cli'],
  ['src/interfaces/', 4, 'interfaces'],
  ['src/html/', 4, 'html'],
  ['src/webaudio/', 4, 'webaudio'],
  ['src/webrtc/', 4, 'webrtc'],
  ['src/algorithms/', 3, 'algorithms'],
  ['src/scope/', 3, 'scope'],
  ['src/transfer/', 3, 'transfer'],
  ['src/backends/', 2, 'backends'],
  ['src/media/', 1, 'media'],
  ['src/webcodecs/', 1, 'webcodecs'],
  ['src/platform/', 0, 'platform'],
  ['src/webidl/', 0, 'webidl'],
  ['src/realm/', 0, 'realm'],
];

/** The backend folder whose files every backend may import. */
export const SHARED_BACKEND_FOLDER = 'common';

/**
 * @typedef {object} ImportEdge
 * @property {string} specifier  the module specifier as written
 * @property {number} line       1-based line of the specifier
 * @property {boolean} typeOnly  `import type`, `export type` or `typeof import(...)`
 */

/**
 * @typedef {object} Violation
 * @property {string} file       importing file, relative to the root, with `/`
 * @property {number} line
 * @property {string} specifier
 * @property {string} target     imported file, relative to the root, with `/`
 * @property {boolean} typeOnly
 * @property {string} message
 */

/**
 * The rank of a file (a path relative to the root, with `/`), or undefined outside the table.
 * @param {string} file
 * @returns {{ rank: number, layer: string } | undefined}
 */
export function rankOf(file) {
  let best;
  for (const [prefix, rank, layer] of RANKS) {
    const matches = prefix.endsWith('/') ? file.startsWith(prefix) : file === prefix;
    if (matches && (best === undefined || prefix.length > best.prefix.length)) best = { prefix, rank, layer };
  }
  return best && { rank: best.rank, layer: best.layer };
}

/**
 * The backend folder a file is in (`v4l2` for `src/backends/v4l2/x.ts`), or undefined for the
 * files directly under `src/backends/` and files elsewhere.
 * @param {string} file
 */
export function backendFolderOf(file) {
  const m = /^src\/backends\/([^/]+)\//.exec(file);
  return m ? m[1] : undefined;
}

/**
 * The source text with comments and the text of template literals replaced by spaces (newlines
 * kept, so offsets and lines are unchanged). Quoted strings are kept, since specifiers are quoted,
 * unless `strings` is true. Regular-expression literals are recognised by the character before
 * them and blanked too.
 * @param {string} text
 * @param {boolean} [strings]  blank the text of quoted strings as well
 */
export function maskSource(text, strings = false) {
  const out = text.split('');
  const blank = (/** @type {number} */ from, /** @type {number} */ to) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  /** @type {number[]} brace depth at each open `${`, innermost last */
  const templateStack = [];
  let depth = 0;
  let i = 0;
  let lastSignificant = '';
  let lastWord = '';
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (strings) blank(i + 1, Math.min(j, n));
      i = j + 1;
      lastSignificant = c;
      lastWord = '';
    } else if (c === '`' || (c === '}' && templateStack.length > 0 && templateStack[templateStack.length - 1] === depth)) {
      // A template's text, from ` or from the } closing a ${, up to the closing ` or the next ${.
      if (c === '}') templateStack.pop();
      let j = i + 1;
      while (j < n && text[j] !== '`' && !(text[j] === '$' && text[j + 1] === '{')) j += text[j] === '\\' ? 2 : 1;
      blank(i + 1, Math.min(j, n));
      if (j < n && text[j] === '$') {
        templateStack.push(depth);
        i = j + 2;
        lastSignificant = '{';
      } else {
        i = j + 1;
        lastSignificant = '`';
      }
      lastWord = '';
    } else if (c === '/' && isRegexStart(lastSignificant, lastWord)) {
      let j = i + 1;
      let inClass = false;
      while (j < n && text[j] !== '\n') {
        if (text[j] === '\\') j += 2;
        else if (text[j] === '[') (inClass = true), j++;
        else if (text[j] === ']') (inClass = false), j++;
        else if (text[j] === '/' && !inClass) break;
        else j++;
      }
      blank(i + 1, j);
      i = j + 1;
      lastSignificant = '/';
      lastWord = '';
    } else {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      if (/[A-Za-z0-9_$]/.test(c)) {
        lastWord = /[A-Za-z0-9_$]/.test(lastSignificant) ? lastWord + c : c;
        lastSignificant = c;
      } else if (!/\s/.test(c)) {
        lastSignificant = c;
        lastWord = '';
      }
      i++;
    }
  }
  return out.join('');
}

const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

/** Whether a `/` after this character (and word) starts a regular expression, not a division. */
function isRegexStart(/** @type {string} */ lastSignificant, /** @type {string} */ lastWord) {
  if (lastSignificant === '') return true;
  if (/[A-Za-z0-9_$]/.test(lastSignificant)) return REGEX_AFTER_WORD.has(lastWord);
  return !/[)\]}'"`]/.test(lastSignificant);
}

const STATIC_IMPORT = /^[ \t]*(import|export)\b([^;'"`]*?)\bfrom\s*(['"])([^'"\n]+)\3/gm;
const SIDE_EFFECT_IMPORT = /^[ \t]*import\s*(['"])([^'"\n]+)\1/gm;
const DYNAMIC_IMPORT = /(\btypeof\s+)?\bimport\s*\(\s*(['"])([^'"\n]+)\2/g;
const WORKER_URL = /\bnew\s+URL\s*\(\s*(['"])([^'"\n]+)\1\s*,\s*import\.meta\.url\s*\)/g;

/**
 * Every import edge of a TypeScript source text, in order.
 * @param {string} text
 * @returns {ImportEdge[]}
 */
export function importsOf(text) {
  const masked = maskSource(text);
  // The same with strings blanked: a keyword that is blank there was inside a string.
  const code = maskSource(text, true);
  const inCode = (/** @type {RegExpMatchArray} */ m, /** @type {string} */ keyword) => {
    const at = (m.index ?? 0) + m[0].indexOf(keyword);
    return code.startsWith(keyword, at);
  };
  /** @type {{ at: number, specifier: string, typeOnly: boolean }[]} */
  const found = [];
  for (const m of masked.matchAll(STATIC_IMPORT)) {
    const clause = m[2].trim();
    // `import type {...}`, `export type {...}`, `import type X`; a `{ type A, B }` list is mixed.
    const typeOnly = /^type\b(?!\s*(?:,|from\b))/.test(clause);
    found.push({ at: m.index + m[0].lastIndexOf(m[3] + m[4]), specifier: m[4], typeOnly });
  }
  for (const m of masked.matchAll(SIDE_EFFECT_IMPORT)) {
    found.push({ at: m.index + m[0].lastIndexOf(m[1] + m[2]), specifier: m[2], typeOnly: false });
  }
  for (const m of masked.matchAll(DYNAMIC_IMPORT)) {
    if (!inCode(m, 'import')) continue;
    found.push({ at: m.index + m[0].lastIndexOf(m[2] + m[3]), specifier: m[3], typeOnly: m[1] !== undefined });
  }
  for (const m of masked.matchAll(WORKER_URL)) {
    if (!inCode(m, 'new')) continue;
    found.push({ at: m.index + m[0].indexOf(m[1] + m[2]), specifier: m[2], typeOnly: false });
  }
  found.sort((a, b) => a.at - b.at);
  return found.map(({ at, specifier, typeOnly }) => ({ specifier, line: lineAt(text, at), typeOnly }));
}

function lineAt(/** @type {string} */ text, /** @type {number} */ offset) {
  let line = 1;
  for (let k = 0; k < offset; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}

/**
 * The file a relative specifier names (a path relative to the root, with `/`), `.js` read as
 * `.ts`; undefined for package and `node:` specifiers.
 * @param {string} importer
 * @param {string} specifier
 */
export function resolveSpecifier(importer, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(importer), specifier));
  return joined.replace(/\.(m|c)?js$/, (_, x) => `.${x ?? ''}ts`);
}

/**
 * The wrong-way imports among a set of files.
 * @param {ReadonlyMap<string, string>} files  path relative to the root (with `/`) → source text
 * @returns {Violation[]}
 */
export function checkFiles(files) {
  /** @type {Violation[]} */
  const violations = [];
  for (const [file, text] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const from = rankOf(file);
    if (from === undefined) {
      violations.push({ file, line: 1, specifier: '', target: '', typeOnly: false, message: `${file} is in no layer of the rank table (scripts/layers.mjs)` });
      continue;
    }
    for (const edge of importsOf(text)) {
      const target = resolveSpecifier(file, edge.specifier);
      if (target === undefined || !target.startsWith('src/')) continue;
      const to = rankOf(target);
      const kind = edge.typeOnly ? 'type import' : 'import';
      const report = (/** @type {string} */ why) =>
        violations.push({ file, line: edge.line, specifier: edge.specifier, target, typeOnly: edge.typeOnly, message: `${kind} of ${target}: ${why}` });
      if (to === undefined) {
        report(`${target} is in no layer of the rank table`);
        continue;
      }
      if (to.rank > from.rank) {
        report(`${from.layer} (rank ${from.rank}) may not import ${to.layer} (rank ${to.rank})`);
        continue;
      }
      const fromBackend = backendFolderOf(file);
      const toBackend = backendFolderOf(target);
      if (fromBackend !== undefined && toBackend !== undefined && toBackend !== fromBackend && toBackend !== SHARED_BACKEND_FOLDER) {
        report(`backend folder ${fromBackend}/ may not import backend folder ${toBackend}/ (shared pieces go to backends/${SHARED_BACKEND_FOLDER}/)`);
      }
    }
  }
  return violations;
}

/**
 * Every `.ts` file under `<root>/src`, as path relative to the root → text.
 * @param {string} root
 */
export function readSources(root) {
  /** @type {Map<string, string>} */
  const files = new Map();
  const walk = (/** @type {string} */ dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(join(root, 'src'));
  return files;
}

/**
 * The wrong-way imports of the tree at `root` (the repository by default).
 * @param {string} [root]
 */
export function checkTree(root = fileURLToPath(new URL('..', import.meta.url))) {
  return checkFiles(readSources(root));
}

/** `file:line: message`, one line per violation. */
export function formatViolation(/** @type {Violation} */ v) {
  return `${v.file}:${v.line}: ${v.message}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const violations = checkTree(process.argv[2]);
  for (const v of violations) console.log(formatViolation(v));
  console.log(violations.length === 0 ? 'layers: no wrong-way import' : `layers: ${violations.length} wrong-way import(s)`);
  process.exitCode = violations.length === 0 ? 0 : 1;
}
