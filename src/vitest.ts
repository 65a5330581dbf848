/**
 * `mediacapture/vitest`: a Vitest set-up file. In `vitest.config.ts`,
 * `test: { setupFiles: ['mediacapture/vitest'] }` installs the API on the test environment's
 * global (as `import 'mediacapture/global'` does) and resets it after each test
 * (`mediacapture.reset()`): every track stopped, the built-in devices, the permissions and the
 * clock back as installed.
 */
import { afterEach } from 'vitest';
import { mediacapture } from './global.js';

afterEach(() => mediacapture.reset());

export { mediacapture };
