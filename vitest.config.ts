import { defineConfig } from 'vitest/config';
import { timeFactor } from './test/helpers/wait.js';

// On a slow or very busy machine, MC_TEST_TIME_FACTOR=3 (say) gives every test and every wait of
// test/helpers/wait.ts three times as long. Tests wait on events, never on fixed sleeps, so the
// factor only moves the point where a stuck test gives up; it changes nothing that is asserted.
const factor = timeFactor();

export default defineConfig({
  test: {
    globalSetup: ['test/setup/services.ts'],
    // The JSON report lets .ci/run print a plain 'N passed, N failed' line.
    reporters: ['default', ['json', { outputFile: '.tmp/vitest-results.json' }]],
    testTimeout: 20000 * factor,
    hookTimeout: 30000 * factor,
    projects: [
      { extends: true, test: { name: 'mediacapture', include: ['test/**/*.test.ts', 'examples/**/*.test.ts'] } },
      // The widget's one test file, under jsdom and under happy-dom, set up as a user would:
      // the runner's globals and the mediacapture/vitest set-up file (Jest runs it too).
      ...(['jsdom', 'happy-dom'] as const).map((environment) => ({
        extends: true,
        test: { name: `widget (${environment})`, include: ['examples/widget/*.test.js'], environment, globals: true, setupFiles: ['mediacapture/vitest'] },
      })),
    ],
  },
});
