// Media must keep running when a test fakes the clock or runs in a window (issue #10): every timer,
// microtask and clock read in src/ goes through src/platform/timers.ts (Node's own, captured at
// load), never through the global `setTimeout`, `queueMicrotask`, `performance`, `Date.now` or
// `process.hrtime`, which `vi.useFakeTimers()`, Jest's fake timers and jsdom's window replace.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const GLOBAL_TIME = /(?<![\w.#])(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval|clearImmediate|queueMicrotask)\(|\bperformance\.now\(|\bDate\.now\(|\bprocess\.(hrtime|nextTick)\b|\bglobalThis\.performance\b/;
const FROM_PLATFORM = /import \{[^}]*\} from '(\.\.?\/)+(platform\/)?timers\.js';/;

/** The lines of `text` (comments left out) that use a global timer or clock, as "line: text". */
function globalTimeUses(text: string): string[] {
  const imported = FROM_PLATFORM.exec(text)?.[0] ?? '';
  const names = new Set(imported.match(/\b\w+\b/g) ?? []);
  const uses: string[] = [];
  text.split('\n').forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (/^\s*(\*|\/\*)/.test(code)) return;
    const m = GLOBAL_TIME.exec(code);
    if (m && !(m[1] && names.has(m[1]))) uses.push(`${i + 1}: ${line.trim()}`);
  });
  return uses;
}

describe('time in src/', () => {
  it('comes from platform/timers.ts, never from the global a test runner fakes', () => {
    const found: string[] = [];
    for (const entry of readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const path = join(entry.parentPath, entry.name);
      const file = relative(root, path);
      if (file === join('src', 'platform', 'timers.ts')) continue;
      for (const use of globalTimeUses(readFileSync(path, 'utf8'))) found.push(`${file}:${use}`);
    }
    expect(found).toEqual([]);
  });

  it('the check sees a global timer, and lets an imported one pass', () => {
    expect(globalTimeUses('const t = setTimeout(f, 10);')).toEqual(['1: const t = setTimeout(f, 10);']);
    expect(globalTimeUses('const t = performance.now();')).toHaveLength(1);
    expect(globalTimeUses("import { setTimeout } from '../platform/timers.js';\nsetTimeout(f, 1);")).toEqual([]);
    expect(globalTimeUses("import { setTimeout } from '../platform/timers.js';\nqueueMicrotask(f);")).toHaveLength(1);
  });
});
