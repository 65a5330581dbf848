// What `npm pack` ships: the source maps of dist/ point at the TypeScript in src/, which ships too,
// so a stack trace under `node --enable-source-maps` and an editor's "go to definition" land in
// the source a user has. Runs on the dist/ that `npm test` builds first.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The paths `npm pack` would put in the tarball (relative to the package root). */
function packedFiles(): Set<string> {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return new Set(pack!.files.map((f) => f.path));
}

describe('the packed package', () => {
  it('ships the license and, for every source map, the sources it names', () => {
    const files = packedFiles();
    expect(files.has('LICENSE')).toBe(true);
    const maps = [...files].filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources, sourceRoot } = JSON.parse(readFileSync(posix.join(root, map), 'utf8')) as { sources: string[]; sourceRoot?: string };
      for (const source of sources) {
        const path = posix.normalize(posix.join(posix.dirname(map), sourceRoot ?? '', source));
        if (!files.has(path)) missing.push(`${map} → ${source}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
