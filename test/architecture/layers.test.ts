// The import graph runs one way (issue #13): entry → interfaces → algorithms → backends → media →
// platform/webidl, and no backend folder imports another. The rank table and the rules are in
// scripts/layers.mjs (`node scripts/layers.mjs` prints each wrong-way import with file:line).
import { describe, expect, it } from 'vitest';
import { checkFiles, checkTree, formatViolation, importsOf } from '../../scripts/layers.mjs';

/**
 * The wrong-way imports of the tree as it was when this test was written, as
 * "importing file -> imported file". The branches of issue #13 remove them; each entry must go
 * from this list in the same change that removes the import, and the list must end empty. The test
 * fails both on an import that is not listed and on a listed one that is gone.
 */
const KNOWN_VIOLATIONS: readonly string[] = [];

describe('layering of src/', () => {
  it('has no wrong-way import other than the listed ones, and every listed one still exists', () => {
    const violations = checkTree();
    const found = [...new Set(violations.map((v) => `${v.file} -> ${v.target || '(no layer)'}`))].sort();
    const unlisted = violations.filter((v) => !KNOWN_VIOLATIONS.includes(`${v.file} -> ${v.target || '(no layer)'}`));
    // The file:line of each new one, for the failure message.
    expect(unlisted.map(formatViolation)).toEqual([]);
    expect(found).toEqual([...KNOWN_VIOLATIONS].sort());
  });
});

describe('the layering checker (scripts/layers.mjs)', () => {
  const check = (files: Record<string, string>) => checkFiles(new Map(Object.entries(files))).map(formatViolation);

  it('reports a wrong-way import with its file and line', () => {
    expect(
      check({
        'src/algorithms/a.ts': "import { x } from '../platform/x.js';\nimport { MediaStream } from '../interfaces/MediaStream.js';\n",
        'src/interfaces/MediaStream.ts': '',
        'src/platform/x.ts': '',
      }),
    ).toEqual(['src/algorithms/a.ts:2: import of src/interfaces/MediaStream.ts: algorithms (rank 3) may not import interfaces (rank 4)']);
  });

  it('accepts imports of the same rank and of lower ranks', () => {
    expect(
      check({
        'src/algorithms/a.ts': "import { s } from '../scope/s.js';\nimport { t } from '../transfer/t.js';\nimport { b } from './b.js';\n",
        'src/algorithms/b.ts': "import { v } from '../backends/v4l2/v.js';\nimport { m } from '../media/m.js';\nimport { w } from '../webidl/w.js';\n",
        'src/interfaces/I.ts': "import { a } from '../algorithms/a.js';\nimport { p } from '../platform/p.js';\n",
        'src/index.ts': "export { I } from './interfaces/I.js';\nimport { main } from './cli/main.js';\n",
        'src/cli/main.ts': "import { install } from '../install.js';\n",
        'src/install.ts': "import { I } from './interfaces/I.js';\n",
        'src/webidl/w.ts': "import { p } from '../platform/p.js';\nimport { readFileSync } from 'node:fs';\nimport { x } from 'mediacapture';\n",
      }),
    ).toEqual([]);
  });

  it('counts type-only imports, export-from, side-effect and dynamic imports, and workers', () => {
    expect(
      check({
        'src/media/m.ts': [
          "import type { T } from '../algorithms/t.js';",
          "import { type U, v } from '../scope/u.js';",
          "export { w } from '../backends/w.js';",
          "export type { X } from '../transfer/x.js';",
          "import '../interfaces/side-effect.js';",
          "type Y = typeof import('../cli/y.js').Y;",
          'async function load() {',
          "  return import('../install.js');",
          '}',
          "const worker = new URL('../algorithms/worker.js', import.meta.url);",
        ].join('\n'),
      }).map((line) => line.replace(/ \(rank \d\) may not import .*$/, '')),
    ).toEqual([
      'src/media/m.ts:1: type import of src/algorithms/t.ts: media',
      'src/media/m.ts:2: import of src/scope/u.ts: media',
      'src/media/m.ts:3: import of src/backends/w.ts: media',
      'src/media/m.ts:4: type import of src/transfer/x.ts: media',
      'src/media/m.ts:5: import of src/interfaces/side-effect.ts: media',
      'src/media/m.ts:6: type import of src/cli/y.ts: media',
      'src/media/m.ts:8: import of src/install.ts: media',
      'src/media/m.ts:10: import of src/algorithms/worker.ts: media',
    ]);
  });

  it('reads a multi-line import at the line of its specifier', () => {
    expect(
      check({
        'src/webidl/constraints.ts': "import type {\n  A,\n  B,\n} from '../algorithms/constraints/dictionaries.js';\n",
      }),
    ).toEqual(['src/webidl/constraints.ts:4: type import of src/algorithms/constraints/dictionaries.ts: webidl (rank 0) may not import algorithms (rank 3)']);
  });

  it('ignores imports inside comments, strings and template literals', () => {
    expect(
      check({
        'src/media/m.ts': [
          "// import { a } from '../interfaces/a.js';",
          "/* import { b } from '../interfaces/b.js'; */",
          '/**',
          " * import { c } from '../interfaces/c.js';",
          ' */',
          "const code = `import { d } from '../interfaces/d.js';",
          "import('../interfaces/e.js');`;",
          "const re = /import\\('..\\/interfaces\\/f.js'\\)/;",
          "const text = \"import('../interfaces/g.js')\";",
        ].join('\n'),
      }),
    ).toEqual([]);
  });

  it('keeps backend folders apart, except backends/common/', () => {
    expect(
      check({
        'src/backends/v4l2/provider.ts': "import { F } from '../file/ffmpeg-source.js';\nimport { S } from '../common/sysfs.js';\nimport type { P } from '../provider.js';\nimport { g } from './formats.js';\n",
        'src/backends/common/sysfs.ts': "import { v } from '../v4l2/formats.js';\n",
        'src/backends/registry.ts': "import { V } from './v4l2/provider.js';\n",
      }),
    ).toEqual([
      'src/backends/common/sysfs.ts:1: import of src/backends/v4l2/formats.ts: backend folder common/ may not import backend folder v4l2/ (shared pieces go to backends/common/)',
      'src/backends/v4l2/provider.ts:1: import of src/backends/file/ffmpeg-source.ts: backend folder v4l2/ may not import backend folder file/ (shared pieces go to backends/common/)',
    ]);
  });

  it('reports a file outside every layer, so that a new folder gets a rank', () => {
    expect(check({ 'src/newthing/x.ts': '' })).toEqual(['src/newthing/x.ts:1: src/newthing/x.ts is in no layer of the rank table (scripts/layers.mjs)']);
  });

  it('lists the edges of a source text in order, with lines and type-only marks', () => {
    expect(importsOf("import a from './a.js';\nimport type { B } from './b.js';\nexport * from './c.js';\n")).toEqual([
      { specifier: './a.js', line: 1, typeOnly: false },
      { specifier: './b.js', line: 2, typeOnly: true },
      { specifier: './c.js', line: 3, typeOnly: false },
    ]);
  });
});
