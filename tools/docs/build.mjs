// Builds the API reference into docs/api/ (`npm run docs` at the repository root, after the type check).
//
// TypeDoc reads the program with TypeScript 6 (the last TypeScript with a JavaScript compiler API);
// the project is compiled and type-checked with TypeScript 7. The two checkers agree except where
// TypeScript 6 gives up inferring a type that refers to itself (TS7022, TS7023, TS7024: "implicitly
// has type 'any' because ... referenced directly or indirectly in its own initializer"), which
// TypeScript 7 infers. `npm run docs` runs the TypeScript 7 check first, so such a diagnostic here
// is a difference between the two compilers, not an error in the code: it is printed as a warning
// (an explicit type annotation removes it). Every other TypeScript 6 diagnostic fails the build,
// as TypeDoc's own error check would.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { Application, Converter } from 'typedoc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The diagnostics of TypeScript 6's circular-inference limit (see above). */
const INFERENCE_LIMIT_CODES = new Set([7022, 7023, 7024]);

const formatHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => root,
  getNewLine: () => '\n',
};

const app = await Application.bootstrapWithPlugins({
  options: join(root, 'typedoc.json'),
  // Checked below instead, with the distinction above.
  skipErrorChecking: true,
});

let failed = false;
app.converter.on(Converter.EVENT_BEGIN, (context) => {
  const diagnostics = context.programs.flatMap((program) => ts.getPreEmitDiagnostics(program));
  const known = diagnostics.filter((d) => INFERENCE_LIMIT_CODES.has(d.code));
  const errors = diagnostics.filter((d) => !INFERENCE_LIMIT_CODES.has(d.code));
  if (known.length > 0) {
    const asWarnings = known.map((d) => ({ ...d, category: ts.DiagnosticCategory.Warning }));
    process.stderr.write(ts.formatDiagnosticsWithColorAndContext(asWarnings, formatHost));
    console.warn(
      `[warning] ${known.length} diagnostic(s) above come from TypeScript ${ts.version}'s inference limit (TypeDoc's compiler); ` +
        'TypeScript 7 (npm run typecheck) accepts the code. An explicit type annotation removes them.',
    );
  }
  if (errors.length > 0) {
    process.stderr.write(ts.formatDiagnosticsWithColorAndContext(errors, formatHost));
    failed = true;
  }
});

const project = await app.convert();
if (!project || failed) {
  console.error('docs: not generated (errors above)');
  process.exit(1);
}
app.validate(project);
await app.generateOutputs(project);
if (app.logger.hasErrors()) process.exit(1);
