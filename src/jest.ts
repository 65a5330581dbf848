/**
 * `mediacapture/jest`: a Jest set-up file. In the Jest config,
 * `setupFilesAfterEnv: ['mediacapture/jest']` installs the API on the test environment's global
 * (as `import 'mediacapture/global'` does) and resets it after each test
 * (`mediacapture.reset()`): every track stopped, the built-in devices, the permissions and the
 * clock back as installed. Works with CommonJS and ESM test files.
 */
import { mediacapture } from './global.js';

// Jest's `afterEach`, which it puts on the global of every test file (its set-up files too).
const hooks = globalThis as { afterEach?: (fn: () => Promise<void>) => void };
if (typeof hooks.afterEach !== 'function') {
  throw new Error("mediacapture/jest is a Jest set-up file: list it in the Jest config's setupFilesAfterEnv (with injectGlobals left on).");
}
hooks.afterEach(() => mediacapture.reset());

export { mediacapture };
