import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    globalSetup: ['test/setup/services.ts'],
    testTimeout: 20000,
    hookTimeout: 30000,
  },
});
