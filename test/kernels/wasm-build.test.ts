// The checked-in kernels.wasm (and its base64 module) must be what kernels.c builds to, so that
// the source in the repository is the code that runs. Needs clang 14 with the wasm32 target and
// lld (Debian 12: apt-get install clang lld; .ci/run installs them); skipped, saying so, elsewhere.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLANG_VERSION } from '../../scripts/build-wasm.mjs';

function clangVersion(): string | null {
  try {
    return /clang version (\d+\.\d+\.\d+)/.exec(execFileSync(process.env.CLANG ?? 'clang', ['--version'], { encoding: 'utf8' }))?.[1] ?? null;
  } catch {
    return null;
  }
}

const version = clangVersion();
const why = version === null ? 'no clang on PATH' : `clang ${version}, not ${CLANG_VERSION}`;

describe('the WebAssembly kernels', () => {
  it.skipIf(version !== CLANG_VERSION)(`rebuild from kernels.c to the checked-in bytes${version === CLANG_VERSION ? '' : ` (skipped: ${why}; apt-get install clang lld)`}`, () => {
    const out = execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    expect(out).toMatch(/^ok: /);
  });
});
